"""The SQLite file behind FEEDBACK_DB: readers' feedback and the record of searches.

Privacy by construction: rows hold the UTC day (not the time, which could be matched
against a web server's access log), never an IP address or cookie, and every free
text passes through `scrub` here, in the only code that writes.

Durability: WAL mode with synchronous=NORMAL. A committed row survives the server
process being killed at any point (only a power cut can lose the last commits), and
readers such as `make report` never block the writers.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from search_api.engine.analysis import stems
from search_api.listening.scrub import scrub

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    page TEXT NOT NULL,
    anchor TEXT NOT NULL,
    helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)),
    reason TEXT,
    comment TEXT
);
CREATE INDEX IF NOT EXISTS feedback_question ON feedback (page, anchor);
CREATE INDEX IF NOT EXISTS feedback_day ON feedback (day);
CREATE TABLE IF NOT EXISTS searches (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    query TEXT NOT NULL,
    query_key TEXT NOT NULL,
    results INTEGER NOT NULL,
    top_score REAL,
    confident INTEGER
);
CREATE INDEX IF NOT EXISTS searches_key ON searches (query_key);
CREATE INDEX IF NOT EXISTS searches_day ON searches (day);
"""
# A pasted message is kept only as far as editors can use it in a report.
MAX_STORED_QUERY_CHARS = 300
_SAFE_CUT = re.compile(r"(?<![\d+()./-])\s(?![\d+()./-])")
BUSY_TIMEOUT_MS = 10_000  # other processes (workers, `make report`) hold the lock briefly


@dataclass(frozen=True)
class Feedback:
    page: str
    anchor: str
    helpful: bool
    reason: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class SearchRecord:
    endpoint: str  # "search" or "answer"
    query: str
    results: int
    top_score: float | None
    confident: bool | None  # None when the endpoint does not judge confidence


@dataclass(frozen=True)
class FailedSearch:
    query_key: str
    example: str  # the most frequent scrubbed wording in the group
    count: int
    no_results: int  # how many of `count` found nothing at all


@dataclass(frozen=True)
class QuestionVotes:
    page: str
    anchor: str
    no: int
    yes: int
    reasons: dict[str, int]
    comments: tuple[str, ...]  # newest first, already scrubbed


def utc_today() -> date:
    return datetime.now(timezone.utc).date()


def query_key(text: str) -> str:
    """The words of a query as the search reads them (stemmed, no stop words), sorted, unique.

    "My royalties are LATE!" and "late royalties" share the key "late royalti".
    """
    words = sorted(set(stems(text)))
    return " ".join(words) if words else " ".join(text.casefold().split())


class FeedbackStore:
    """One connection to the SQLite file, opened on first use and shared by threads.

    SQLite takes one writer at a time anyway, so a lock around a single connection
    costs nothing and keeps every statement on a connection in a known state.
    """

    def __init__(self, path: Path, retention_days: int) -> None:
        self.path = path
        self.retention_days = retention_days
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._pruned_on: date | None = None

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                             check_same_thread=False)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        with _transaction(db):
            _create_schema(db)
        return db

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._db is None:
                self._db = self._open()
            yield self._db

    def _prune_daily(self, db: sqlite3.Connection, today: date) -> None:
        # Once a day is enough: retention counts in days.
        if self._pruned_on != today:
            _delete_before(db, today - timedelta(days=self.retention_days))
            self._pruned_on = today

    def add_feedback(self, feedback: Feedback, today: date | None = None) -> None:
        """Write one answer to "Did this answer your question?", its comment scrubbed."""
        today = today or utc_today()
        comment = scrub(feedback.comment).strip() if feedback.comment else None
        with self._connection() as db:
            self._prune_daily(db, today)
            db.execute(
                "INSERT INTO feedback (day, page, anchor, helpful, reason, comment) VALUES (?, ?, ?, ?, ?, ?)",
                (today.isoformat(), feedback.page, feedback.anchor, int(feedback.helpful),
                 feedback.reason, comment or None),
            )

    def add_search(self, record: SearchRecord, today: date | None = None) -> None:
        """Write one search or answer request: its scrubbed query and how well it went."""
        today = today or utc_today()
        query = _storable(scrubbed_start(record.query, MAX_STORED_QUERY_CHARS))
        confident = None if record.confident is None else int(record.confident)
        with self._connection() as db:
            self._prune_daily(db, today)
            db.execute(
                "INSERT INTO searches (day, endpoint, query, query_key, results, top_score, confident)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (today.isoformat(), record.endpoint, query, query_key(query), record.results,
                 record.top_score, confident),
            )

    def prune(self, today: date | None = None) -> int:
        """Delete every row older than the retention period; return how many went."""
        today = today or utc_today()
        with self._connection() as db:
            removed = _delete_before(db, today - timedelta(days=self.retention_days))
            self._pruned_on = today
            return removed

    def failed_searches(self, since: date, limit: int) -> list[FailedSearch]:
        """The most frequent searches that found nothing or nothing confident, grouped by key."""
        with self._connection() as db:
            groups = db.execute(
                "SELECT query_key, COUNT(*) AS n, SUM(results = 0) FROM searches"
                " WHERE day >= ? AND (results = 0 OR confident = 0)"
                " GROUP BY query_key ORDER BY n DESC, query_key LIMIT ?",
                (since.isoformat(), limit),
            ).fetchall()
            return [
                FailedSearch(query_key=key, example=_most_frequent_wording(db, key, since), count=count,
                             no_results=no_results)
                for key, count, no_results in groups
            ]

    def question_votes(self, since: date, limit: int, comments_per_question: int = 5) -> list[QuestionVotes]:
        """The questions with the most No answers, with their reasons and newest comments."""
        with self._connection() as db:
            rows = db.execute(
                "SELECT page, anchor, SUM(helpful = 0) AS no, SUM(helpful = 1) FROM feedback"
                " WHERE day >= ? GROUP BY page, anchor HAVING no > 0"
                " ORDER BY no DESC, page, anchor LIMIT ?",
                (since.isoformat(), limit),
            ).fetchall()
            return [
                QuestionVotes(
                    page=page, anchor=anchor, no=no, yes=yes,
                    reasons=dict(db.execute(
                        "SELECT COALESCE(reason, ''), COUNT(*) AS n FROM feedback"
                        " WHERE day >= ? AND page = ? AND anchor = ? AND helpful = 0"
                        " GROUP BY reason ORDER BY n DESC", (since.isoformat(), page, anchor),
                    ).fetchall()),
                    comments=tuple(c for (c,) in db.execute(
                        "SELECT comment FROM feedback WHERE day >= ? AND page = ? AND anchor = ?"
                        " AND comment IS NOT NULL ORDER BY id DESC LIMIT ?",
                        (since.isoformat(), page, anchor, comments_per_question),
                    )),
                )
                for page, anchor, no, yes in rows
            ]

    def counts(self) -> dict[str, int]:
        """Rows per table: for tests and the report's heading."""
        with self._connection() as db:
            return {table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                    for table in ("feedback", "searches")}

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _create_schema(db: sqlite3.Connection) -> None:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise sqlite3.DatabaseError(f"FEEDBACK_DB was written by a newer version (schema {version})")
    for statement in SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def scrubbed_start(text: str, limit: int) -> str:
    """The first `limit` characters of `scrub(text)`, scrubbing only what may be kept.

    Scrubbing all of an 8,000-character pasted message costs milliseconds per search,
    and only its start is kept. So the text is cut first, at a space that no e-mail
    address or number can span (one next to neither a digit nor a number's punctuation):
    the cut can never leave half a phone number for scrub() to miss.
    """
    window = text[: limit * 2]
    if len(window) < len(text):
        cuts = [m.start() for m in _SAFE_CUT.finditer(window)]
        window = window[: cuts[-1]] if cuts else text
    return scrub(window).strip()[:limit]


def _storable(text: str) -> str:
    # A query can hold lone surrogates (from JSON escapes), which SQLite cannot encode.
    return text.encode("utf-8", "replace").decode("utf-8")


def _delete_before(db: sqlite3.Connection, cutoff: date) -> int:
    removed = 0
    for table in ("feedback", "searches"):
        removed += db.execute(f"DELETE FROM {table} WHERE day < ?", (cutoff.isoformat(),)).rowcount
    return removed


def _most_frequent_wording(db: sqlite3.Connection, key: str, since: date) -> str:
    row = db.execute(
        "SELECT query, COUNT(*) AS n FROM searches WHERE query_key = ? AND day >= ?"
        " AND (results = 0 OR confident = 0) GROUP BY query ORDER BY n DESC, query LIMIT 1",
        (key, since.isoformat()),
    ).fetchone()
    return row[0] if row else key
