"""Check every article and print one line per problem: `file:line: what is wrong — how to fix it`.

Usage: python -m scripts.check_content [--no-build] [--today YYYY-MM-DD] [FILE.md ...]

Errors come first, then warnings, then the reviews that are due (soonest first), then a
one-line summary. The exit status is 1 when there is an error. Without --no-build it
also builds the site into a temporary folder to check every link and #anchor (MkDocs'
own validation) and every link in the ledger of published links (published-links.txt).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from datetime import date
from pathlib import Path

import jinja2
import yaml
from markdown.extensions.toc import slugify as default_slugify
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from scripts.article_checks import SiteContext, check_article, os_relative, read_source, shared_phrasing_problems
from scripts.law_checks import read_records, record_problems
from scripts.law_records import LawRecord, laws_file_for
from scripts.problems import Problem, error, ordered, summary, warning
from scripts.site_checks import build_for_check, ledger_problems, message_problems
from search_api.site import hours
from search_api.site.ledger import published_entries, read_ledger
from search_api.site.sections import load_pages
from search_api.settings import Settings


PLACEHOLDER = "[set by the society"  # an `extra:` value the organisation has not filled in yet
_SETTING_LINE = re.compile(r"^\s*([\w-]+):")


class ConfigUnreadable(Exception):
    """mkdocs.yml cannot be loaded; the message says why."""


def load_site_config(config_file: Path) -> MkDocsConfig:
    try:
        return load_config(config_file=str(config_file))
    except BaseException as bad:  # MkDocs raises SystemExit-like Abort for a bad config
        raise ConfigUnreadable(" ".join(str(bad).split()) or type(bad).__name__) from bad


def site_context(config: MkDocsConfig, today: date, laws: dict[str, LawRecord] | None = None) -> SiteContext:
    macros = config.plugins.get("macros")
    options = macros.config if macros is not None else {}
    jinja = jinja2.Environment(
        undefined=jinja2.StrictUndefined,
        comment_start_string=options.get("j2_comment_start_string") or "{#",
        comment_end_string=options.get("j2_comment_end_string") or "#}",
        block_start_string=options.get("j2_block_start_string") or "{%",
        block_end_string=options.get("j2_block_end_string") or "%}",
        variable_start_string=options.get("j2_variable_start_string") or "{{",
        variable_end_string=options.get("j2_variable_end_string") or "}}",
    )
    toc = config.mdx_configs.get("toc", {})
    return SiteContext(
        docs_dir=Path(config.docs_dir),
        base_dir=Path(config.config_file_path).parent,
        # load_config runs no plugin: write {{ contact.hours }} as the opening-hours plugin does.
        variables={**hours.with_hours_sentence(config.extra, hours.load(Path(config.config_file_path))), "config": config},
        jinja=jinja,
        extensions=list(config.markdown_extensions),
        extension_configs=dict(config.mdx_configs),
        slugify=toc.get("slugify", default_slugify),
        separator=toc.get("separator", "-"),
        today=today,
        laws=laws or {},
    )


def placeholder_problems(config_file: Path) -> list[Problem]:
    """One warning per organisation setting in mkdocs.yml that still holds its placeholder."""
    shown = os_relative(config_file, Path.cwd())
    problems = []
    for number, line in enumerate(config_file.read_text(encoding="utf-8").splitlines(), start=1):
        match = _SETTING_LINE.match(line)
        if match and PLACEHOLDER in line:
            problems.append(warning(shown, number, f"the setting {match.group(1)} still holds its placeholder",
                                    "write the organisation's own value there; pages show it as it is written"))
    return problems


def article_problems(files: list[Path], site: SiteContext) -> list[Problem]:
    problems = []
    sources = []
    for path in files:
        try:
            problems += check_article(path, site)
            source, _ = read_source(path, path.relative_to(site.docs_dir).as_posix(), os_relative(path, site.base_dir))
            if source is not None:
                sources.append(source)
        except Exception as bad:  # a safety net: an editor must never see a traceback
            problems.append(error(os_relative(path, site.base_dir), 1,
                                  f"the check could not read this file ({type(bad).__name__}: {bad})",
                                  "look for unclosed front matter, quotes or {{ }} near that point"))
    return problems + shared_phrasing_problems(sources)


def built_site_problems(config_file: Path, site: SiteContext, ledger: Path,
                        found: list[Problem]) -> tuple[list[Problem], int]:
    """Link, anchor and ledger problems, and how many current links the ledger lacks."""
    macro_files = {p.path for p in found if "{{" in p.message}
    base = site.base_dir
    ledger_shown = os_relative(ledger, Path.cwd())
    with tempfile.TemporaryDirectory(prefix="check-site-") as temp:
        build = build_for_check(config_file, Path(temp) / "site", ledger)
        problems = message_problems(build, site.docs_dir, base, os_relative(config_file, Path.cwd()), macro_files,
                                    errors_found=any(p.is_error for p in found))
        if not build.finished:
            return problems, 0
        entries = read_ledger(ledger)
        if not ledger.is_file():
            problems.append(warning(ledger_shown, 1, "there is no ledger of published links yet",
                                    "run make ledger once the site builds, and commit the file"))
        problems += ledger_problems(entries, build.site_dir, site.docs_dir, base, ledger_shown)
        known = {e.link for e in entries}
        try:
            current = published_entries(build.site_dir, load_pages(build.site_dir, site.docs_dir))
        except (yaml.YAMLError, ValueError):  # broken front matter, already reported with its line
            return problems, 0
        return problems, sum(e.link not in known for e in current)


def main(argv: list[str] | None = None) -> int:
    defaults = Settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="check only these articles (default: all of docs/)")
    parser.add_argument("--config", type=Path, default=defaults.mkdocs_config, help="the MkDocs configuration")
    parser.add_argument("--ledger", type=Path, default=defaults.ledger_file, help="the ledger of published links")
    parser.add_argument("--no-build", action="store_true", help="skip the checks that need a site build (links, ledger)")
    parser.add_argument("--today", type=date.fromisoformat, default=date.today(), help="the date to check against (YYYY-MM-DD)")
    args = parser.parse_args(argv)
    try:
        config = load_site_config(args.config)
    except ConfigUnreadable as bad:
        print(f"{args.config}:1: the site configuration cannot be read ({bad}) — check its path, or undo your last change to it")
        return 1
    laws_file = laws_file_for(Path(config.config_file_path).parent)
    laws_shown = os_relative(laws_file, Path.cwd())
    laws, problems = read_records(laws_file, laws_shown)
    if not args.files:  # one article checked on its own: only that article's problems
        problems += record_problems(laws, args.today, laws_shown)
        problems += placeholder_problems(args.config)
    site = site_context(config, args.today, laws)
    files = [f.resolve() for f in args.files] or sorted(site.docs_dir.rglob("*.md"))
    problems += article_problems(files, site)
    new_links = 0
    if not args.no_build and not args.files:
        built, new_links = built_site_problems(args.config, site, args.ledger, problems)
        problems += built
    for problem in ordered(problems):
        print(problem)
    line = summary(problems, len(files))
    if new_links:
        links = "1 new link is" if new_links == 1 else f"{new_links} new links are"
        line += f" {links} not in the ledger yet: run make ledger when you publish."
    print(line)
    return 1 if any(p.is_error for p in problems) else 0


if __name__ == "__main__":
    sys.exit(main())
