"""Add the site's current page and question links to the ledger (published-links.txt).

Usage: python -m scripts.update_ledger [--config mkdocs.yml] [--ledger published-links.txt]

Builds the site strictly into a temporary directory, then appends every page link and
question link that the ledger does not hold yet. It never removes or rewrites a line.
A site that does not build is not recorded: fix the build first (`make check`).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import yaml
from mkdocs.config import load_config

from scripts.build_index import build_site
from search_api.site.ledger import append_to_ledger, published_entries, read_ledger
from search_api.site.sections import load_pages
from search_api.settings import Settings


def record_site(site_dir: Path, docs_dir: Path, ledger: Path) -> tuple[int, int]:
    """Append what the built site publishes; return (links added, links in the ledger)."""
    added = append_to_ledger(ledger, published_entries(site_dir, load_pages(site_dir, docs_dir)))
    return len(added), len(read_ledger(ledger))


def main(argv: list[str] | None = None) -> int:
    defaults = Settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=defaults.mkdocs_config, help="the MkDocs configuration")
    parser.add_argument("--ledger", type=Path, default=defaults.ledger_file, help="the ledger file to append to")
    args = parser.parse_args(argv)
    settings = defaults.model_copy(update={"mkdocs_config": args.config, "ledger_file": args.ledger})
    with tempfile.TemporaryDirectory(prefix="ledger-site-") as temp:
        site_dir = build_site(settings, Path(temp) / "site")
        try:
            added, total = record_site(site_dir, docs_dir_of(args.config), args.ledger)
        except (yaml.YAMLError, ValueError) as bad:  # YAML raises ValueError for a date like 2026-13-01
            reason = " ".join(str(bad).split())
            print(f"An article's front matter cannot be read ({reason}); run make check to find it.", file=sys.stderr)
            return 1
    print(f"{args.ledger}: added {added} links; it now holds {total}.")
    return 0


def docs_dir_of(config_file: Path) -> Path:
    """The docs_dir a MkDocs configuration builds from (relative to the file, as MkDocs reads it)."""
    return Path(load_config(config_file=str(config_file)).docs_dir)


if __name__ == "__main__":
    sys.exit(main())
