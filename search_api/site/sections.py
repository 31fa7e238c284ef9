"""The built site as a list of pages and their question sections.

Everything here is read from what the site shows: `site/search/search_index.json`,
written by Material's search plugin, whose locations are exactly `page/#id` with the
ids Python-Markdown gave the headings. We never slugify a heading ourselves.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from search_api.engine.documents import Page, Section
from search_api.site import phrasings
from search_api.site.front_matter import read_front_matter
from search_api.site.html import first_paragraph, plain_text, read_html
from search_api.links import MARKDOWN_COPY, source_file

# `##` headings that are not questions and hold no answer worth returning.
NON_ANSWER_SECTIONS = frozenset({"sources", "see also"})


def _as_text(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


# A law page's status, the date it is known as of and the day its record was checked:
# the law records give them to the page at build time (not its source front matter),
# and the page's Markdown copy (site/llms_txt.py) writes them in its own front matter.
LAW_FIELDS = ("status", "as_of", "law_checked")


def law_fields(site_dir: Path, page: str) -> dict[str, str]:
    copy = site_dir / page / MARKDOWN_COPY
    if not copy.is_file():
        return {}
    built = read_front_matter(copy)
    return {k: _as_text(built[k]) for k in LAW_FIELDS if built.get(k)}


def heading_levels(site_dir: Path, page: str) -> dict[str, int]:
    """id -> heading level, read from the built page itself."""
    built = site_dir / page / "index.html"
    if not built.is_file():
        return {}
    return {h.id: h.level for h in read_html(built.read_text(encoding="utf-8")).headings}


def page_phrasings(site_dir: Path, page: str) -> dict[str, tuple[str, ...]]:
    """heading id -> the editors' other phrasings of that question, from the built page."""
    built = site_dir / page / "index.html"
    return phrasings.from_html(built.read_text(encoding="utf-8")) if built.is_file() else {}


def _question_sections(page: str, docs: list[dict], levels: dict[str, int],
                       asked: dict[str, tuple[str, ...]] | None = None) -> tuple[Section, ...]:
    """One Section per `##` heading; deeper headings belong to the question above them."""
    merged: list[dict] = []
    for doc in docs:
        if not doc["anchor"] or levels.get(doc["anchor"], 2) == 1:
            continue
        if levels.get(doc["anchor"], 2) > 2 and merged:
            merged[-1]["text"] += " " + doc["title"] + ". " + doc["text"]
            continue
        merged.append(dict(doc))
    return tuple(
        Section(
            page=page,
            anchor=d["anchor"],
            question=plain_text(d["title"]),
            answer=first_paragraph(d["text"]),
            body=plain_text(d["text"]),
            asked=(asked or {}).get(d["anchor"], ()),
        )
        for d in merged
        if plain_text(d["title"]).lower() not in NON_ANSWER_SECTIONS
    )


def load_pages(site_dir: Path, docs_dir: Path) -> list[Page]:
    """Read the built site's search index into pages with their question sections."""
    index_file = site_dir / "search" / "search_index.json"
    data = json.loads(index_file.read_text(encoding="utf-8"))
    grouped: dict[str, list[dict]] = {}
    for doc in data["docs"]:
        page, _, anchor = doc["location"].partition("#")
        grouped.setdefault(page, []).append({**doc, "anchor": anchor})

    pages: list[Page] = []
    for page, docs in grouped.items():
        head = next((d for d in docs if not d["anchor"]), docs[0])
        source = source_file(docs_dir, page)
        meta = read_front_matter(source) if source else {}
        sections = _question_sections(page, docs, heading_levels(site_dir, page), page_phrasings(site_dir, page))
        tags = meta.get("tags") or head.get("tags") or []
        pages.append(
            Page(
                page=page,
                title=str(meta.get("title") or plain_text(head["title"])),
                description=_as_text(meta.get("description")),
                intro=plain_text(head["text"]) if not head["anchor"] else "",
                tags=tuple(str(t) for t in tags) if isinstance(tags, list) else (),
                last_reviewed=_as_text(meta.get("last_reviewed")),
                meta=law_fields(site_dir, page),
                sections=sections,
            )
        )
    return pages
