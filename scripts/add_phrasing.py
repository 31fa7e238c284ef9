"""Add another way creators ask a question to that question's "also asked" list.

Usage: python -m scripts.add_phrasing PAGE#ANCHOR "the phrasing" [--docs DIR]

PAGE#ANCHOR is the question's link as the editors' report shows it, for example
`royalties/needletime/#what-is-needletime`. The phrasing goes into the `<!-- also
asked:` list right under that `##` heading in its Markdown file (the list is made if
the question has none). Nothing changes what search finds until the index is rebuilt
(`make index`), so an editor's accepted suggestion is the only way in.
Exit 1, with a message, when the question is not found or another question already
has the phrasing.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from scripts.article_checks import SiteContext, _toc_tokens, headings, read_source, rendered_body
from scripts.check_content import load_site_config, site_context
from search_api.links import source_file
from search_api.settings import Settings
from search_api.site import phrasings
from search_api.site.html import read_html


class NotAdded(Exception):
    """Why the phrasing could not be added, in words for an editor."""


def heading_line(path: Path, anchor: str, site: SiteContext, built_page: Path | None = None) -> int:
    """The line (1-based) of the `##` heading whose id is `anchor` in this file.

    The ids come from rendering the Markdown as the check does; a heading whose words
    come from a setting the check cannot fill ("{{ org.name }}") is matched by its
    place among the headings of the built page instead, when the counts agree.
    """
    source, _ = read_source(path, path.relative_to(site.docs_dir).as_posix(), str(path))
    if source is None:
        raise NotAdded(f"{path} cannot be read")
    found = headings(source)
    tokens = _toc_tokens(rendered_body(source, site), site)
    for heading, token in zip(found, tokens):
        if token.get("id") == anchor and heading.level == 2:
            return heading.line
    if built_page is not None and built_page.is_file():
        ids = [h.id for h in read_html(built_page.read_text(encoding="utf-8")).headings]
        if len(ids) == len(found):
            for heading, heading_id in zip(found, ids):
                if heading_id == anchor and heading.level == 2:
                    return heading.line
    raise NotAdded(f"{path} has no ## question with the link #{anchor}")


def existing(docs_dir: Path) -> dict[str, str]:
    """Every phrasing already written (by key), with the file that has it."""
    found: dict[str, str] = {}
    for path in sorted(docs_dir.rglob("*.md")):
        for block in phrasings.from_markdown(path.read_text(encoding="utf-8").split("\n")):
            for _, text in block.phrasings:
                found.setdefault(phrasings.key(text), path.relative_to(docs_dir).as_posix())
    return found


def add(path: Path, line: int, text: str) -> None:
    """Put `text` into the list under the heading on `line` (making the list if need be)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    end = next((i for i in range(line, len(lines)) if lines[i].startswith("#")), len(lines))
    block = next((b for b in phrasings.from_markdown(lines) if line < b.line <= end), None)
    if block is not None:
        lines.insert(block.end_line - 1, f"- {text}")
    else:
        lines[line:line] = ["", f"<!-- {phrasings.MARKER}", f"- {text}", "-->"]
    path.write_text("\n".join(lines), encoding="utf-8")


def add_phrasing(docs_dir: Path, link: str, text: str, site: SiteContext, site_dir: Path | None = None) -> Path:
    text = " ".join(text.split())
    if not text or "<" in text or "-->" in text:
        raise NotAdded("write the phrasing in plain words, without < or -->")
    page, _, anchor = link.partition("#")
    path = source_file(docs_dir, page.strip("/") + "/" if page.strip("/") else "")
    if path is None or not anchor:
        raise NotAdded(f"{link} is not a question's link (page/#anchor)")
    built = (site_dir or Settings().site_dir) / page.strip("/") / "index.html"
    line = heading_line(path, anchor, site, built)
    taken = existing(docs_dir).get(phrasings.key(text))
    if taken:
        raise NotAdded(f'"{text}" is already a phrasing in docs/{taken}')
    add(path, line, text)
    return path


def main(argv: list[str] | None = None) -> int:
    defaults = Settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("link", help="the question, as page/#anchor (e.g. royalties/needletime/#what-is-needletime)")
    parser.add_argument("phrasing", help="the other way of asking it, in the creator's words")
    parser.add_argument("--config", type=Path, default=defaults.mkdocs_config, help="the MkDocs configuration")
    parser.add_argument("--site", type=Path, default=defaults.site_dir,
                        help="the built site, for headings made from settings ({{ org.name }})")
    args = parser.parse_args(argv)
    site = site_context(load_site_config(args.config), date.today())
    try:
        path = add_phrasing(site.docs_dir, args.link, args.phrasing, site, args.site)
    except NotAdded as why:
        print(f"not added: {why}", file=sys.stderr)
        return 1
    print(f"added to {path}: - {' '.join(args.phrasing.split())}  (run make check, then make index)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
