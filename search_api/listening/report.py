"""The editors' report: what readers could not find, which answers did not help, and
which articles are due for review. Rendered by report_formats.py for the terminal
(`make report`), the browser and spreadsheets (`GET /api/admin/report`).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from whoosh.index import Index

from search_api.links import deep_link, source_page
from search_api.listening.store import FeedbackStore
from search_api.engine.search import find
from search_api.site import phrasings
from search_api.site.front_matter import read_front_matter
from search_api.settings import Settings

REVIEW_MONTHS = 12
# The law and AI change fast: those articles are checked twice as often.
FAST_REVIEW = {"law-changes/": 6, "ai/": 6}
DEFAULT_ROWS = 20


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class FailedSearchRow:
    search: str  # the most frequent wording of the group, scrubbed
    count: int
    no_results: int
    nearest: Link | None  # the question our search ranks first for it, if any


@dataclass(frozen=True)
class UnhelpfulQuestion:
    question: Link
    no: int
    yes: int
    reasons: dict[str, int]
    comments: tuple[str, ...]


@dataclass(frozen=True)
class ReviewDue:
    page: str
    url: str
    title: str
    last_reviewed: str  # as written in the front matter; "" when missing
    due_on: date | None  # None: never reviewed, or a date we cannot read
    months: int


@dataclass(frozen=True)
class SuggestedPhrasingRow:
    question: Link
    link: str  # page/#anchor, as scripts/add_phrasing.py takes it
    phrasing: str  # what agents searched before copying this question, scrubbed
    count: int

    @property
    def command(self) -> str:
        quoted = "'" + self.phrasing.replace("'", "'\\''") + "'"
        return f"python -m scripts.add_phrasing {self.link} {quoted}"


@dataclass(frozen=True)
class Report:
    today: date
    since: date
    counts: dict[str, int]
    failed_searches: list[FailedSearchRow]
    unhelpful: list[UnhelpfulQuestion]
    due_for_review: list[ReviewDue]
    suggested_phrasings: list[SuggestedPhrasingRow] = field(default_factory=list)


REASON_WORDS = {
    "unclear": "unclear",
    "wrong_or_out_of_date": "wrong or out of date",
    "did_not_answer": "didn't answer the question",
    "broken_link": "broken link",
    "": "no reason",
}


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day (31 Aug + 6 months = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def review_months(page: str) -> int:
    return next((m for prefix, m in FAST_REVIEW.items() if page.startswith(prefix)), REVIEW_MONTHS)


def articles_due(docs_dir: Path, site_url: str, today: date) -> list[ReviewDue]:
    """Articles whose last_reviewed is older than their review period, the most overdue first."""
    due: list[ReviewDue] = []
    for source in sorted(docs_dir.rglob("*.md")):
        meta = read_front_matter(source)
        if not meta.get("title"):
            continue  # not an article (a snippet, or a file without front matter)
        page = source_page(source.relative_to(docs_dir).as_posix())
        months = review_months(page)
        reviewed = meta.get("last_reviewed")
        written = reviewed.isoformat() if isinstance(reviewed, date) else str(reviewed or "")
        try:
            due_on = add_months(date.fromisoformat(written), months)
        except ValueError:
            due_on = None
        if due_on is None or due_on <= today:
            due.append(ReviewDue(page=page, url=deep_link(site_url, page), title=str(meta["title"]),
                                 last_reviewed=written,
                                 due_on=due_on, months=months))
    return sorted(due, key=lambda d: (d.due_on or date.min, d.page))


def _question_link(ix: Index | None, site_url: str, page: str, anchor: str) -> Link:
    text = f"#{anchor} (no longer on the site)"
    if ix is not None:
        with ix.searcher() as searcher:
            stored = searcher.document(doc_id=f"{page}#{anchor}")
        if stored:
            text = stored["question"]
    return Link(text=text, url=deep_link(site_url, page, anchor))


def _already_asked(ix: Index | None, page: str, anchor: str, text: str) -> bool:
    """Whether the question's heading or one of its phrasings already says `text`."""
    if ix is None:
        return False
    with ix.searcher() as searcher:
        stored = searcher.document(doc_id=f"{page}#{anchor}")
    if not stored:
        return True  # the question is gone: nothing to add it to
    written = [stored.get("question", "")] + str(stored.get("asked", "")).split("\n")
    return phrasings.key(text) in {phrasings.key(w) for w in written if w}


def _nearest(ix: Index | None, site_url: str, text: str) -> Link | None:
    if ix is None:
        return None
    hits = find(ix, text, limit=1).hits
    return _question_link(ix, site_url, hits[0].page, hits[0].anchor) if hits else None


def build_report(settings: Settings, store: FeedbackStore, ix: Index | None,
                 today: date, days: int | None = None, rows: int = DEFAULT_ROWS) -> Report:
    """Gather the report. `ix` None means no index to name the nearest questions with.
    `days` narrows the window (default: everything kept). Reading creates no database.
    """
    since = today - timedelta(days=days if days is not None else settings.retention_days)
    failed: list[FailedSearchRow] = []
    unhelpful: list[UnhelpfulQuestion] = []
    suggested: list[SuggestedPhrasingRow] = []
    counts = {"feedback": 0, "searches": 0}
    if store.exists():
        counts = store.counts()
        failed = [
            FailedSearchRow(search=f.example, count=f.count, no_results=f.no_results,
                            nearest=_nearest(ix, settings.public_url, f.example))
            for f in store.failed_searches(since, rows)
        ]
        suggested = [
            SuggestedPhrasingRow(question=_question_link(ix, settings.public_url, c.page, c.anchor),
                                 link=f"{c.page}#{c.anchor}", phrasing=c.example, count=c.count)
            for c in store.suggested_phrasings(since, rows * 3)
            if not _already_asked(ix, c.page, c.anchor, c.example)
        ][:rows]
        unhelpful = [
            UnhelpfulQuestion(question=_question_link(ix, settings.public_url, v.page, v.anchor),
                              no=v.no, yes=v.yes, reasons=v.reasons, comments=v.comments)
            for v in store.question_votes(since, rows)
        ]
    return Report(today=today, since=since, counts=counts, failed_searches=failed, unhelpful=unhelpful,
                  due_for_review=articles_due(settings.docs_dir, settings.public_url, today),
                  suggested_phrasings=suggested)
