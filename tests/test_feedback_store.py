"""The store, on SQLite and on a real PostgreSQL server: schema on start, scrubbed,
nothing identifying, retention, the report's queries, and an upgrade of an old file."""

from __future__ import annotations

import random
import sqlite3
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from search_api.listening.scrub import scrub, scrubbed_start
from search_api.listening.store import (
    MAX_STORED_QUERY_CHARS, SCHEMA_VERSION, Feedback, FeedbackStore, SearchRecord, StoreUnavailable, query_key,
)

from .postgres import Cluster

TODAY = date(2026, 11, 23)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> FeedbackStore:
    """An empty store on each kind of database FEEDBACK_DB can name."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'var' / 'feedback.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres").create_database()
    opened = FeedbackStore(url, retention_days=180)
    yield opened
    opened.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> FeedbackStore:
    opened = FeedbackStore(tmp_path / "var" / "feedback.sqlite3", retention_days=180)
    yield opened
    opened.close()


def rows(store: FeedbackStore, sql: str) -> list[tuple]:
    with store.engine.connect() as db:
        return [tuple(row) for row in db.execute(sa.text(sql))]


def test_sqlite_the_file_appears_on_open_in_wal_mode(sqlite_store: FeedbackStore) -> None:
    assert not sqlite_store.path.exists()
    assert not sqlite_store.exists()  # asking creates nothing
    sqlite_store.open()
    assert sqlite_store.path.exists() and sqlite_store.exists()
    assert rows(sqlite_store, "PRAGMA journal_mode") == [("wal",)]


def test_the_schema_is_created_on_open_and_opening_again_changes_nothing(store: FeedbackStore) -> None:
    assert not store.exists()
    store.open()
    store.add_feedback(Feedback(page="a/", anchor="b", helpful=True), today=TODAY)
    store.close()
    store.open()
    assert store.counts() == {"feedback": 1, "searches": 0, "desk_choices": 0}
    assert rows(store, "SELECT version FROM schema_info") == [(SCHEMA_VERSION,)]


def test_no_column_can_hold_an_address_a_cookie_or_a_time_of_day(store: FeedbackStore) -> None:
    store.add_feedback(Feedback(page="a/", anchor="b", helpful=True), today=TODAY)
    inspector = sa.inspect(store.engine)
    columns = {c["name"] for table in ("feedback", "searches") for c in inspector.get_columns(table)}
    assert columns == {"id", "day", "page", "anchor", "helpful", "reason", "comment",
                       "endpoint", "query", "query_key", "results", "top_score", "confident"}
    (day,), = rows(store, "SELECT day FROM feedback")
    assert str(day) == "2026-11-23"  # a day, with no time in it


def test_comments_and_queries_are_scrubbed_before_writing(store: FeedbackStore) -> None:
    store.add_feedback(Feedback(page="a/", anchor="b", helpful=False, reason="unclear",
                                comment="Call 082 123 4567 or a.b@example.com, ID 8001015009087"), today=TODAY)
    store.add_search(SearchRecord(endpoint="search", query="royalties for me@example.com 0821234567",
                                  results=0, top_score=None, confident=False), today=TODAY)
    assert rows(store, "SELECT comment FROM feedback") == [("Call [phone] or [email], ID [ID number]",)]
    assert rows(store, "SELECT query FROM searches") == [("royalties for [email] [phone]",)]


def test_sqlite_no_detail_reaches_the_file_or_its_log(sqlite_store: FeedbackStore) -> None:
    sqlite_store.add_feedback(Feedback(page="a/", anchor="b", helpful=False, reason="unclear",
                                       comment="Call 082 123 4567 or a.b@example.com"), today=TODAY)
    sqlite_store.add_search(SearchRecord("search", "royalties for me@example.com 0821234567", 0, None, False),
                            today=TODAY)
    path = sqlite_store.path
    raw = path.read_bytes() + path.with_name(path.name + "-wal").read_bytes()
    for detail in (b"082 123 4567", b"a.b@example.com", b"me@example.com", b"0821234567"):
        assert detail not in raw


def test_text_neither_database_can_hold_is_stored_replaced(store: FeedbackStore) -> None:
    # PostgreSQL refuses NUL in text; neither encodes a lone surrogate (from a JSON or URL escape).
    store.add_search(SearchRecord("search", "fee\x00s \ud800 late", 1, 1.0, True), today=TODAY)
    store.add_feedback(Feedback(page="a/", anchor="b", helpful=False, reason="unclear", comment="bad\x00 \udfff"),
                       today=TODAY)
    assert rows(store, "SELECT query FROM searches") == [("fee\ufffds \ufffd late",)]
    assert rows(store, "SELECT comment FROM feedback") == [("bad\ufffd \ufffd",)]


def test_a_pasted_essay_is_kept_only_in_part(store: FeedbackStore) -> None:
    store.add_search(SearchRecord(endpoint="answer", query="royalties " * 2000, results=3, top_score=1.5,
                                  confident=True), today=TODAY)
    (query,), = rows(store, "SELECT query FROM searches")
    assert len(query) <= 300


def test_an_already_scrubbed_query_is_kept_as_the_same_start(store: FeedbackStore) -> None:
    message = "Hi, I'm Thandi Nkosi, call 082 123 4567. " + "When do I get my radio royalties? " * 30
    store.add_searches([SearchRecord("search", message, 1, 1.0, True),
                        SearchRecord("search", scrubbed_start(message, 500), 1, 1.0, True)], today=TODAY)
    kept = [q for (q,) in rows(store, "SELECT query FROM searches ORDER BY id")]
    assert kept[0] == kept[1] and "Thandi" not in kept[0] and "[phone]" in kept[0]


def test_retention_deletes_only_rows_older_than_the_setting(store: FeedbackStore) -> None:
    store.retention_days = 30
    store.add_feedback(Feedback(page="a/", anchor="old", helpful=True), today=TODAY - timedelta(days=31))
    store.add_search(SearchRecord("search", "old", 0, None, False), today=TODAY - timedelta(days=31))
    store.add_feedback(Feedback(page="a/", anchor="kept", helpful=True), today=TODAY - timedelta(days=30))
    store.add_search(SearchRecord("search", "kept", 0, None, False), today=TODAY - timedelta(days=30))
    assert store.counts() == {"feedback": 2, "searches": 2, "desk_choices": 0}
    # The first write of a new day prunes.
    store.add_search(SearchRecord("search", "new", 1, 2.0, True), today=TODAY)
    assert store.counts() == {"feedback": 1, "searches": 2, "desk_choices": 0}
    assert rows(store, "SELECT anchor FROM feedback") == [("kept",)]
    assert sorted(q for (q,) in rows(store, "SELECT query FROM searches")) == ["kept", "new"]
    assert store.prune(today=TODAY + timedelta(days=1)) == 2  # the day-30 rows, now 31 days old
    assert store.counts() == {"feedback": 0, "searches": 1, "desk_choices": 0}


def test_searches_group_by_their_words_after_normalising(store: FeedbackStore) -> None:
    assert query_key("My royalties are LATE!") == query_key("late royalties") == query_key("royalties late?")
    for query, results, confident in [("My royalties are LATE!", 4, False), ("late royalties", 0, None),
                                      ("late royalties", 5, False), ("royalties late?", 3, True),
                                      ("sampling a beat", 0, False)]:
        store.add_search(SearchRecord("search", query, results, 1.0 if results else None, confident), today=TODAY)
    failed = store.failed_searches(since=TODAY, limit=10)
    assert [(f.example, f.count, f.no_results) for f in failed] == [
        ("late royalties", 3, 1),  # the confident "royalties late?" is not a failure
        ("sampling a beat", 1, 1),
    ]


def test_question_votes_rank_by_no_answers_with_reasons_and_newest_comments(store: FeedbackStore) -> None:
    answers = [("a/", "fees", False, "wrong_or_out_of_date", "The fee is R150 now"),
               ("a/", "fees", False, "unclear", None),
               ("a/", "fees", False, "wrong_or_out_of_date", "Out of date"),
               ("a/", "fees", True, None, None),
               ("b/", "join", False, "broken_link", "Link to the form 404s"),
               ("b/", "only-yes", True, None, None)]
    for page, anchor, helpful, reason, comment in answers:
        store.add_feedback(Feedback(page, anchor, helpful, reason, comment), today=TODAY)
    votes = store.question_votes(since=TODAY, limit=10)
    assert [(v.page, v.anchor, v.no, v.yes) for v in votes] == [("a/", "fees", 3, 1), ("b/", "join", 1, 0)]
    assert votes[0].reasons == {"wrong_or_out_of_date": 2, "unclear": 1}
    assert votes[0].comments == ("Out of date", "The fee is R150 now")


def test_replicas_starting_together_create_the_schema_once(postgres: Cluster) -> None:
    url = postgres.create_database()
    stores = [FeedbackStore(url, retention_days=180) for _ in range(4)]
    errors: list[Exception] = []

    def start(store: FeedbackStore) -> None:
        try:
            store.open()
        except Exception as error:  # noqa: BLE001 (collected and asserted below)
            errors.append(error)

    threads = [threading.Thread(target=start, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert rows(stores[0], "SELECT version FROM schema_info") == [(SCHEMA_VERSION,)]
    for store in stores:
        store.close()


def test_an_unreachable_database_is_store_unavailable_not_a_crash(postgres: Cluster) -> None:
    store = FeedbackStore(f"postgresql://postgres@127.0.0.1:{postgres.port + 1}/nothing", retention_days=180)
    with pytest.raises(StoreUnavailable):
        store.open()
    with pytest.raises(StoreUnavailable):
        store.add_feedback(Feedback(page="a/", anchor="b", helpful=True))


def test_a_file_from_before_this_store_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:  # the schema the hand-written SQLite store created (schema 1)
        db.executescript("""
            CREATE TABLE feedback (id INTEGER PRIMARY KEY, day TEXT NOT NULL, page TEXT NOT NULL,
                anchor TEXT NOT NULL, helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)), reason TEXT, comment TEXT);
            CREATE INDEX feedback_question ON feedback (page, anchor);
            CREATE INDEX feedback_day ON feedback (day);
            CREATE TABLE searches (id INTEGER PRIMARY KEY, day TEXT NOT NULL, endpoint TEXT NOT NULL,
                query TEXT NOT NULL, query_key TEXT NOT NULL, results INTEGER NOT NULL, top_score REAL,
                confident INTEGER);
            CREATE INDEX searches_key ON searches (query_key);
            CREATE INDEX searches_day ON searches (day);
            INSERT INTO feedback (day, page, anchor, helpful, reason, comment)
                VALUES ('2026-11-20', 'a/', 'fees', 0, 'unclear', 'Too vague');
            INSERT INTO searches (day, endpoint, query, query_key, results, top_score, confident)
                VALUES ('2026-11-20', 'search', 'late royalties', 'late royalti', 0, NULL, 0);
            PRAGMA user_version = 1;
        """)
    store = FeedbackStore(path, retention_days=180)
    store.open()
    store.add_feedback(Feedback(page="a/", anchor="fees", helpful=False, reason="unclear"), today=TODAY)
    assert [(v.no, v.comments) for v in store.question_votes(since=date(2026, 11, 1), limit=5)] == [
        (2, ("Too vague",))]
    assert [(f.example, f.count) for f in store.failed_searches(since=date(2026, 11, 1), limit=5)] == [
        ("late royalties", 1)]
    assert rows(store, "SELECT day FROM feedback ORDER BY id") == [("2026-11-20",), ("2026-11-23",)]
    store.close()


def test_a_database_written_by_a_newer_version_is_refused(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "f.sqlite3", retention_days=180)
    store.open()
    with store.engine.begin() as db:
        db.execute(sa.text("UPDATE schema_info SET version = :v"), {"v": SCHEMA_VERSION + 1})
    store.close()
    with pytest.raises(StoreUnavailable, match="newer version"):
        store.open()


def test_a_long_query_is_cut_where_no_detail_can_be_split() -> None:
    # Only the start of a pasted message is scrubbed and kept; what is kept must be
    # exactly the start of the whole message scrubbed, wherever the details fall.
    rng = random.Random(11)
    parts = ["royalties", "call", "082 123 4567", "+27 82 555 1234", "me@example.org", "ID", "8001015009087",
             "(011) 000-0000", "Regards,", "Thandi", "1 000 000", "T-345.246.800-1", "-", "50/50", "x" * 40]
    for _ in range(500):
        text = " ".join(rng.choice(parts) for _ in range(rng.randint(1, 200)))
        kept = scrubbed_start(text, MAX_STORED_QUERY_CHARS)
        assert scrub(text).strip().startswith(kept), text
        assert len(kept) <= MAX_STORED_QUERY_CHARS
