"""Learning from agents: what they searched before copying a question becomes an editor's suggestion."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from search_api.listening.store import Choice, FeedbackStore, utc_today

from .conftest import Built, sqlite_file
from .test_desk_pages import ask, context, page  # noqa: F401 (fixtures)
from .test_report import run_report


def test_copying_a_card_on_the_desk_records_the_question_and_what_was_asked(
        page: Page, built: Built) -> None:  # noqa: F811
    asked = "who collects mechanicals for my songs"
    ask(page, asked)
    with page.expect_request(lambda r: r.url.endswith("/api/desk/copied") and r.method == "POST") as sent:
        page.keyboard.press("ArrowDown")
        page.keyboard.press("l")
        expect(page.locator("#status")).to_have_text("Copied the link")
    card = page.locator(".card").first
    body = sent.value.post_data_json
    assert body == {"query": asked, "page": card.get_attribute("data-page"), "anchor": card.get_attribute("data-anchor")}
    assert sent.value.response().status == 201
    store = FeedbackStore(sqlite_file(built.settings.feedback_db), retention_days=180)
    try:
        found = store.suggested_phrasings(utc_today(), 50)
    finally:
        store.close()
    assert any(s.example == asked and s.anchor == body["anchor"] for s in found)


def test_a_copy_for_no_question_is_refused(client: httpx.Client) -> None:
    response = client.post("/api/desk/copied", json={"query": "x", "page": "royalties/mechanical/", "anchor": "nope"})
    assert response.status_code == 422


def test_the_query_is_scrubbed_before_it_is_stored(built: Built, tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "choices.sqlite3", retention_days=180)
    store.add_choice(Choice("my number is 082 555 1234 when do i get paid", "getting-paid/payment-dates/",
                            "when-will-i-get-paid"))
    [found] = store.suggested_phrasings(utc_today(), 10)
    assert "555" not in found.example and "when do i get paid" in found.example
    store.close()


def test_the_report_lists_suggestions_with_the_command_and_skips_what_is_written(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], built: Built, tmp_path: Path,
) -> None:
    store = FeedbackStore(tmp_path / "report.sqlite3", retention_days=180)
    for _ in range(2):
        store.add_choice(Choice("radio money for my old records", "royalties/needletime/", "what-is-needletime"))
    store.add_choice(Choice("What's needle time?", "royalties/needletime/", "what-is-needletime"))  # written already
    store.close()
    text = run_report(monkeypatch, capsys, built, store)
    assert "Suggested phrasings" in text
    assert '"radio money for my old records"  ->  What is needletime?' in text
    assert "python -m scripts.add_phrasing royalties/needletime/#what-is-needletime 'radio money for my old records'" in text
    assert "needle time?" not in text.lower().split("suggested phrasings")[1].split("articles due")[0]
