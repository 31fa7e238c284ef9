"""The "Did this answer your question?" widget in Debian's Chromium (conftest's `browser`),
against the real server, and on the site hosted alone (no API), where it must hide itself
and break nothing."""

from __future__ import annotations

import functools
import re
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from search_api.settings import ROOT

from .conftest import Built, ServerThread, free_port, sqlite_file

PAGE = "start-here/join/"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    opened = context.new_page()
    opened.problems = []  # type: ignore[attr-defined]
    opened.on("pageerror", lambda error: opened.problems.append(f"page error: {error}"))
    opened.on("console", lambda message: _note_console(opened, message))
    yield opened
    context.close()


def _note_console(page: Page, message: ConsoleMessage) -> None:
    # A failed fetch of the API is expected on a site hosted alone; script errors and
    # Content-Security-Policy refusals never are.
    if message.type == "error" and "Failed to load resource" not in message.text:
        page.problems.append(f"console: {message.text}")  # type: ignore[attr-defined]


def anchors_of(built: Built) -> list[str]:
    return [s.anchor for s in next(p for p in built.pages if p.page == PAGE).sections]


def stored(built: Built, comment_marker: str) -> list[tuple]:
    with sqlite3.connect(sqlite_file(built.settings.feedback_db)) as connection:
        return connection.execute(
            "SELECT page, anchor, helpful, reason, comment FROM feedback WHERE comment LIKE ?",
            (f"%{comment_marker}%",),
        ).fetchall()


def widget(page: Page, anchor: str):  # -> Locator
    return page.locator(f'.question-feedback[data-anchor="{anchor}"]')


def test_no_then_a_reason_and_a_comment_is_stored_as_one_row(page: Page, server: ServerThread, built: Built) -> None:
    anchors = anchors_of(built)
    page.goto(f"{server.base_url}/{PAGE}")
    expect(page.locator(".question-feedback[data-anchor]")).to_have_count(len(anchors))
    anchor = anchors[3]
    question = next(s.question for p in built.pages if p.page == PAGE for s in p.sections if s.anchor == anchor)
    box = widget(page, anchor)
    # Screen readers hear which question the buttons are about.
    expect(box).to_have_accessible_name(re.compile(re.escape(f"Did this answer your question? ({question})")))
    box.get_by_role("button", name="No").click()
    expect(box.get_by_role("button", name="No")).to_have_attribute("aria-expanded", "true")
    contact = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)["extra"]["contact"]
    expect(box.get_by_role("link", name=contact["email"])).to_have_attribute("href", f"mailto:{contact['email']}")
    box.get_by_role("radio", name="It didn't answer my question").check()
    comment_box = box.get_by_role("textbox", name="Anything else we should know? (optional)")
    expect(comment_box).to_have_accessible_description(re.compile("Please don't write your name"))
    marker = uuid.uuid4().hex[:12]
    comment = f"Widget {marker}: what about DJs? Mail me at dj@example.org"
    comment_box.fill(comment)
    expect(box.get_by_text(f"{len(comment)} of 500 characters")).to_be_visible()
    box.get_by_role("button", name="Send").click()
    expect(box.get_by_role("status")).to_have_text(re.compile("^Thank you"))
    assert stored(built, marker) == [(PAGE, anchor, 0, "did_not_answer", f"Widget {marker}: what about DJs? Mail me at [email]")]
    assert page.problems == []  # type: ignore[attr-defined]


def test_the_widget_works_from_the_keyboard_alone(page: Page, server: ServerThread, built: Built) -> None:
    anchor = anchors_of(built)[4]
    page.goto(f"{server.base_url}/{PAGE}")
    box = widget(page, anchor)
    no = box.get_by_role("button", name="No")
    no.focus()
    page.keyboard.press("Space")
    first_reason = box.get_by_role("radio", name="It was unclear")
    expect(first_reason).to_be_focused()
    page.keyboard.press("Tab")  # to the comment box (a radio group is one tab stop)
    page.keyboard.press("Tab")  # to Send, with no reason chosen yet
    page.keyboard.press("Enter")
    expect(box.get_by_role("status")).to_have_text(re.compile("Choose what was wrong"))
    expect(first_reason).to_be_focused()
    page.keyboard.press("ArrowDown")  # moves to and chooses "wrong or out of date"
    page.keyboard.press("Tab")
    marker = uuid.uuid4().hex[:12]
    page.keyboard.type(f"Keyboard {marker}")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    status = box.get_by_role("status")
    expect(status).to_have_text(re.compile("^Thank you"))
    expect(status).to_be_focused()  # the buttons are gone; focus stays in the widget
    assert stored(built, marker) == [(PAGE, anchor, 0, "wrong_or_out_of_date", f"Keyboard {marker}")]
    assert page.problems == []  # type: ignore[attr-defined]


def test_the_reasons_in_the_page_are_the_ones_the_api_accepts(built: Built) -> None:
    from search_api.api.models import FEEDBACK_REASONS, MAX_COMMENT_CHARS

    html = (built.site_dir / PAGE / "index.html").read_text(encoding="utf-8")
    template = html[html.index('<template id="question-feedback"'):]
    assert re.findall(r'type="radio" value="([^"]+)"', template) == list(FEEDBACK_REASONS)
    assert f'maxlength="{MAX_COMMENT_CHARS}"' in template


@pytest.fixture(scope="module")
def site_alone(built: Built) -> Iterator[str]:
    """The built site on a plain static file server: no API behind it."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(built.site_dir))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_without_the_api_the_widget_hides_and_the_page_works(page: Page, site_alone: str, built: Built) -> None:
    with page.expect_response(lambda response: "/api/feedback" in response.url) as probe:
        page.goto(f"{site_alone}/{PAGE}")
    assert probe.value.status == 404
    expect(page.locator('template#question-feedback[data-feedback="off"]')).to_have_count(1)
    expect(page.locator(".question-feedback")).to_have_count(0)
    expect(page.get_by_text("Did this answer your question?")).to_have_count(0)
    first = anchors_of(built)[0]
    expect(page.locator(f"h2#{first}")).to_be_visible()
    # Material's own scripts still run: the search box opens.
    page.keyboard.press("/")
    expect(page.locator(".md-search__input")).to_be_focused()
    assert page.problems == []  # type: ignore[attr-defined]


def test_when_the_api_answers_with_an_error_the_widget_stays_hidden(
    page: Page, built: Built, tmp_path: Path,
) -> None:
    broken = built.settings.model_copy(update={
        "port": free_port(), "index_dir": tmp_path / "no-index", "feedback_db": tmp_path / "f.sqlite3"})
    with ServerThread(broken) as running:
        with page.expect_response(lambda response: "/api/feedback" in response.url) as probe:
            page.goto(f"{running.base_url}/{PAGE}")
        assert probe.value.status == 503
        expect(page.locator('template#question-feedback[data-feedback="off"]')).to_have_count(1)
        expect(page.locator(".question-feedback")).to_have_count(0)
        expect(page.locator(f"h2#{anchors_of(built)[0]}")).to_be_visible()
    assert page.problems == []  # type: ignore[attr-defined]


def test_the_home_page_is_kept_out_of_search_and_asks_nothing(page: Page, server: ServerThread) -> None:
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url) if "/api/feedback" in request.url else None)
    page.goto(f"{server.base_url}/")
    page.wait_for_load_state("load")
    expect(page.locator("template#question-feedback")).to_have_count(0)
    assert asked == []
    assert page.problems == []  # type: ignore[attr-defined]
