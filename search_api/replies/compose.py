"""An article's answer and deep link -> a reply an agent can paste, sized for the channel.

A reply is made of three things only: the article's own one-sentence answer, the deep
link, and the fixed wording in `Wording` (from mkdocs.yml, see replies/organisation.py). Nothing
here writes a fact. When the reply is too long for the channel, whole sentences of the
answer are dropped from the end; only when the first sentence alone is too long is it
cut, at a word, with "…" (the link carries the rest).

Pure functions: no I/O, no settings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, get_args

Channel = Literal["x", "facebook", "whatsapp", "sms", "email"]
CHANNELS: tuple[str, ...] = get_args(Channel)

# X counts every link as 23 whatever its length (it shortens them to t.co).
X_LINK_LENGTH = 23
# None: an e-mail has no length limit. Facebook and WhatsApp allow thousands of
# characters, but a reply there is read on a phone: one screen, no scrolling.
CHANNEL_LIMITS: dict[str, int | None] = {"x": 280, "sms": 320, "facebook": 500, "whatsapp": 500, "email": None}

_URL = re.compile(r"https?://\S+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“‘(]?[A-Z0-9])")
# Characters Facebook or WhatsApp would read as formatting (*bold*, _italic_, ~strike~,
# `code`) when they stand at the edge of a word.
_MARKUP = re.compile(r"(?<![\w])[*_~`]+(?=\w)|(?<=\w)[*_~`]+(?![\w])")
# Typographic punctuation outside the GSM alphabet turns a whole SMS into UCS-2, which
# fits 70 characters a part instead of 160: the plain version costs the creator less.
_GSM_PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " ", "…": "..."})
# twitter-text's weighting: these ranges count 1, every other character counts 2.
_X_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_ELLIPSIS = "…"


@dataclass(frozen=True)
class Wording:
    """The fixed words around an answer, already filled with the organisation's details.

    `greeting` holds "{name}" where the creator's first name goes.
    """

    greeting: str = "Hi {name},"
    greeting_no_name: str = "Hello,"  # e-mail only: short channels skip a nameless greeting
    link_intro: str = "Read more:"  # e-mail only, before the link
    sign_off: str = "Kind regards,\nThe support team"
    no_page: str = "There is no page on our help centre that answers this yet."
    # Instead of no_page when a message has no English words (Arabic, emoji only).
    english_only: str = "Our help centre answers in English only."
    contact: str = "Please contact us and a person will answer."
    hours: str = ""
    # Sent by the Chatwoot bot outside opening hours; holds "{next_open}".
    out_of_hours: str = "This is an automatic reply: our team is not in right now. A person will answer you {next_open}."
    out_of_hours_links: str = "These pages may already help:"


@dataclass(frozen=True)
class Reply:
    text: str
    length: int  # counted the way the channel counts
    limit: int | None  # None: no limit (e-mail)


def x_length(text: str) -> int:
    """The length X shows for `text`: links count 23, CJK and emoji count 2.

    Emoji sequences joined by zero-width joiners count 2 per code point here, which
    is more than X counts: a reply measured this way always fits.
    """
    text = unicodedata.normalize("NFC", text)
    links = _URL.findall(text)
    rest = _URL.sub("", text)
    weight = sum(1 if any(lo <= ord(c) <= hi for lo, hi in _X_LIGHT_RANGES) else 2 for c in rest)
    return weight + X_LINK_LENGTH * len(links)


def channel_length(channel: str, text: str) -> int:
    """The length of `text` as `channel` counts it."""
    return x_length(text) if channel == "x" else len(text)


def plain(text: str) -> str:
    """Text with no character a chat app would read as formatting, on one line."""
    return " ".join(_MARKUP.sub("", text).split())


def sentences(text: str) -> list[str]:
    """The sentences of `text` ("No. It pays…" is two, "e.g. this" is one)."""
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


def clean_name(name: str | None) -> str:
    """The first name as the agent typed it, tidied; "" when there is none."""
    return plain(name or "")


def _greeting(wording: Wording, channel: str, name: str) -> str:
    if name:
        return wording.greeting.replace("{name}", name)
    return wording.greeting_no_name if channel == "email" else ""


def _assemble(channel: str, greeting: str, body: str, url: str, wording: Wording) -> str:
    if channel == "email":
        parts = [greeting, body, f"{wording.link_intro} {url}".strip() if url else "", wording.sign_off]
        return "\n\n".join(p for p in parts if p)
    text = "\n".join(p for p in (greeting, body, url) if p)
    return text.translate(_GSM_PLAIN) if channel == "sms" else text


def _word_cut(sentence: str) -> list[str]:
    """Shorter and shorter versions of one sentence, each ending at a whole word."""
    words = sentence.split(" ")
    return [" ".join(words[:n]).rstrip(",;:–—-") + _ELLIPSIS for n in range(len(words) - 1, 0, -1)]


def fit(channel: str, parts: list[str], render: Callable[[str], str]) -> str:
    """The longest `render(body)` within the channel's limit.

    `parts` are the sentences the body is made of, most important first. The body keeps
    as many whole sentences as fit; if not even the first fits, the first is cut at a
    word; if not even one word fits, the body is left out.
    """
    limit = CHANNEL_LIMITS[channel]
    candidates = [" ".join(parts[:n]) for n in range(len(parts), 0, -1)]
    if parts:
        candidates += _word_cut(parts[0])
    for body in candidates:
        text = render(body)
        if limit is None or channel_length(channel, text) <= limit:
            return text
    return render("")


def _reply(channel: str, text: str) -> Reply:
    return Reply(text=text, length=channel_length(channel, text), limit=CHANNEL_LIMITS[channel])


def compose_reply(channel: str, answer: str, url: str, wording: Wording, name: str | None = None) -> Reply:
    """The reply for one answer card: greeting, the article's answer, then its link."""
    greeting = _greeting(wording, channel, clean_name(name))
    text = fit(channel, sentences(plain(answer)), lambda body: _assemble(channel, greeting, body, url, wording))
    if CHANNEL_LIMITS[channel] is not None and channel_length(channel, text) > CHANNEL_LIMITS[channel]:
        # A very long name or link: the answer and the link matter, the greeting does not.
        text = fit(channel, sentences(plain(answer)), lambda body: _assemble(channel, "", body, url, wording))
    return _reply(channel, text)


def compose_fallback(channel: str, wording: Wording, name: str | None = None, *, english: bool = True) -> Reply:
    """The honest reply when no page answers: there is no page yet (or, for a message
    with no English words, that we answer in English), and how to reach us."""
    greeting = _greeting(wording, channel, clean_name(name))
    first = wording.no_page if english else wording.english_only
    parts = [s for text in (first, wording.contact, wording.hours) for s in sentences(plain(text))]
    return _reply(channel, fit(channel, parts, lambda body: _assemble(channel, greeting, body, "", wording)))


def _assemble_links(channel: str, greeting: str, body: str, intro: str, urls: list[str], wording: Wording) -> str:
    links = "\n".join([intro, *urls]) if urls else ""
    if channel == "email":
        return "\n\n".join(p for p in (greeting, body, links, wording.sign_off) if p)
    text = "\n".join(p for p in (greeting, body, links) if p)
    return text.translate(_GSM_PLAIN) if channel == "sms" else text


def compose_out_of_hours(channel: str, wording: Wording, next_open: str, urls: list[str],
                         name: str | None = None) -> Reply:
    """The automatic reply outside opening hours: when a person will answer, and the links
    (already judged confident by the caller) that may help meanwhile.

    The sentence with `next_open` is never dropped: links go first, then the greeting,
    before the channel's limit would cut it.
    """
    limit = CHANNEL_LIMITS[channel]
    parts = sentences(plain(wording.out_of_hours.replace("{next_open}", next_open)))
    greeting = _greeting(wording, channel, clean_name(name))
    for greet in (greeting, ""):
        for count in range(len(urls), -1, -1):
            text = fit(channel, parts, lambda body: _assemble_links(
                channel, greet, body, wording.out_of_hours_links, urls[:count], wording))
            if (limit is None or channel_length(channel, text) <= limit) and next_open in text.replace("\n", " "):
                return _reply(channel, text)
    return _reply(channel, fit(channel, parts, lambda body: _assemble_links(channel, "", body, "", [], wording)))
