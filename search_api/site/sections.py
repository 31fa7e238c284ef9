"""The built site as a list of pages and their question sections.

Everything here is read from what the site shows: `site/search/search_index.json`,
written by Material's search plugin, whose locations are exactly `page/#id` with the
ids Python-Markdown gave the headings. We never slugify a heading ourselves.
"""

from __future__ import annotations

import html
import json
import re
from datetime import date
from pathlib import Path

import yaml

from search_api.engine.documents import Page, Section
from search_api.links import source_file

# `##` headings that are not questions and hold no answer worth returning.
NON_ANSWER_SECTIONS = frozenset({"sources", "see also"})

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_HEADING_ID = re.compile(r"<h([1-6])[^>]*\bid=\"([^\"]+)\"")


def plain_text(fragment: str) -> str:
    """HTML fragment from the search index -> readable plain text."""
    text = _TAG.sub(" ", fragment)
    text = html.unescape(text)
    text = _SPACE.sub(" ", text).strip()
    # Tags split words from their punctuation ("money .") when a link ends a sentence.
    return re.sub(r"\s+([.,;:!?)])", r"\1", text)


def first_paragraph(fragment: str) -> str:
    match = _FIRST_PARAGRAPH.search(fragment)
    return plain_text(match.group(1) if match else fragment)


def read_front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return {}
    end = text.find("\n---", 3)
    if end == -1:
        return {}
    try:
        data = yaml.safe_load(text[3:end]) or {}
    except (yaml.YAMLError, ValueError):
        # `make check` names the file and line; the index must not die on it.
        return {}
    return data if isinstance(data, dict) else {}


def _as_text(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def heading_levels(site_dir: Path, page: str) -> dict[str, int]:
    """id -> heading level, read from the built page itself."""
    built = site_dir / page / "index.html"
    if not built.is_file():
        return {}
    return {m.group(2): int(m.group(1)) for m in _HEADING_ID.finditer(built.read_text(encoding="utf-8"))}


def _question_sections(page: str, docs: list[dict], levels: dict[str, int]) -> tuple[Section, ...]:
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
        sections = _question_sections(page, docs, heading_levels(site_dir, page))
        tags = meta.get("tags") or head.get("tags") or []
        pages.append(
            Page(
                page=page,
                title=str(meta.get("title") or plain_text(head["title"])),
                description=_as_text(meta.get("description")),
                intro=plain_text(head["text"]) if not head["anchor"] else "",
                tags=tuple(str(t) for t in tags) if isinstance(tags, list) else (),
                last_reviewed=_as_text(meta.get("last_reviewed")),
                meta={k: _as_text(meta[k]) for k in ("status", "as_of") if k in meta},
                sections=sections,
            )
        )
    return pages
