"""The SQLite store: created on first use, WAL, scrubbed, nothing identifying, retention."""

from __future__ import annotations

import random
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from search_api.listening.store import (
    MAX_STORED_QUERY_CHARS, Feedback, FeedbackStore, SearchRecord, query_key, scrubbed_start,
)
from search_api.listening.scrub import scrub

TODAY = date(2026, 11, 23)


@pytest.fixture
def store(tmp_path: Path) -> FeedbackStore:
    opened = FeedbackStore(tmp_path / "var" / "feedback.sqlite3", retention_days=180)
    yield opened
    opened.close()


def rows(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute(sql).fetchall()


def test_the_file_appears_on_first_write_in_wal_mode(store: FeedbackStore) -> None:
    assert not store.path.exists()
    store.add_feedback(Feedback(page="a/", anchor="b", helpful=True), today=TODAY)
    assert store.path.exists()
    assert rows(store.path, "PRAGMA journal_mode") == [("wal",)]


def test_no_column_can_hold_an_address_a_cookie_or_a_time_of_day(store: FeedbackStore) -> None:
    store.add_feedback(Feedback(page="a/", anchor="b", helpful=True), today=TODAY)
    columns = {name for table in ("feedback", "searches")
               for (_, name, *_) in rows(store.path, f"PRAGMA table_info({table})")}
    assert columns == {"id", "day", "page", "anchor", "helpful", "reason", "comment",
                       "endpoint", "query", "query_key", "results", "top_score", "confident"}
    assert rows(store.path, "SELECT day FROM feedback") == [("2026-11-23",)]


def test_comments_and_queries_are_scrubbed_before_writing(store: FeedbackStore) -> None:
    store.add_feedback(Feedback(page="a/", anchor="b", helpful=False, reason="unclear",
                                comment="Call 082 123 4567 or a.b@example.com, ID 8001015009087"), today=TODAY)
    store.add_search(SearchRecord(endpoint="search", query="royalties for me@example.com 0821234567",
                                  results=0, top_score=None, confident=False), today=TODAY)
    raw = store.path.read_bytes() + store.path.with_name(store.path.name + "-wal").read_bytes()
    for detail in (b"082 123 4567", b"a.b@example.com", b"8001015009087", b"me@example.com", b"0821234567"):
        assert detail not in raw
    assert rows(store.path, "SELECT comment FROM feedback") == [("Call [phone] or [email], ID [ID number]",)]
    assert rows(store.path, "SELECT query FROM searches") == [("royalties for [email] [phone]",)]


def test_a_pasted_essay_is_kept_only_in_part(store: FeedbackStore) -> None:
    store.add_search(SearchRecord(endpoint="answer", query="royalties " * 2000, results=3, top_score=1.5,
                                  confident=True), today=TODAY)
    (query,), = rows(store.path, "SELECT query FROM searches")
    assert len(query) <= 300


def test_retention_deletes_rows_older_than_the_setting(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "f.sqlite3", retention_days=30)
    store.add_feedback(Feedback(page="a/", anchor="old", helpful=True), today=TODAY - timedelta(days=31))
    store.add_search(SearchRecord("search", "old", 0, None, False), today=TODAY - timedelta(days=31))
    store.add_feedback(Feedback(page="a/", anchor="kept", helpful=True), today=TODAY - timedelta(days=30))
    assert store.counts() == {"feedback": 2, "searches": 1}
    # The first write of a new day prunes.
    store.add_search(SearchRecord("search", "new", 1, 2.0, True), today=TODAY)
    assert store.counts() == {"feedback": 1, "searches": 1}
    assert rows(store.path, "SELECT anchor FROM feedback") == [("kept",)]
    store.close()


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
