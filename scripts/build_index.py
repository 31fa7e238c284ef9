"""Build the site (mkdocs build --strict) and the question index, then switch to them.

Usage: python -m scripts.build_index [--no-site]

The site is built into a new directory under var/site-builds/ and `site` becomes a
symlink to it; the index is built into a new directory under INDEX_DIR and its
`current` link is swapped. A running server picks both up on its next request.
A failed build leaves the live site and index untouched.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from search_api.engine.index import IndexBuildError, build_index
from search_api.site.sections import load_pages
from search_api.settings import Settings

KEEP_SITE_BUILDS = 3


def new_site_dir(settings: Settings) -> Path:
    builds = settings.site_dir.parent / "var" / "site-builds"
    builds.mkdir(parents=True, exist_ok=True)
    return builds / datetime.now(timezone.utc).strftime("build-%Y%m%dT%H%M%S%f")


def build_site(settings: Settings, target: Path) -> Path:
    """Run a strict MkDocs build into `target`; return it. Exits with the problems on failure."""
    # Built for the address it will be served on (SITE_URL, else HOST and PORT), so the
    # canonical links, the sitemap and "Copy link" agree with the API's deep links.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": settings.public_url,
           "SITE_URL_PINNED": "true" if settings.site_url else ""}
    # Not -q: with -q MkDocs 1.6.1 lets a broken link through --strict.
    command = [sys.executable, "-m", "mkdocs", "build", "--strict",
               "-f", str(settings.mkdocs_config), "-d", str(target)]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        shutil.rmtree(target, ignore_errors=True)
        problems = [line for line in result.stderr.splitlines() if "WARNING" in line or "ERROR" in line]
        raise SystemExit(
            "The site did not build. Fix these and run again:\n"
            + "\n".join(problems or result.stderr.splitlines()[-20:])
        )
    return target


def switch_site(settings: Settings, target: Path) -> None:
    link = settings.site_dir
    if link.exists() and not link.is_symlink():
        shutil.rmtree(link)  # a plain `mkdocs build` output from before; replace it
    temp = link.with_name(f".{link.name}-{os.getpid()}")
    os.symlink(os.path.relpath(target, link.parent), temp)
    os.replace(temp, link)
    builds = sorted(p for p in target.parent.glob("build-*") if p.is_dir())
    for old in builds[:-KEEP_SITE_BUILDS]:
        shutil.rmtree(old, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-site", action="store_true", help="reuse the built site; rebuild only the index")
    args = parser.parse_args(argv)
    settings = Settings()
    started = time.perf_counter()
    if not args.no_site:
        switch_site(settings, build_site(settings, new_site_dir(settings)))
        print(f"site built in {time.perf_counter() - started:.1f} s -> {settings.site_dir}")
    if not (settings.site_dir / "search" / "search_index.json").is_file():
        print(f"No built site at {settings.site_dir}: run without --no-site first.", file=sys.stderr)
        return 1
    index_started = time.perf_counter()
    pages = load_pages(settings.site_dir, settings.docs_dir)
    try:
        target = build_index(pages, settings.index_dir)
    except IndexBuildError as error:
        print(f"The search index cannot be built; the live index is unchanged.\n{error}", file=sys.stderr)
        return 1
    questions = sum(len(p.sections) for p in pages)
    size = sum(f.stat().st_size for f in target.iterdir())
    print(f"index built in {time.perf_counter() - index_started:.1f} s: {len(pages)} articles, "
          f"{questions} questions, {size / 1024:.0f} KiB -> {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
