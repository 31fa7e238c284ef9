"""scrub(): names after greetings, sign-offs and introductions; and properties over any text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from search_api.listening.scrub import scrub


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        ("Hi, I'm Thandi Nkosi and I write songs", "Hi, I'm [name] and I write songs"),
        ("my name is thandi nkosi and i sing", "my name is [name] and i sing"),
        ("Regards,\nSipho Dlamini", "Regards,\n[name]"),
        ("Kind regards, Lerato Mokoena", "Kind regards, [name]"),
        ("Hello Mr. Smith", "Hello Mr. [name]"),
        ("Dear Dr Zulu,", "Dear Dr [name],"),
        ("Good morning Lerato, when do I get paid?", "Good morning [name], when do I get paid?"),
        ("Thank you Palesa!", "Thank you [name]!"),
        ("Name: Bongani", "Name: [name]"),
        ("Sawubona, ngiyabonga. This is Ayanda from Durban", "Sawubona, ngiyabonga. This is [name] from Durban"),
    ],
)
def test_names_after_a_cue_are_replaced(text: str, scrubbed: str) -> None:
    assert scrub(text) == scrubbed


@pytest.mark.parametrize(
    "text",
    ["thanks for the help", "I am a producer from Durban", "Dear Sir or Madam", "Hi team, I am not paid",
     "Thanks. What about radio?", "Who collects mechanical royalties?", "I'm trying to register a song",
     "Hello! Royalties from SAMRO are late", "ISWC T-345.246.800-1, paid 2024-01-15"],
)
def test_ordinary_words_after_a_cue_are_kept(text: str) -> None:
    assert scrub(text) == text


def test_everything_is_scrubbed_from_one_pasted_message() -> None:
    message = ("Hi, I'm Thandi Nkosi. Call me on 082 555 1234 or +27 82 555 1234, or mail "
               "thandi.nkosi@example.com. My ID is 800101 5009 087. Regards, Thandi")
    scrubbed = scrub(message)
    for detail in ("Thandi", "Nkosi", "555", "example.com", "800101"):
        assert detail not in scrubbed
    assert scrubbed.count("[name]") == 2 and scrubbed.count("[phone]") == 2


MARKER = re.compile(r"\[(?:name|email|phone|number|ID number)\]")


@settings(max_examples=500, deadline=None, database=None)
@given(st.text(max_size=500))
def test_scrub_takes_any_text_and_only_replaces_with_markers(text: str) -> None:
    scrubbed = scrub(text)
    assert isinstance(scrubbed, str)
    # What is left outside the markers is text that was there; nothing is invented.
    for piece in MARKER.split(scrubbed):
        assert piece in text or not piece.strip()


@settings(max_examples=300, deadline=None, database=None)
@given(st.emails(), st.from_regex(r"0[6-8]\d \d{3} \d{4}", fullmatch=True), st.text(max_size=100))
def test_any_email_and_phone_number_is_removed(email: str, phone: str, noise: str) -> None:
    scrubbed = scrub(f"{noise} write to {email} or call {phone} {noise}")
    assert email not in scrubbed and phone not in scrubbed
