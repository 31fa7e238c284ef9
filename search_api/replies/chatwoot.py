"""Chatwoot's `message_created` webhook -> the private note for the agent, and the
out-of-hours reply for the creator. Pure functions: no I/O, no settings.

The payload is the one Chatwoot's account webhooks and agent bots send (Chatwoot's
webhook-events documentation; tests/data/chatwoot/ holds examples with their sources):
the message's own fields at the top (`id`, `content`, `message_type` "incoming" or
"outgoing", `private`, `sender` with `type` "contact", "user" or "agent_bot"), and
`conversation` (its `id` is the display id the API's URLs use; `channel` is the inbox's
channel type, "Channel::Whatsapp") and `account`.

Only a contact's own, public, incoming text gets a note; everything else, including the
notes and replies this integration posts itself, is ignored, so it can never loop.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from search_api.engine.search import Hit, QuestionOutcome
from search_api.replies.compose import CHANNEL_LIMITS, Wording, compose_fallback, compose_reply

CARDS_PER_QUESTION = 2  # a note is read in a side panel: the best two, not a list
MAX_CONTENT_CHARS = 8000  # as the API's MAX_QUERY_CHARS default: a pasted e-mail, not a book

# Chatwoot's inbox channel types -> (the channel a reply is sized for, its name for the agent).
# Instagram DMs read like Facebook Messenger's; a web chat, Telegram or LINE like WhatsApp.
CHANNEL_TYPES: dict[str, tuple[str, str]] = {
    "Channel::Whatsapp": ("whatsapp", "WhatsApp"),
    "Channel::FacebookPage": ("facebook", "Facebook"),
    "Channel::Instagram": ("facebook", "Instagram"),
    "Channel::TwitterProfile": ("x", "X"),
    "Channel::Sms": ("sms", "SMS"),
    "Channel::TwilioSms": ("sms", "SMS"),
    "Channel::Email": ("email", "e-mail"),
    "Channel::WebWidget": ("whatsapp", "web chat"),
    "Channel::Telegram": ("whatsapp", "Telegram"),
    "Channel::Line": ("whatsapp", "LINE"),
    "Channel::Api": ("whatsapp", "API inbox"),
}
DEFAULT_CHANNEL = ("whatsapp", "chat")
_FIRST_NAME = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
MAX_NAME_CHARS = 40


# Chatwoot's webhook and agent-bot events (webhook-events.md and the events a newer Chatwoot
# adds): any of them is acknowledged, and only message_created is read. Any other name is a
# payload from something that is not Chatwoot, and gets a 422.
CHATWOOT_EVENTS = frozenset({
    "message_created", "message_updated", "conversation_created", "conversation_updated",
    "conversation_status_changed", "conversation_resolved", "conversation_opened", "webwidget_triggered",
    "conversation_typing_on", "conversation_typing_off", "contact_created", "contact_updated",
    "inbox_created", "inbox_updated",
})


class PayloadError(ValueError):
    """A payload that is not a Chatwoot event this endpoint can read; the message says why."""


@dataclass(frozen=True)
class Incoming:
    """A creator's message that gets a note. Held only while the note is made."""

    account_id: int
    conversation_id: int
    message_id: int
    content: str
    channel: str  # x, facebook, whatsapp, sms or email: how replies are sized
    channel_name: str  # what the agent calls it: "Instagram", "web chat"
    first_name: str  # "" when the contact's name is not a name (a number, a handle)
    can_reply: bool = True  # Chatwoot's can_reply: false once WhatsApp's or Meta's reply window has closed


@dataclass(frozen=True)
class Ignored:
    reason: str  # for the response and the debug log; never holds the message


def _integer(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).isdigit():
        raise PayloadError(f"{where} must be a whole number, e.g. 42")
    return int(value)


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise PayloadError(f"{where} must be an object")
    return value


def channel_of(conversation: Mapping[str, Any]) -> tuple[str, str]:
    """(the channel replies are sized for, its name) from a Chatwoot conversation."""
    meta = conversation.get("meta")
    channel_type = conversation.get("channel") or (meta.get("channel") if isinstance(meta, Mapping) else None)
    sized, name = CHANNEL_TYPES.get(str(channel_type or ""), DEFAULT_CHANNEL)
    extra = conversation.get("additional_attributes")
    kind = extra.get("type") if isinstance(extra, Mapping) else None
    if channel_type == "Channel::FacebookPage" and kind == "instagram_direct_message":
        return "facebook", "Instagram"  # Instagram through a Facebook page inbox
    contact_inbox = conversation.get("contact_inbox")
    source = contact_inbox.get("source_id") if isinstance(contact_inbox, Mapping) else None
    if channel_type == "Channel::TwilioSms" and str(source or "").startswith("whatsapp:"):
        return "whatsapp", "WhatsApp"  # Twilio's WhatsApp numbers are a TwilioSms inbox
    return sized, name


def first_name(full_name: Any) -> str:
    """"Thandi Mokoena" -> "Thandi"; a phone number, handle or e-mail address -> ""."""
    words = str(full_name or "").split()
    if not words or len(words[0]) > MAX_NAME_CHARS or not _FIRST_NAME.fullmatch(words[0]):
        return ""
    return words[0]


def read_event(payload: Any) -> Incoming | Ignored:
    """A webhook body -> the message to answer, or why it is ignored; PayloadError if unreadable."""
    body = _mapping(payload, "the body")
    event = body.get("event")
    if not isinstance(event, str) or not event:
        raise PayloadError('event is missing: a Chatwoot webhook body has "event": "message_created"')
    if event not in CHATWOOT_EVENTS:
        raise PayloadError(f"{event[:40]!r} is not a Chatwoot event; this endpoint reads message_created")
    if event != "message_created":
        return Ignored(f"{event} is not a message_created event")
    message_id = _integer(body.get("id"), "id (the message's)")
    conversation = _mapping(body.get("conversation"), "conversation")
    conversation_id = _integer(conversation.get("display_id", conversation.get("id")), "conversation.id")
    account = body.get("account")
    account_id = _integer(account.get("id") if isinstance(account, Mapping) else conversation.get("account_id"),
                          "account.id")
    message_type = body.get("message_type")
    if message_type not in ("incoming", "outgoing", "activity", "template", 0, 1, 2, 3):
        raise PayloadError('message_type must be "incoming", "outgoing", "activity" or "template"')
    if message_type not in ("incoming", 0):
        return Ignored("not an incoming message")
    if body.get("private") is True:
        return Ignored("a private note")
    sender = body.get("sender")
    sender_type = sender.get("type") if isinstance(sender, Mapping) else None
    if sender_type not in (None, "contact"):
        return Ignored(f"sent by a {sender_type}, not a contact")
    content = body.get("content")
    if content is not None and not isinstance(content, str):
        raise PayloadError("content must be text")
    if not (content or "").strip():
        return Ignored("no text (an attachment or an empty message)")
    channel, channel_name = channel_of(conversation)
    return Incoming(
        account_id=account_id, conversation_id=conversation_id, message_id=message_id,
        content=content[:MAX_CONTENT_CHARS], channel=channel, channel_name=channel_name,
        first_name=first_name(sender.get("name") if isinstance(sender, Mapping) else ""),
        can_reply=conversation.get("can_reply") is not False,
    )


# --- the note ------------------------------------------------------------------------------

LinkFor = Callable[[Hit], str]


def _quoted(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def _count(length: int, limit: int | None) -> str:
    return f"{length} characters" if limit is None else f"{length}/{limit}"


def size_note(channel: str, channel_name: str) -> str:
    limit = CHANNEL_LIMITS[channel]
    if channel == "email":
        return "e-mail (no length limit)"
    sized = {"x": "X", "facebook": "Facebook", "whatsapp": "WhatsApp", "sms": "SMS"}[channel]
    as_ = "" if sized.lower() == channel_name.lower() else f"as {sized}: "
    return f"{channel_name} ({as_}{limit} characters, plain text)"


def compose_note(incoming: Incoming, found: Sequence[QuestionOutcome], wording: Wording, link_for: LinkFor,
                 out_of_hours: str = "") -> str:
    """The private note: each question, its best cards with a reply sized for the channel,
    and "no confident answer" with the honest reply where no page answers.

    Chatwoot shows private notes as Markdown; replies are quoted so each line stays put.
    """
    channel = incoming.channel
    lines = [f"**Help centre drafts** for this message. Replies are sized for "
             f"{size_note(channel, incoming.channel_name)}. Nothing has been sent to the creator; check before you send."]
    if out_of_hours:
        lines[0] = lines[0].replace("Nothing has been sent to the creator", out_of_hours)
    if not found:
        lines += ["", "No question found in the message."]
    many = len(found) > 1
    for number, question in enumerate(found, 1):
        if lines[-1]:
            lines.append("")
        heading = f"**{number}. “{question.text}”**" if many else f"**“{question.text}”**"
        lines.append(heading)
        outcome = question.outcome
        if not outcome.confident:
            fallback = compose_fallback(channel, wording, incoming.first_name)
            lines += ["No confident answer: no page answers this with confidence. The honest reply "
                      f"({_count(fallback.length, fallback.limit)}):", _quoted(fallback.text), ""]
            nearest = [f"{hit.question} {link_for(hit)}" for hit in outcome.hits[:CARDS_PER_QUESTION]]
            if nearest:
                lines.append("Nearest pages, to check before you use them: " + " · ".join(nearest))
            continue
        for hit in outcome.hits[:CARDS_PER_QUESTION]:
            url = link_for(hit)
            reply = compose_reply(channel, hit.answer, url, wording, incoming.first_name)
            # A blank line after the quote: Markdown would carry the next line into it.
            lines += [f"{hit.question} {url}", f"Reply ({_count(reply.length, reply.limit)}):", _quoted(reply.text), ""]
    return "\n".join(lines).rstrip() + "\n"


def confident_links(found: Sequence[QuestionOutcome], link_for: LinkFor, most: int = 2) -> list[str]:
    """The best link of each question answered with confidence, at most `most`, no repeats."""
    links: list[str] = []
    for question in found:
        if question.outcome.confident and question.outcome.hits:
            url = link_for(question.outcome.hits[0])
            if url not in links:
                links.append(url)
    return links[:most]
