"""A pasted message -> the sentences in it that ask something.

Creators write "Hi, hope you're well. I changed banks in August ... Why haven't I been
paid? Also who do I call? Thanks, Thandi". We drop the greetings, thanks and sign-offs,
keep the sentences that ask, and keep the rest as context for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from search_api.engine.analysis import stems

# A message this short is one query as it stands.
SHORT_WORDS = 25
MAX_QUESTIONS = 3

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n+|(?<=\?)(?=\S)")
_GREETING = re.compile(
    r"^(?:(?:hi|hello|hey|hiya|howzit|sawubona|molo|dumela|good (?:morning|afternoon|evening|day)|morning|"
    r"greetings|dear [\w .]+|to whom it may concern|yoh|eish)\b[\s,!.:-]*(?:(?:there|team|all|guys|"
    r"sir|madam|everyone|support)\b[\s,!.:-]*)?)+",
    re.I,
)
_FILLER = re.compile(
    r"^(?:thanks?(?: you)?(?: so much| in advance)?|thx|cheers|regards|kind regards|best(?: regards| wishes)?|"
    r"yours (?:sincerely|faithfully|truly)|sent from my \w+|hope (?:you(?:'re| are)|this finds you) (?:well|good)|"
    r"i hope you can help(?: me)?|please help(?: me)?(?: urgently)?|sorry to bother you|"
    r"(?:i'?m|i am) (?:so |really |very )?(?:upset|angry|frustrated|stressed|confused|fuming|desperate)|"
    r"looking forward to (?:hearing from you|your reply)|any help (?:is|would be) appreciated|"
    r"(?:it'?s )?monday(?: morning)?)\b[\s\w,.!'-]{0,40}$",
    re.I,
)
_CONNECTOR = re.compile(r"^(?:(?:also|and|but|so|plus|then|now|secondly|thirdly|lastly|finally|another thing|"
                        r"one more thing|oh and|ps|p\.s\.|btw|by the way)\b[\s,:.-]*)+", re.I)
_ASKS = re.compile(
    r"\?|^(?:how|what|whats|what's|why|when|where|who|whom|which|can|could|do|does|did|is|are|was|were|"
    r"will|would|should|shall|am|may|must|has|have)\b|"
    r"\b(?:wants?|needs?|would like|'d like|trying) to (?:know|find out|understand|check|see)\b|"
    r"\bhow (?:do|does|did|can|could|will|would|long|much|many|to)\b|"
    r"\b(?:please (?:explain|tell|advise|check|help)|can you|could you|tell me|explain|wondering|"
    r"not sure (?:if|whether|how|what|why)|i don'?t (?:know|understand))\b",
    re.I,
)


@dataclass(frozen=True)
class Question:
    text: str  # the sentence of the message it answers
    context: str  # nearby sentences, to fill in words the question leaves out


def sentences(message: str) -> list[str]:
    parts = [p.strip(" \t-–—*•") for p in _SENTENCE_END.split(message)]
    return [p for p in parts if p and re.search(r"\w", p)]


def strip_greeting(sentence: str) -> str:
    return _GREETING.sub("", sentence).strip(" ,.!-")


def is_filler(sentence: str) -> bool:
    core = strip_greeting(sentence)
    return not core or bool(_FILLER.match(core)) or not stems(core)


def is_long(message: str) -> bool:
    return len(message.split()) > SHORT_WORDS


def questions(message: str, limit: int = MAX_QUESTIONS) -> list[Question]:
    """The sentences that ask something (at most `limit`), each with its context.

    A short message is one question as it stands. A long one keeps the sentences that
    ask, in order; when none asks, the whole message (without filler) is the question.
    """
    kept = [strip_greeting(s) for s in sentences(message) if not is_filler(s)]
    if not kept:
        return [Question(text=message.strip(), context="")]
    if not is_long(message):
        return [Question(text=" ".join(kept), context="")]
    asking = [i for i, s in enumerate(kept) if _ASKS.search(_CONNECTOR.sub("", s))]
    if not asking:
        return [Question(text=" ".join(kept), context="")]
    # Prefer the questions that carry the most content words; keep message order.
    ranked = sorted(asking, key=lambda i: -len(set(stems(kept[i]))))[:limit]
    chosen = sorted(ranked)
    found = []
    for i in chosen:
        # The sentences just before a question usually say what "it" is.
        before = kept[max(0, i - 2):i]
        found.append(Question(text=kept[i], context=" ".join(before)))
    return found
