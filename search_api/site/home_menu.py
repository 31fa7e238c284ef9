"""MkDocs plugin `home-menu`: the site's menu in the home page's order, with its labels.

Without a `nav:` MkDocs names menu sections after folders ("Ai", "Help") and sorts
pages alphabetically, so "Royalties from other countries" came first. Here the home
page (docs/index.md) is the one list editors keep: each `## Heading` is a menu section
and each `- [Label](page.md)` under it a page, in that order and with that label.

A page the home page does not link goes under its folder's index page when the home
page links that (the law tracker's pages, in the order the tracker links them), else
beside most of its folder's pages, else in a last section, "More answers": a new page
is never left out of the menu, and `make check` can say where to list it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin


HOME = "index.md"
MORE = "More answers"
_SECTION = re.compile(r"^##\s+(.+?)\s*(?:\{[^}]*\})?\s*$")
_ITEM = re.compile(r"^\s*[-*+]\s+\[(?P<label>[^\]]+)\]\((?P<target>[^)#\s]+\.md)(?:#[^)]*)?\)")
_LINK = re.compile(r"\]\((?P<target>[^)#\s]+\.md)(?:#[^)]*)?\)")


@dataclass
class MenuSection:
    title: str
    # (label, docs-relative path); a None label shows the page's own title.
    pages: list[tuple[str | None, str]] = field(default_factory=list)


def _resolve(source: str, target: str) -> str:
    """A link's target as a docs-relative path ('../ai/x.md' from 'law-changes/index.md')."""
    parts: list[str] = []
    for part in (PurePosixPath(source).parent / target).parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def home_sections(home_text: str) -> list[MenuSection]:
    """The home page's `##` sections and the pages each lists, in order."""
    sections: list[MenuSection] = []
    for line in home_text.splitlines():
        heading = _SECTION.match(line)
        if heading:
            sections.append(MenuSection(heading.group(1)))
            continue
        item = _ITEM.match(line)
        if item and sections:
            sections[-1].pages.append((item.group("label").strip(), _resolve(HOME, item.group("target"))))
    return [section for section in sections if section.pages]


def linked_pages(source: str, text: str) -> list[str]:
    """The docs-relative pages a Markdown file links to, first link first."""
    found = (_resolve(source, m.group("target")) for m in _LINK.finditer(text))
    return list(dict.fromkeys(found))


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def menu(docs_dir: Path) -> list[Any]:
    """A MkDocs `nav` for every page under docs_dir, following docs/index.md."""
    pages = sorted(p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md"))
    sections = home_sections(_read(docs_dir / HOME)) if (docs_dir / HOME).is_file() else []
    listed = {page for section in sections for _, page in section.pages} | {HOME}
    children: dict[str, list[str]] = {}  # a listed folder index -> the unlisted pages under it
    for page in pages:
        if page in listed:
            continue
        index = str(PurePosixPath(page).parent / "index.md")
        if index in listed and index != HOME:
            children.setdefault(index, []).append(page)
    for index, kids in children.items():
        order = linked_pages(index, _read(docs_dir / index))
        kids.sort(key=lambda page: (order.index(page) if page in order else len(order), page))
    placed = listed | {page for kids in children.values() for page in kids}
    more = MenuSection(MORE)
    for page in pages:
        if page not in placed:
            _place_by_folder(page, sections, more)
    nav: list[Any] = [{"Home": HOME}] if (docs_dir / HOME).is_file() else []
    for section in [*sections, more]:
        entries = [_entry(label, page, children.get(page, [])) for label, page in section.pages]
        if entries:
            nav.append({section.title: entries})
    return nav


def _entry(label: str | None, page: str, kids: list[str]) -> Any:
    if kids:  # a section whose first page is its index (navigation.indexes)
        return {label or PurePosixPath(page).parent.name: [page, *kids]}
    return {label: page} if label else page


def _place_by_folder(page: str, sections: list[MenuSection], more: MenuSection) -> None:
    folder = PurePosixPath(page).parent
    votes = Counter(i for i, s in enumerate(sections) for _, p in s.pages if PurePosixPath(p).parent == folder)
    target = sections[votes.most_common(1)[0][0]] if votes else more
    target.pages.append((None, page))  # not on the home page: the page's own title


class HomeMenuPlugin(BasePlugin):
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not config.nav:  # an explicit nav: in mkdocs.yml still wins
            config.nav = menu(Path(config.docs_dir))
        return config
