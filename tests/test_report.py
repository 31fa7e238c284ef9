"""The editors' report: its parts, its grouping, the nearest questions and `make report`."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from scripts import report as report_script
from search_api.listening.store import Feedback, FeedbackStore, SearchRecord, utc_today
from search_api.listening.report import add_months, articles_due

from .conftest import Built

TODAY = date(2026, 11, 23)


def article(docs: Path, path: str, last_reviewed: str | None) -> None:
    file = docs / path
    file.parent.mkdir(parents=True, exist_ok=True)
    reviewed = f"last_reviewed: {last_reviewed}\n" if last_reviewed else ""
    file.write_text(f"---\ntitle: {path}\n{reviewed}---\n# {path}\n", encoding="utf-8")


def test_months_are_added_as_calendar_months() -> None:
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2025, 11, 23), 12) == date(2026, 11, 23)


def test_articles_due_for_review_use_12_months_and_6_for_law_and_ai(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    article(docs, "royalties/old.md", (TODAY - timedelta(days=400)).isoformat())
    article(docs, "royalties/fresh.md", (TODAY - timedelta(days=300)).isoformat())
    article(docs, "royalties/index.md", "2025-11-23")  # exactly 12 months: due today
    article(docs, "law-changes/bill.md", (TODAY - timedelta(days=200)).isoformat())
    article(docs, "ai/voices.md", (TODAY - timedelta(days=150)).isoformat())
    article(docs, "help/never.md", None)
    article(docs, "help/typo.md", "last week")
    (docs / "snippets").mkdir()
    (docs / "snippets" / "note.md").write_text("No front matter: not an article.\n", encoding="utf-8")
    due = articles_due(docs, "https://help.example.org/", TODAY)
    assert [(d.page, d.months) for d in due] == [
        ("help/never/", 12), ("help/typo/", 12),  # unreadable dates first: fix them now
        ("royalties/old/", 12), ("law-changes/bill/", 6), ("royalties/", 12),
    ]
    assert due[0].url == "https://help.example.org/help/never/"


@pytest.fixture
def filled_store(built: Built, tmp_path: Path) -> FeedbackStore:
    store = FeedbackStore(tmp_path / "report.sqlite3", retention_days=180)
    today = utc_today()
    for query in ("Joining fee for my band?", "joining fee band", "band joining fee"):
        store.add_search(SearchRecord("search", query, 3, 1.2, False), today=today)
    store.add_search(SearchRecord("answer", "qwxyzzy", 0, None, False), today=today)
    store.add_search(SearchRecord("search", "how do I join", 5, 9.0, True), today=today)
    join = next(p for p in built.pages if p.page == "start-here/join/")
    for reason in ("wrong_or_out_of_date", "wrong_or_out_of_date", "unclear"):
        store.add_feedback(Feedback(join.page, join.sections[1].anchor, False, reason, f"note {reason}"), today=today)
    store.add_feedback(Feedback(join.page, join.sections[1].anchor, True), today=today)
    store.close()
    return store


def run_report(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], built: Built,
               store: FeedbackStore, *args: str) -> str:
    monkeypatch.setenv("FEEDBACK_DB", str(store.path))
    monkeypatch.setenv("INDEX_DIR", str(built.settings.index_dir))
    monkeypatch.setenv("DOCS_DIR", str(built.settings.docs_dir))
    monkeypatch.setenv("SITE_URL", built.settings.site_url)
    assert report_script.main(list(args)) == 0
    return capsys.readouterr().out


def test_make_report_groups_failed_searches_and_names_the_nearest_question(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], built: Built, filled_store: FeedbackStore,
) -> None:
    text = run_report(monkeypatch, capsys, built, filled_store)
    lines = text.splitlines()
    assert lines[0].startswith("Editors' report, ")
    grouped = next(i for i, line in enumerate(lines) if "joining fee" in line.lower())
    assert lines[grouped].split()[:2] == ["3", "0"]  # three wordings, one group, all with results
    assert "how do I join" not in text  # a confident search is no failure
    nearest = urlsplit(lines[grouped + 1].split()[-1])
    html = (built.site_dir / nearest.path.lstrip("/") / "index.html").read_text(encoding="utf-8")
    assert nearest.fragment and f'id="{nearest.fragment}"' in html
    assert '"qwxyzzy"' in text and "(no question shares a word with it)" in text
    assert "3 No, 1 Yes" in text and "wrong or out of date 2, unclear 1" in text
    assert '- "note unclear"' in text


def test_make_report_as_csv_and_html(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], built: Built, filled_store: FeedbackStore,
) -> None:
    rows = list(csv.DictReader(io.StringIO(run_report(monkeypatch, capsys, built, filled_store, "--format", "csv"))))
    assert [r["section"] for r in rows if r["section"] != "review_due"] == ["failed_search", "failed_search",
                                                                            "no_answers"]
    assert rows[0]["count"] == "3" and rows[0]["url"].startswith(built.settings.site_url)
    html = run_report(monkeypatch, capsys, built, filled_store, "--format", "html", "--rows", "1")
    assert html.startswith("<!doctype html>") and html.count("<tbody>") >= 2
    assert "qwxyzzy" not in html  # --rows 1 keeps only the most frequent


def test_make_report_reads_without_creating_a_database(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], built: Built, tmp_path: Path,
) -> None:
    missing = FeedbackStore(tmp_path / "none-yet.sqlite3", retention_days=180)
    text = run_report(monkeypatch, capsys, built, missing)
    assert "0 searches and 0 answers" in text and text.count("None.") >= 2
    assert not missing.path.exists()


def test_make_report_help_and_bad_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        report_script.main(["--help"])
    assert done.value.code == 0 and "--format" in capsys.readouterr().out
    with pytest.raises(SystemExit) as done:
        report_script.main(["--rows", "0"])
    assert done.value.code == 2
