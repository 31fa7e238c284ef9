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


def test_esc_in_the_box_clears_and_ctrl_z_brings_the_message_back(page: Page) -> None:
    ask(page, "royalties for radio play")
    page.keyboard.press("Escape")
    expect(page.locator(".card")).to_have_count(0)
    expect(page.locator("#q")).to_have_value("")
    expect(page.locator("#cleared")).to_be_visible()
    page.keyboard.press("Control+z")
    expect(page.locator("#q")).to_have_value("royalties for radio play")
    expect(page.locator(".card").first).to_be_visible()
    expect(page.locator("#cleared")).to_be_hidden()


def test_the_undo_button_brings_a_cleared_message_back(page: Page) -> None:
    ask(page, "who collects mechanicals")
    page.locator("#clear").click()
    expect(page.locator("#q")).to_have_value("")
    page.get_by_role("button", name="Undo").click()
    expect(page.locator("#q")).to_have_value("who collects mechanicals")
    expect(page.locator("#q")).to_be_focused()


def test_esc_outside_the_box_keeps_the_message(page: Page) -> None:
    ask(page, "royalties")
    page.keyboard.press("ArrowDown")
    expect(page.locator(".card").first).to_be_focused()
    page.keyboard.press("Escape")  # from a card: back to the box, nothing lost
    expect(page.locator("#q")).to_be_focused()
    expect(page.locator("#q")).to_have_value("royalties")
    expect(page.locator(".card").first).to_be_visible()
    page.locator("#name").click()
    page.keyboard.press("Escape")  # in the first-name field: nothing happens
    expect(page.locator("#q")).to_have_value("royalties")
    expect(page.locator(".card").first).to_be_visible()


def test_the_copied_bar_does_not_move_the_cards(page: Page) -> None:
    ask(page, "how do I register a song")
    page.keyboard.press("ArrowDown")
    before = page.locator(".card").nth(1).bounding_box()
    page.keyboard.press("l")
    expect(page.locator("#status")).to_have_text("Copied the link")
    expect(page.locator("#status")).to_have_class(re.compile("status--shown"))
    after = page.locator(".card").nth(1).bounding_box()
    assert before and after and before["y"] == after["y"], (before, after)


def test_each_card_shows_the_reply_once_and_the_page_it_comes_from(page: Page) -> None:
    ask(page, "who collects mechanicals", channel="whatsapp")
    card = page.locator(".card").first
    url = card.get_attribute("data-url") or ""
    reply = card.locator(".card__reply").text_content() or ""
    assert url in reply
    text = card.inner_text()
    assert text.count(url) == 1, "the link is shown twice"
    answer_start = reply.split("\n")[1][:40] if reply.startswith("Hi") else reply[:40]
    assert text.count(answer_start) == 1, "the answer is shown twice"
    source = card.locator(".card__source a")
    expect(source).to_have_attribute("href", url)
    assert (source.text_content() or "").strip() and "http" not in (source.text_content() or "")


def test_enter_or_search_on_an_empty_box_says_so(page: Page) -> None:
    page.goto("/desk/")
    page.keyboard.press("Enter")
    expect(page.locator("#status")).to_contain_text("The box is empty")
    page.locator("button[type=submit]").click()
    expect(page.locator("#status")).to_contain_text("The box is empty")


def test_the_count_shows_near_the_limit_and_a_long_message_is_not_sent(page: Page) -> None:
    page.goto("/desk/")
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if "/api/answer" in r.url else None)
    page.locator("#q").fill("royalties " * 700)  # 7,000 characters: no count yet
    expect(page.locator("#count")).to_be_hidden()
    page.locator("#q").fill("a" * 7600)
    expect(page.locator("#count")).to_have_text("7,600 of 8,000 characters")
    page.locator("#q").fill("a" * 8200)
    expect(page.locator("#count")).to_contain_text("8,200 of 8,000 characters: too long")
    page.keyboard.press("Enter")
    expect(page.locator(".problem")).to_contain_text("the limit is 8,000")
    page.wait_for_timeout(400)  # past the typing pause: still nothing sent
    assert not [u for u in sent if "aaaaaaaa" * 1000 in u]


@pytest.mark.parametrize("message", ["متى سأحصل على أموالي؟", "🙏🙏😭"], ids=["arabic", "emoji"])
def test_a_message_without_english_says_we_answer_in_english_and_how_to_reach_us(page: Page, message: str) -> None:
    ask(page, message, channel="whatsapp")
    expect(page.locator(".group__note--language")).to_be_visible()
    expect(page.locator(".group__note--language")).to_contain_text("answers in English only")
    reply = page.locator(".card--fallback .card__reply").text_content() or ""
    assert "answers in English only" in reply and "help@" in reply
    assert "There is no page" not in reply


def test_the_name_in_the_sign_off_is_offered_as_the_first_name(page: Page) -> None:
    page.goto("/desk/")
    page.fill("#name", "")
    page.locator("#q").click()
    page.keyboard.insert_text("When do I get paid for radio?\nThanks, Thandi")
    offer = page.locator("#name-offer")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("Thandi")
    expect(page.locator("#name")).to_have_value("")  # offered, not filled: the agent confirms
    offer.get_by_role("button", name="Use as first name").click()
    expect(page.locator("#name")).to_have_value("Thandi")
    expect(offer).to_be_hidden()
    expect(page.locator(".card__reply").first).to_contain_text("Hi Thandi,")


def test_no_name_is_offered_without_a_sign_off(page: Page) -> None:
    page.goto("/desk/")
    page.locator("#q").click()
    page.keyboard.insert_text("when do I get paid for radio, thanks so much")
    expect(page.locator(".card").first).to_be_visible()
    expect(page.locator("#name-offer")).to_be_hidden()


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
