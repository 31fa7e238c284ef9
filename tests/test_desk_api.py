"""`GET /api/answer` and the `/desk/` page over real HTTP, against the real index."""

from __future__ import annotations

import re

import httpx
import pytest

from search_api.replies.organisation import load_extra
from search_api.replies.compose import CHANNEL_LIMITS, CHANNELS

from .conftest import Built
from .test_api import assert_lands_on_its_heading
from .test_reply import x_count

ESSAY = (
    "Hi there, hope you are well. I changed my bank account in August and since then nothing has come "
    "through at all, which is a real problem because I have rent to pay. Why haven't I been paid for the "
    "last quarter? Also, how do I register a new song I wrote with my cousin? Thanks, Thandi"
)
OFF_TOPIC = ["how do I cancel my gym membership", "can you fix my laptop screen"]


def answer(client: httpx.Client, **params: object) -> httpx.Response:
    return client.get("/api/answer", params=params)


@pytest.mark.parametrize("channel", CHANNELS)
def test_each_card_has_a_real_deep_link_and_a_reply_that_fits(client: httpx.Client, built: Built, channel: str) -> None:
    body = answer(client, q="when do i get paid", channel=channel, name="Thandi").json()
    assert body["channel"] == channel and len(body["questions"]) == 1
    found = body["questions"][0]
    assert found["confident"] and found["fallback_reply"] is None
    assert 1 <= len(found["cards"]) <= 3
    for card in found["cards"]:
        assert card["url"].startswith(built.settings.site_url)
        assert_lands_on_its_heading(client, card["url"])
        reply = card["reply"]
        assert reply["limit"] == CHANNEL_LIMITS[channel]
        assert card["url"] in reply["text"] and reply["text"].startswith("Hi Thandi,")
        assert card["answer"].split(" ")[0] in reply["text"]
        if channel == "x":
            assert reply["length"] == x_count(reply["text"]) <= 280
        elif channel != "email":
            assert reply["length"] == len(reply["text"]) <= reply["limit"]


def test_cards_carry_the_articles_own_answer(client: httpx.Client, built: Built) -> None:
    card = answer(client, q="who collects mechanicals", channel="x").json()["questions"][0]["cards"][0]
    section = next(s for p in built.pages for s in p.sections if (p.page, s.anchor) == (card["page"], card["anchor"]))
    assert card["answer"] == section.answer and card["question"] == section.question


def test_an_essay_with_two_questions_gives_two_groups(client: httpx.Client) -> None:
    body = answer(client, q=ESSAY, channel="email").json()
    texts = [q["text"] for q in body["questions"]]
    assert len(texts) == 2, texts
    assert "paid" in texts[0] and "register" in texts[1]


@pytest.mark.parametrize("q", OFF_TOPIC)
def test_no_confident_answer_gives_the_honest_fallback_with_contact_and_hours(
    client: httpx.Client, built: Built, q: str,
) -> None:
    contact = load_extra(built.settings.mkdocs_config)["contact"]
    found = answer(client, q=q, channel="x", name="Thandi").json()["questions"][0]
    assert found["confident"] is False
    assert found["cards"], "the nearest cards are still listed"
    fallback = found["fallback_reply"]
    assert fallback["text"].startswith("Hi Thandi,") and fallback["length"] <= 280
    assert contact["email"] in fallback["text"] and contact["hours"] in fallback["text"]
    assert "http" not in fallback["text"]


def test_limit_sets_the_cards_per_question(client: httpx.Client) -> None:
    body = answer(client, q=ESSAY, channel="sms", limit=1).json()
    assert [len(q["cards"]) for q in body["questions"]] == [1, 1]


def test_an_unknown_channel_is_a_422_listing_the_valid_ones(client: httpx.Client) -> None:
    response = answer(client, q="royalties", channel="tiktok")
    assert response.status_code == 422
    for channel in CHANNELS:
        assert f"'{channel}'" in response.json()["detail"]


@pytest.mark.parametrize("q", ["", "   ", "x" * 9000])
def test_the_input_rules_of_search_apply(client: httpx.Client, q: str) -> None:
    searched = client.get("/api/search", params={"q": q})
    answered = answer(client, q=q, channel="x")
    assert answered.status_code == searched.status_code == 422
    assert answered.json()["detail"] == searched.json()["detail"]


@pytest.mark.parametrize(("params", "names"), [
    ({"q": "royalties"}, "channel"),  # no channel
    ({"q": "royalties", "channel": "x", "limit": 0}, "limit"),
    ({"q": "royalties", "channel": "x", "limit": "lots"}, "limit"),
    ({"q": "royalties", "channel": "x", "name": "https://spam.example"}, "name"),
    ({"q": "royalties", "channel": "x", "name": "Thandi" * 10}, "name"),
])
def test_bad_input_is_a_422_naming_the_parameter_never_a_500(client: httpx.Client, params: dict, names: str) -> None:
    response = answer(client, **params)
    assert response.status_code == 422, response.text
    assert response.json()["detail"].startswith(names), response.text


def test_query_syntax_and_a_hyphenated_name_with_an_apostrophe_are_answered(client: httpx.Client) -> None:
    response = answer(client, q='query: "unbalanced AND NOT *', channel="sms", name="Nomsa-Jane O'Neil")
    assert response.status_code == 200, response.text
    cards = [card for question in response.json()["questions"] for card in question["cards"]]
    assert cards and all("Nomsa-Jane O'Neil" in card["reply"]["text"] for card in cards), cards


def test_the_desk_page_is_served_with_no_third_party_or_inline_script(client: httpx.Client) -> None:
    assert client.get("/desk", follow_redirects=False).headers["location"] == "/desk/"
    page = client.get("/desk/")
    assert page.status_code == 200 and "Agent desk" in page.text
    policy = page.headers["content-security-policy"]
    assert "unsafe-inline" not in policy and "script-src 'self'" in policy
    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", page.text)
    assert "<script>" not in page.text
    for asset in ("/desk/desk.js", "/desk/desk.css", "/assets/javascripts/clipboard.js"):
        assert client.get(asset).status_code == 200, asset


@pytest.mark.parametrize("q", ["متى سأحصل على أموالي؟", "🙏🙏😭"], ids=["arabic", "emoji"])
def test_a_message_without_english_is_told_we_answer_in_english(client: httpx.Client, q: str) -> None:
    found = client.get("/api/answer", params={"q": q, "channel": "sms"}).json()["questions"]
    assert found and all(not f["english"] for f in found)
    reply = found[0]["fallback_reply"]["text"]
    assert reply.startswith("Our help centre answers in English only.") and "help@" in reply


def test_an_english_message_is_marked_english(client: httpx.Client) -> None:
    found = client.get("/api/answer", params={"q": "how do I cancel my gym membership", "channel": "sms"}).json()
    question = found["questions"][0]
    assert question["english"] and question["fallback_reply"]["text"].startswith("There is no page")


def test_health_says_the_longest_query_the_desk_may_send(client: httpx.Client, built: Built) -> None:
    assert client.get("/api/health").json()["max_query_chars"] == built.settings.max_query_chars
