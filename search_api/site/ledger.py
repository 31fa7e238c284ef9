"""The ledger of published links: every page and question URL the site ever showed.

Agents paste these links into replies that live for years, so the ledger only grows
(`make ledger` appends), and `make check` fails when one of them stops landing.
One link a line, as a site path: `/royalties/mechanical/#who-collects-mechanical-royalties`.
Question lines also carry, tab-separated, the question and its one-sentence answer as
first published: the build uses them to find the question an old anchor was renamed to.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from search_api.site.landing import is_redirect_page
from search_api.engine.documents import Page

HEADER = """\
# Published links: every page and question link this site ever published.
# `make ledger` appends the new ones. Never edit, reorder or delete a line: support
# agents have pasted these links. A line is: link, then (tab-separated) the question
# and its one-sentence answer when the link was first published.
"""


@dataclass(frozen=True)
class LedgerEntry:
    link: str  # "/royalties/mechanical/" or "/royalties/mechanical/#who-collects"
    question: str = ""
    answer: str = ""
    line: int = 0  # where it is in the ledger file; 0 for entries not read from one

    @property
    def page(self) -> str:
        """The site path without the leading slash: "royalties/mechanical/" ("" for home)."""
        return self.link.partition("#")[0].lstrip("/")

    @property
    def anchor(self) -> str:
        return self.link.partition("#")[2]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def format_entry(entry: LedgerEntry) -> str:
    if not entry.anchor:
        return entry.link
    return "\t".join((entry.link, _one_line(entry.question), _one_line(entry.answer)))


def parse_ledger(text: str) -> list[LedgerEntry]:
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        link, _, rest = line.partition("\t")
        question, _, answer = rest.partition("\t")
        entries.append(LedgerEntry(link=link.strip(), question=question, answer=answer, line=number))
    return entries


def read_ledger(path: Path) -> list[LedgerEntry]:
    """The ledger's entries in file order; a missing file is an empty ledger."""
    if not path.is_file():
        return []
    return parse_ledger(path.read_text(encoding="utf-8"))


def append_to_ledger(path: Path, entries: list[LedgerEntry]) -> list[LedgerEntry]:
    """Append the entries whose link is not in the ledger yet; return those added.

    The existing text is never rewritten, so the old file is always a prefix of the new.
    """
    known = {e.link for e in read_ledger(path)}
    added: list[LedgerEntry] = []
    for entry in entries:
        if entry.link not in known:
            known.add(entry.link)
            added.append(entry)
    if not added:
        return []
    existing = path.read_text(encoding="utf-8") if path.is_file() else HEADER
    if existing and not existing.endswith("\n"):
        existing += "\n"
    path.write_text(existing + "".join(format_entry(e) + "\n" for e in added), encoding="utf-8")
    return added


def site_pages(site_dir: Path) -> list[str]:
    """Every real page of a built site ("" for home), without redirect pages or 404."""
    pages = []
    for html in site_dir.rglob("index.html"):
        relative = html.parent.relative_to(site_dir).as_posix()
        if relative in ("search", "assets") or relative.startswith("assets/"):
            continue
        if is_redirect_page(html.read_text(encoding="utf-8")):
            continue
        pages.append("" if relative == "." else relative + "/")
    return sorted(pages)


def published_entries(site_dir: Path, pages: list[Page]) -> list[LedgerEntry]:
    """What a built site publishes: its page links, then its question links, each sorted."""
    questions = sorted(
        (LedgerEntry(link=f"/{s.page}#{s.anchor}", question=s.question, answer=s.answer)
         for page in pages for s in page.sections),
        key=lambda e: e.link,
    )
    return [LedgerEntry(link=f"/{page}") for page in site_pages(site_dir)] + questions
