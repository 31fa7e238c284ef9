"""Replies sized for each channel, and the wording read from mkdocs.yml: pure functions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from search_api.replies.organisation import load_extra, load_wording, render, reply_wording
from search_api.replies.compose import (
    CHANNEL_LIMITS, CHANNELS, Wording, channel_length, compose_fallback, compose_reply, plain, sentences, x_length,
)
from search_api.settings import Settings

WORDING = Wording(
    greeting="Hi {name},", greeting_no_name="Hello,", link_intro="Read more:",
    sign_off="Kind regards,\nThe Test team", no_page="There is no page on this yet.",
    contact="Please e-mail help@test.example or WhatsApp +27 60 000 0000.",
    hours="We are open Monday to Friday, 08:00 to 17:00.",
)
URL = "https://help.example.org/getting-paid/payment-dates/#why-do-my-radio-tv-and-live-royalties-come-at-different-times"
ANSWER = "Each kind of royalty has its own payment round, because radio, TV and live shows report in different ways."
LONG_ANSWER = " ".join([
    "Radio stations report their plays every quarter.",
    "Television reports come twice a year, after the broadcaster has checked its cue sheets.",
    "Live shows are paid once the promoter has sent the set list and the licence fee.",
    "Online services pay monthly, but only after matching every stream to a registered song.",
    "That is why the same song can earn money at four different times in one year.",
])
# One sentence far longer than any channel allows: it must be cut at a word.
ENDLESS = "Royalties " + " ".join(f"arrive{n}" for n in range(80)) + " eventually."


def x_count(text: str) -> int:
    """X's count for plain ASCII text, worked out independently of replies/compose.py."""
    return len(re.sub(r"https?://\S+", "x" * 23, text))


def test_x_counts_every_link_as_23_whatever_its_length() -> None:
    assert x_length(f"See {URL}") == len("See ") + 23
    assert x_length("See https://a.io/") == len("See ") + 23
    assert x_length("plain words") == len("plain words")


def test_x_counts_cjk_and_emoji_as_two() -> None:
    assert x_length("版权") == 4
    assert x_length("ok 🎵") == 3 + 2


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("answer", [ANSWER, LONG_ANSWER, ENDLESS])
def test_every_reply_fits_its_channel_and_ends_with_the_whole_link(channel: str, answer: str) -> None:
    reply = compose_reply(channel, answer, URL, WORDING, "Thandi")
    assert reply.limit == CHANNEL_LIMITS[channel]
    assert reply.length == channel_length(channel, reply.text)
    if reply.limit is not None:
        assert reply.length <= reply.limit
    if channel == "x":
        assert x_count(reply.text) <= 280
    assert URL in reply.text


def test_a_long_answer_is_cut_after_a_whole_sentence() -> None:
    reply = compose_reply("x", LONG_ANSWER, URL, WORDING, "Thandi")
    greeting, body, link = reply.text.split("\n")
    assert (greeting, link) == ("Hi Thandi,", URL)
    assert LONG_ANSWER.startswith(body) and body.endswith(".")
    assert len(sentences(body)) < len(sentences(LONG_ANSWER))
    # and no more could be kept: the next sentence would not fit
    next_sentence = sentences(LONG_ANSWER)[len(sentences(body))]
    assert x_count(f"{greeting}\n{body} {next_sentence}\n{link}") > 280


def test_one_sentence_too_long_is_cut_at_a_word_never_mid_word() -> None:
    reply = compose_reply("facebook", ENDLESS, URL, WORDING)
    body = reply.text.split("\n")[0]
    assert body.endswith("…")
    kept_words = body.removesuffix("…").split(" ")
    assert kept_words == ENDLESS.split(" ")[: len(kept_words)]


def test_greeting_by_first_name_then_the_answer_then_the_link() -> None:
    reply = compose_reply("whatsapp", ANSWER, URL, WORDING, "Thandi")
    assert reply.text == f"Hi Thandi,\n{ANSWER}\n{URL}"


def test_short_channels_skip_the_greeting_without_a_name() -> None:
    assert compose_reply("x", ANSWER, URL, WORDING).text == f"{ANSWER}\n{URL}"


def test_email_has_greeting_answer_link_and_sign_off_from_the_wording() -> None:
    named = compose_reply("email", ANSWER, URL, WORDING, "Thandi").text
    assert named == f"Hi Thandi,\n\n{ANSWER}\n\nRead more: {URL}\n\nKind regards,\nThe Test team"
    assert compose_reply("email", ANSWER, URL, WORDING).text.startswith("Hello,\n\n")


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_reply_is_made_only_of_the_answer_the_link_and_the_wording(channel: str) -> None:
    text = compose_reply(channel, LONG_ANSWER, URL, WORDING, "Thandi").text
    for piece in ("Hi Thandi,", WORDING.link_intro, WORDING.sign_off, URL, *sentences(LONG_ANSWER)):
        if channel != "email" and piece in (WORDING.link_intro, WORDING.sign_off):
            continue
        text = text.replace(piece, "")
    assert not text.strip(), f"{channel}: words from nowhere: {text.strip()!r}"


def test_chat_replies_hold_no_markdown_but_keep_the_link_intact() -> None:
    link = "https://help.example.org/a_b/#c_d"
    reply = compose_reply("whatsapp", "Check the *split sheet* and _every_ `ISWC` ~now~.", link, WORDING)
    assert reply.text == f"Check the split sheet and every ISWC now.\n{link}"


def test_sms_uses_plain_punctuation_so_it_stays_cheap() -> None:
    reply = compose_reply("sms", "It’s the “split sheet” – signed.", URL, WORDING)
    assert reply.text.startswith("It's the \"split sheet\" - signed.")


def test_sentences_are_not_split_inside_abbreviations() -> None:
    assert sentences("Use a form, e.g. the split sheet. Then register it.") == [
        "Use a form, e.g. the split sheet.", "Then register it.",
    ]
    assert plain("  two\n lines ") == "two lines"


@pytest.mark.parametrize("channel", CHANNELS)
def test_fallback_says_there_is_no_page_and_how_to_reach_a_person(channel: str) -> None:
    reply = compose_fallback(channel, WORDING, "Thandi")
    assert reply.text.startswith("Hi Thandi,")
    assert WORDING.no_page in reply.text and WORDING.contact in reply.text
    assert "http" not in reply.text  # no page: nothing to link to
    if reply.limit is not None:
        assert reply.length <= reply.limit
    if channel == "email":
        assert WORDING.hours in reply.text and reply.text.endswith(WORDING.sign_off)


def test_a_fallback_too_long_for_x_drops_whole_sentences_from_the_end() -> None:
    wordy = Wording(no_page="No page yet.", contact="E-mail help@test.example.", hours="We are open " + "daily, " * 60 + "always.")
    reply = compose_fallback("x", wordy)
    assert reply.text == "No page yet. E-mail help@test.example."


# --- the wording, from mkdocs.yml ------------------------------------------------------

def test_wording_comes_from_the_same_extra_block_as_the_site() -> None:
    config = Settings().mkdocs_config
    extra = load_extra(config)
    wording = load_wording(config)
    assert extra["contact"]["email"] in wording.contact
    assert extra["contact"]["hours"] in wording.hours
    assert extra["org"]["name"] in wording.sign_off
    assert "{name}" in wording.greeting
    for text in vars(wording).values():
        assert "{{" not in text, text


def test_a_placeholder_that_names_nothing_is_an_error_naming_the_key() -> None:
    with pytest.raises(ValueError, match=r"extra\.replies\.hours uses \{\{ contact\.fax \}\}"):
        extra = {"org": {"name": "Us"}, "contact": {"email": "a@us.example", "whatsapp": "+1"}}
        reply_wording({**extra, "replies": {"hours": "Fax {{ contact.fax }}"}})
    with pytest.raises(ValueError, match="unknown key"):
        reply_wording({"replies": {"greting": "Hi"}})
    assert render("{{ org.name }} for {{ name }}", {"org": {"name": "Us"}}, "x") == "Us for {name}"


def test_mkdocs_env_tags_load_without_an_environment(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        'site_url: !ENV [SITE_URL, "http://x/"]\nextra:\n  org: {name: Us}\n'
        '  contact: {email: a@us.example, whatsapp: "+1", hours: "9 to 5"}\n', encoding="utf-8",
    )
    assert load_extra(config)["org"] == {"name": "Us"}
    assert load_wording(config).sign_off == "Kind regards,\nThe Us team"


def test_wording_is_rendered_as_the_site_renders_it_filters_included() -> None:
    # The site's macros plugin is Jinja2: a filter that works on a page works in a reply.
    extra = {"org": {"name": "Us"}, "contact": {"email": "a@us.example", "whatsapp": "+1", "hours": "9 to 5"}}
    wording = reply_wording({**extra, "replies": {"sign_off": "Thanks,\n{{ org.name | upper }}",
                                                  "greeting": "Hi {{ name }}!"}})
    assert wording.sign_off == "Thanks,\nUS"
    assert wording.greeting == "Hi {name}!"
    with pytest.raises(ValueError, match=r"extra\.replies\.sign_off is not valid wording"):
        reply_wording({**extra, "replies": {"sign_off": "{{ org.name "}})
