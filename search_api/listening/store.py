"""What readers tell us, in the database FEEDBACK_DB names: feedback and the record of searches.

One store for both kinds of database, through SQLAlchemy Core: a SQLite file by default
(nothing to install), or PostgreSQL when several API processes on several machines
share what readers tell us. The same tables and the same queries serve both.

Privacy by construction: rows hold the UTC day (not the time, which could be matched
against a web server's access log), never an IP address or cookie, and every free
text passes through `scrub` here, in the only code that writes.

Schema: `open()` creates the tables or upgrades them (SCHEMA_VERSION), under a lock so
that replicas starting together do not race; a newer schema than this code knows is
refused. A new table is a new `Table` on METADATA and a version bump: `open()` creates
what is missing. A changed column would be the time to bring in a migration tool.

Availability: every method raises `StoreUnavailable` when the database cannot be
reached, is full or refuses a write; callers answer 503 (feedback) or log and go on
(the search record). Nothing already committed is touched by a failure, and the next
call tries again: a database that comes back needs no restart of the API.

Durability: SQLite runs in WAL mode with synchronous=NORMAL (a committed row survives
the process being killed; only a power cut can lose the last commits), and readers
such as `make report` never block the writers. PostgreSQL commits are its own.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from search_api.engine.analysis import stems
from search_api.listening.scrub import Scrubbed, scrub, scrubbed_start


log = logging.getLogger("search_api.listening.store")

SCHEMA_VERSION = 2  # 2: desk_choices
# A pasted message is kept only as far as editors can use it in a report.
MAX_STORED_QUERY_CHARS = 300
MAX_CHOICE_QUERY_CHARS = 160  # a phrasing is a question, not a whole message
BUSY_TIMEOUT_MS = 10_000  # SQLite: other processes (workers, `make report`) hold the lock briefly
CONNECT_TIMEOUT_S = 5  # PostgreSQL: a server that does not answer is down, for our purposes
STATEMENT_TIMEOUT_MS = 10_000
_UPGRADE_LOCK_KEY = 20_2026_12  # pg_advisory_xact_lock: one replica upgrades at a time

METADATA = sa.MetaData()
_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # SQLite: INTEGER PRIMARY KEY is the rowid
FEEDBACK = sa.Table(
    "feedback", METADATA,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("page", sa.Text, nullable=False),
    sa.Column("anchor", sa.Text, nullable=False),
    sa.Column("helpful", sa.Boolean(create_constraint=True, name="feedback_helpful_bool"), nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("comment", sa.Text),
    sa.Index("feedback_question", "page", "anchor"),
    sa.Index("feedback_day", "day"),
)
SEARCHES = sa.Table(
    "searches", METADATA,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("endpoint", sa.Text, nullable=False),
    sa.Column("query", sa.Text, nullable=False),
    sa.Column("query_key", sa.Text, nullable=False),
    sa.Column("results", sa.Integer, nullable=False),
    sa.Column("top_score", sa.Float),
    sa.Column("confident", sa.Boolean(create_constraint=True, name="searches_confident_bool")),
    sa.Index("searches_key", "query_key"),
    sa.Index("searches_day", "day"),
)
# What an agent searched on the desk before copying a question's link or reply: the
# editors' report offers these as other phrasings of that question (nothing reaches
# search until an editor adds one to the Markdown).
CHOICES = sa.Table(
    "desk_choices", METADATA,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("query", sa.Text, nullable=False),  # scrubbed, at most MAX_CHOICE_QUERY_CHARS
    sa.Column("query_key", sa.Text, nullable=False),
    sa.Column("page", sa.Text, nullable=False),
    sa.Column("anchor", sa.Text, nullable=False),
    sa.Index("desk_choices_day", "day"),
)
SCHEMA_INFO = sa.Table("schema_info", METADATA, sa.Column("version", sa.Integer, nullable=False))
_RETAINED = (FEEDBACK, SEARCHES, CHOICES)  # tables whose rows expire after RETENTION_DAYS


class StoreUnavailable(Exception):
    """The database cannot be reached, is full, or refused the statement; nothing was written."""


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
    query: str  # as asked, or already `Scrubbed` by the caller (then it is not scrubbed twice)
    results: int
    top_score: float | None
    confident: bool | None  # None when the endpoint does not judge confidence


@dataclass(frozen=True)
class Choice:
    """An agent copied this question's link or reply after searching `query`."""

    query: str  # the question as the creator asked it (the desk's group text)
    page: str
    anchor: str


@dataclass(frozen=True)
class SuggestedPhrasing:
    page: str
    anchor: str
    example: str  # the most frequent scrubbed wording of the group
    count: int  # how many copies it led to


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


def database_url(setting: str) -> sa.URL:
    """FEEDBACK_DB as SQLAlchemy reads it: postgresql:// always through psycopg (version 3)."""
    url = sa.make_url(setting)
    if url.get_backend_name() == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url


def describe(url: sa.URL) -> str:
    """The database for log lines and messages, never with its password."""
    return url.render_as_string(hide_password=True)


def _create_engine(url: sa.URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        # One connection: SQLite takes one writer at a time, and the store's lock keeps
        # each statement on it in a known state.
        engine = sa.create_engine(url, pool_size=1, max_overflow=0,
                                  connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_connected)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if url.get_backend_name() != "postgresql":
        raise ValueError(f"FEEDBACK_DB must be a SQLite file or a postgresql:// URL, not {describe(url)}")
    return sa.create_engine(
        url, pool_size=4, max_overflow=8, pool_timeout=CONNECT_TIMEOUT_S,
        # A server restarted under us leaves dead connections in the pool: test each one
        # as it is taken, so the first request after an outage already works.
        pool_pre_ping=True,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "help-centre-api",
                      "options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"},
    )


def _sqlite_connected(dbapi_connection, _record) -> None:  # noqa: ANN001 (DB-API objects)
    # Transactions are begun by _sqlite_begin, not by the driver's guesswork.
    dbapi_connection.isolation_level = None
    for pragma in (f"busy_timeout = {BUSY_TIMEOUT_MS}", "journal_mode = WAL", "synchronous = NORMAL"):
        dbapi_connection.execute(f"PRAGMA {pragma}")


def _sqlite_begin(connection: Connection) -> None:
    # A write takes the lock at once (BEGIN IMMEDIATE) and so waits its turn behind
    # another process's writer; a deferred transaction that reads first and then writes
    # would fail at once instead.
    connection.exec_driver_sql("BEGIN IMMEDIATE" if connection.get_execution_options().get("write") else "BEGIN")


class FeedbackStore:
    """The database behind FEEDBACK_DB, shared by threads (and, on PostgreSQL, by replicas)."""

    def __init__(self, url: str | Path, retention_days: int) -> None:
        self.url = database_url(str(url) if "://" in str(url) else f"sqlite:///{url}")
        self.retention_days = retention_days
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        self.path: Path | None = Path(self.url.database) if self.is_sqlite and self.url.database else None
        self._engine: Engine | None = None
        # SQLite: one statement at a time in this process. PostgreSQL needs no such lock.
        self._lock = threading.Lock() if self.is_sqlite else None
        self._schema_lock = threading.Lock()
        self._ready = False
        self._pruned_on: date | None = None

    def __repr__(self) -> str:
        return f"FeedbackStore({describe(self.url)})"

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = _create_engine(self.url)
        return self._engine

    # --- opening ------------------------------------------------------------------

    def open(self) -> None:
        """Create or upgrade the schema now (at start-up); raises StoreUnavailable."""
        with self._schema_lock:
            if self._ready:
                return
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._write() as db:
                _upgrade(db)
            self._ready = True

    def exists(self) -> bool:
        """Whether the database holds our tables (reading never creates it); raises StoreUnavailable."""
        if self.path is not None and not self.path.exists():
            return False
        with self._read() as db:
            return sa.inspect(db).has_table(FEEDBACK.name)

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            if self._lock is None:
                yield
            else:
                with self._lock:
                    yield
        except sa.exc.SQLAlchemyError as error:
            raise StoreUnavailable(f"{describe(self.url)}: {_first_line(error)}") from error
        except OSError as error:  # e.g. a SQLite folder that cannot be created
            raise StoreUnavailable(f"{describe(self.url)}: {error}") from error

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._guard(), self.engine.connect().execution_options(write=True) as db, db.begin():
            yield db

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._guard(), self.engine.connect() as db, db.begin():
            yield db

    @contextmanager
    def _writing(self, today: date) -> Iterator[Connection]:
        """A write transaction on an upgraded schema, pruning first once a day."""
        if not self._ready:
            self.open()
        prune = self._pruned_on != today  # once a day is enough: retention counts in days
        with self._write() as db:
            if prune:
                _delete_before(db, today - timedelta(days=self.retention_days))
            yield db
        if prune:
            self._pruned_on = today

    # --- writing --------------------------------------------------------------------

    def add_feedback(self, feedback: Feedback, today: date | None = None) -> None:
        """Write one answer to "Did this answer your question?", its comment scrubbed."""
        today = today or utc_today()
        comment = _storable(scrub(feedback.comment).strip()) if feedback.comment else None
        with self._writing(today) as db:
            db.execute(FEEDBACK.insert(), {
                "day": today, "page": _storable(feedback.page), "anchor": _storable(feedback.anchor),
                "helpful": feedback.helpful, "reason": feedback.reason, "comment": comment or None,
            })

    def add_search(self, record: SearchRecord, today: date | None = None) -> None:
        """Write one search or answer request: its scrubbed query and how well it went."""
        self.add_searches([record], today)

    def add_searches(self, records: Iterable[SearchRecord], today: date | None = None) -> int:
        """Write many search records in one transaction (the search log's batches)."""
        today = today or utc_today()
        rows = [_search_row(record, today) for record in records]
        if rows:
            with self._writing(today) as db:
                db.execute(SEARCHES.insert(), rows)
        return len(rows)

    def add_choice(self, choice: Choice, today: date | None = None) -> None:
        """Write what an agent searched and the question they copied, the query scrubbed."""
        today = today or utc_today()
        query = _storable(scrubbed_start(choice.query, MAX_CHOICE_QUERY_CHARS))
        with self._writing(today) as db:
            db.execute(CHOICES.insert(), {"day": today, "query": query, "query_key": query_key(query),
                                          "page": _storable(choice.page), "anchor": _storable(choice.anchor)})

    def prune(self, today: date | None = None) -> int:
        """Delete every row older than the retention period; return how many went."""
        today = today or utc_today()
        if not self._ready:
            self.open()
        with self._write() as db:
            removed = _delete_before(db, today - timedelta(days=self.retention_days))
        self._pruned_on = today
        return removed

    # --- reading ----------------------------------------------------------------------

    def failed_searches(self, since: date, limit: int) -> list[FailedSearch]:
        """The most frequent searches that found nothing or nothing confident, grouped by key."""
        s = SEARCHES.c
        count = sa.func.count().label("n")
        groups = (sa.select(s.query_key, count, sa.func.sum(sa.case((s.results == 0, 1), else_=0)))
                  .where(s.day >= since, _failed())
                  .group_by(s.query_key).order_by(count.desc(), s.query_key).limit(limit))
        with self._read() as db:
            return [
                FailedSearch(query_key=key, example=_most_frequent_wording(db, key, since), count=n,
                             no_results=int(no_results or 0))
                for key, n, no_results in db.execute(groups).all()
            ]

    def question_votes(self, since: date, limit: int, comments_per_question: int = 5) -> list[QuestionVotes]:
        """The questions with the most No answers, with their reasons and newest comments."""
        f = FEEDBACK.c
        no = sa.func.sum(sa.case((f.helpful == sa.false(), 1), else_=0))
        yes = sa.func.sum(sa.case((f.helpful == sa.true(), 1), else_=0))
        ranked = (sa.select(f.page, f.anchor, no.label("no"), yes.label("yes"))
                  .where(f.day >= since).group_by(f.page, f.anchor).having(no > 0)
                  .order_by(no.desc(), f.page, f.anchor).limit(limit))
        with self._read() as db:
            votes = []
            for page, anchor, n_no, n_yes in db.execute(ranked).all():
                this = (f.day >= since, f.page == page, f.anchor == anchor)
                n = sa.func.count().label("n")
                reasons = db.execute(
                    sa.select(sa.func.coalesce(f.reason, ""), n).where(*this, f.helpful == sa.false())
                    .group_by(f.reason).order_by(n.desc(), f.reason)).all()
                comments = db.execute(
                    sa.select(f.comment).where(*this, f.comment.is_not(None))
                    .order_by(f.id.desc()).limit(comments_per_question)).scalars().all()
                votes.append(QuestionVotes(page=page, anchor=anchor, no=int(n_no), yes=int(n_yes),
                                           reasons={r: int(c) for r, c in reasons}, comments=tuple(comments)))
            return votes

    def suggested_phrasings(self, since: date, limit: int) -> list[SuggestedPhrasing]:
        """The wordings agents searched most before copying a question, per question."""
        c = CHOICES.c
        n = sa.func.count().label("n")
        groups = (sa.select(c.page, c.anchor, c.query_key, n).where(c.day >= since)
                  .group_by(c.page, c.anchor, c.query_key).order_by(n.desc(), c.page, c.anchor, c.query_key)
                  .limit(limit))
        with self._read() as db:
            found = []
            for page, anchor, key, count in db.execute(groups).all():
                example = db.execute(
                    sa.select(c.query, sa.func.count().label("k"))
                    .where(c.page == page, c.anchor == anchor, c.query_key == key, c.day >= since)
                    .group_by(c.query).order_by(sa.text("k DESC"), c.query).limit(1)).first()
                found.append(SuggestedPhrasing(page=page, anchor=anchor, example=example[0] if example else key,
                                               count=int(count)))
            return found

    def counts(self) -> dict[str, int]:
        """Rows per table: for tests and the report's heading."""
        with self._read() as db:
            return {table.name: db.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                    for table in _RETAINED}

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        self._ready = False


# --- the schema -----------------------------------------------------------------------

def _upgrade(db: Connection) -> None:
    """Bring the schema to SCHEMA_VERSION inside the caller's write transaction."""
    if db.dialect.name == "postgresql":
        db.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK_KEY})
    version = _schema_version(db)
    if version > SCHEMA_VERSION:
        raise StoreUnavailable(f"FEEDBACK_DB was written by a newer version (schema {version}); "
                               f"this one knows schema {SCHEMA_VERSION}")
    METADATA.create_all(db)  # creates only what is missing
    if version != SCHEMA_VERSION:
        db.execute(SCHEMA_INFO.delete())
        db.execute(SCHEMA_INFO.insert(), {"version": SCHEMA_VERSION})
        if db.dialect.name == "sqlite":
            db.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")  # what earlier versions read
        log.info("feedback database at schema %d (was %d)", SCHEMA_VERSION, version)


def _schema_version(db: Connection) -> int:
    inspector = sa.inspect(db)
    if inspector.has_table(SCHEMA_INFO.name):
        return int(db.execute(sa.select(sa.func.max(SCHEMA_INFO.c.version))).scalar() or 0)
    if db.dialect.name == "sqlite":
        # Files written before this store kept their version in SQLite's own header.
        return int(db.exec_driver_sql("PRAGMA user_version").scalar() or 0)
    return 0


# --- helpers ----------------------------------------------------------------------------

def _search_row(record: SearchRecord, today: date) -> dict:
    if isinstance(record.query, Scrubbed):
        kept = record.query[:MAX_STORED_QUERY_CHARS].rstrip()
    else:
        kept = scrubbed_start(record.query, MAX_STORED_QUERY_CHARS)
    query = _storable(kept)
    return {"day": today, "endpoint": record.endpoint, "query": query, "query_key": query_key(query),
            "results": record.results, "top_score": record.top_score, "confident": record.confident}


_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


def _storable(text: str) -> str:
    # A query can hold lone surrogates (from JSON or URL escapes), which neither database
    # can encode, and NUL characters, which PostgreSQL refuses in text.
    return _UNSTORABLE.sub("\ufffd", text)


def _failed() -> sa.ColumnElement[bool]:
    s = SEARCHES.c
    return sa.or_(s.results == 0, s.confident == sa.false())


def _delete_before(db: Connection, cutoff: date) -> int:
    return sum(db.execute(table.delete().where(table.c.day < cutoff)).rowcount for table in _RETAINED)


def _most_frequent_wording(db: Connection, key: str, since: date) -> str:
    s = SEARCHES.c
    n = sa.func.count().label("n")
    row = db.execute(sa.select(s.query, n).where(s.query_key == key, s.day >= since, _failed())
                     .group_by(s.query).order_by(n.desc(), s.query).limit(1)).first()
    return row[0] if row else key


def _first_line(error: Exception) -> str:
    text = str(getattr(error, "orig", None) or error)
    return text.strip().splitlines()[0] if text.strip() else type(error).__name__
