"""The one link control on each heading, at desktop and phone widths, in Debian's Chromium."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from .conftest import ServerThread

ARTICLE = "/royalties/mechanical/"


@pytest.fixture(params=[1280, 360], ids=["desktop", "phone"])
def page(request: pytest.FixtureRequest, browser: Browser, server: ServerThread) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": request.param, "height": 800}, base_url=server.base_url)
    opened = context.new_page()
    opened.goto(ARTICLE)
    opened.wait_for_selector("button.copy-link")
    yield opened
    context.close()


def test_each_question_heading_has_one_link_control(page: Page) -> None:
    controls = page.locator("article h2[id]").evaluate_all(
        "hs => hs.filter(h => h.querySelector('button.copy-link'))"
        ".map(h => h.querySelectorAll('a.headerlink, button').length)"
    )
    assert controls and set(controls) == {1}, "a question heading shows more than one link control"


def test_the_button_stays_on_the_headings_first_line(page: Page) -> None:
    # The longest question wraps onto two lines on a phone; the button must not wrap
    # onto a third line of its own, but sit beside the first line of the text.
    places = page.locator("article h2.copy-link-heading").evaluate_all("""hs => hs.map(h => {
        const text = h.querySelector('.copy-link-heading__text').getBoundingClientRect();
        const button = h.querySelector('button.copy-link').getBoundingClientRect();
        const line = parseFloat(getComputedStyle(h).lineHeight);
        return {lines: Math.round(text.height / line), buttonTop: button.top - text.top, line,
                heading: Math.round(h.getBoundingClientRect().height), textHeight: Math.round(text.height)};
    })""")
    assert places
    for place in places:
        assert place["buttonTop"] < place["line"], place
        assert place["heading"] <= place["textHeight"] + 2, place  # the button adds no line
    if page.viewport_size and page.viewport_size["width"] == 360:
        assert any(p["lines"] >= 2 for p in places), "no two-line heading to check at 360 px"


def test_headings_that_are_not_questions_say_section(page: Page) -> None:
    page.goto("/")
    buttons = page.locator("button.copy-link")
    assert buttons.count() > 0
    for label in buttons.evaluate_all("bs => bs.map(b => b.getAttribute('aria-label'))"):
        assert label.startswith("Copy link to this section: "), label
    page.goto(ARTICLE)
    label = page.locator("button.copy-link").first.get_attribute("aria-label") or ""
    assert label.startswith("Copy link to this question: ") and label.endswith("?")
