"""The agent desk and the site's copy-link buttons in Debian's Chromium, against the real server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .conftest import Built, ServerThread
from .test_api import assert_lands_on_its_heading
from .test_desk_api import ESSAY
from .test_reply import x_count

ARTICLE = "royalties/mechanical/"


@pytest.fixture
def context(browser: Browser, server: ServerThread) -> Iterator[BrowserContext]:
    opened = browser.new_context(viewport={"width": 1000, "height": 900}, base_url=server.base_url)
    opened.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.base_url)
    yield opened
    opened.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    opened = context.new_page()
    problems: list[str] = []
    opened.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    opened.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    yield opened
    # A script error or a CSP refusal fails the test; the API's 422 for bad input is expected.
    problems = [p for p in problems if "status of 422" not in p]
    assert not problems, problems


def clipboard(page: Page) -> str:
    return page.evaluate("navigator.clipboard.readText()")


def ask(page: Page, text: str, channel: str = "x") -> None:
    page.goto("/desk/")
    page.select_option("#channel", channel)
    expect(page.locator("#q")).to_be_focused()  # the cursor starts in the box
    page.keyboard.insert_text(text)  # a paste
    page.keyboard.press("Enter")
    expect(page.locator(".card").first).to_be_visible()


# --- the desk -------------------------------------------------------------------------

def test_down_then_l_copies_a_link_that_lands_on_its_heading(page: Page, client: httpx.Client, built: Built) -> None:
    ask(page, "who collects mechanicals")
    page.keyboard.press("ArrowDown")
    expect(page.locator(".card").first).to_be_focused()
    page.keyboard.press("l")
    expect(page.locator("#status")).to_have_text("Copied the link")
    link = clipboard(page)
    assert link.startswith(built.settings.site_url) and urlsplit(link).fragment
    assert link == page.locator(".card").first.get_attribute("data-url")
    assert_lands_on_its_heading(client, link)


def test_up_and_down_choose_a_card_and_r_copies_its_reply(page: Page) -> None:
    ask(page, "how do I register a song", channel="sms")
    cards = page.locator(".card")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(cards.nth(1)).to_be_focused()
    page.keyboard.press("r")
    assert clipboard(page) == cards.nth(1).locator(".card__reply").text_content()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(page.locator("#q")).to_be_focused()


def test_the_x_reply_fits_280_by_xs_counting_and_shows_its_count(page: Page) -> None:
    page.goto("/desk/")
    page.fill("#name", "Thandi")
    ask(page, ESSAY, channel="x")
    replies = page.locator(".card__reply").all_text_contents()
    assert replies
    for card in page.locator(".card").all():
        reply = card.locator(".card__reply").text_content() or ""
        assert reply.startswith("Hi Thandi,")
        assert x_count(reply) <= 280
        assert card.locator(".card__count").text_content() == f"{x_count(reply)} / 280"


def test_an_essay_with_two_questions_gives_two_groups(page: Page) -> None:
    ask(page, ESSAY, channel="email")
    groups = page.locator(".group")
    expect(groups).to_have_count(2)
    assert "paid" in (groups.nth(0).locator(".group__text").text_content() or "")
    assert "register" in (groups.nth(1).locator(".group__text").text_content() or "")


def test_typing_shows_cards_without_enter(page: Page) -> None:
    page.goto("/desk/")
    page.keyboard.type("split sheet", delay=30)
    expect(page.locator(".card").first).to_be_visible()


def test_no_confident_answer_shows_the_fallback_first(page: Page) -> None:
    ask(page, "how do I cancel my gym membership")
    first = page.locator(".card").first
    expect(first).to_have_class(re.compile(r"card--fallback"))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # no link here: Enter copies the honest reply
    assert "There is no page" in clipboard(page)


def test_esc_clears_and_returns_to_the_box(page: Page) -> None:
    ask(page, "royalties")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    expect(page.locator(".card")).to_have_count(0)
    expect(page.locator("#q")).to_be_focused()
    expect(page.locator("#q")).to_have_value("")


def test_channel_and_name_are_remembered(page: Page) -> None:
    page.goto("/desk/")
    page.select_option("#channel", "whatsapp")
    page.fill("#name", "Sipho")
    page.reload()
    expect(page.locator("#channel")).to_have_value("whatsapp")
    expect(page.locator("#name")).to_have_value("Sipho")


def test_a_bad_query_shows_the_apis_message(page: Page) -> None:
    page.goto("/desk/")
    page.keyboard.insert_text("x" * 9000)
    page.keyboard.press("Enter")
    expect(page.locator(".problem")).to_contain_text("the limit is")


def test_the_desk_fits_a_360_pixel_phone(page: Page) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    ask(page, ESSAY, channel="whatsapp")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box = page.locator(".card__copy").first.bounding_box()
    assert box and box["x"] + box["width"] <= 360


# --- the site's copy-link buttons --------------------------------------------------------

def test_every_question_heading_has_a_copy_link_button(page: Page, client: httpx.Client) -> None:
    questions = client.get(f"/api/articles/{ARTICLE}").json()["questions"]
    page.goto(f"/{ARTICLE}")
    anchors = page.locator("button.copy-link").evaluate_all("buttons => buttons.map(b => b.dataset.anchor)")
    assert anchors == [q["anchor"] for q in questions]


def test_the_copy_link_button_copies_the_questions_deep_link(page: Page, client: httpx.Client, built: Built) -> None:
    question = client.get(f"/api/articles/{ARTICLE}").json()["questions"][2]
    page.goto(f"/{ARTICLE}")
    # Found the way a screen reader user finds it: a button named for its question.
    button = page.get_by_role("button", name=f"Copy link to this question: {question['question']}")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Link copied")).to_have_count(1)
    expect(button).to_contain_text("Link copied")
    assert clipboard(page) == question["url"] == f"{built.settings.site_url}{ARTICLE}#{question['anchor']}"
