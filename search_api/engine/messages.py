"""A pasted message -> the sentences in it that ask something.

Creators write "Hi, hope you're well. I changed banks in August ... Why haven't I been
paid? Also who do I call? Thanks, Thandi". We drop the greetings, thanks and sign-offs,
keep the sentences that ask, and keep the rest as context for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from functools import lru_cache

from search_api.engine.analysis import stems
from search_api.engine.vocabulary import Vocabulary, load as load_vocabulary

# A message this short is one query as it stands.
SHORT_WORDS = 25
MAX_QUESTIONS = 3
SHORT_QUESTION_WORDS = 6  # "Why haven't I been paid?" leans on the sentence before it

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

# A complaint is a question too: "SAMRO hasn't paid me anything" asks why not, and
# "someone uploaded my song without asking" asks what to do.
_COMPLAINS = re.compile(
    r"\b(?:has ?n[o']t|have ?n[o']t|had ?n[o']t|did ?n[o']t|does ?n[o']t|do ?n[o']t|is ?n[o']t|are ?n[o']t|"
    r"was ?n[o']t|were ?n[o']t|wo ?n[o']t|ca ?n[o']t|never|still (?:not|no|nothing|waiting)|not yet|no one|nobody|"
    r"nothing)\b[\w\s,'’-]{0,40}?\b(?:paid|pay|payment|received?|got|get|came|come|arrived|heard|"
    r"answered|replied|responded|credited|registered|money|royalt\w*)\b|"
    r"\b(?:stopped|stops) (?:paying|coming|arriving)\b|"
    r"\b(?:without (?:my )?(?:permission|asking|credit|consent)|stole|stolen|ripped off|copied my|"
    r"is using my|are using my|uploaded my|claims? (?:my|it|the song)|owes? me)\b",
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


def content(message: str) -> str:
    """The message without greetings, thanks and sign-offs."""
    return " ".join(strip_greeting(s) for s in sentences(message) if not is_filler(s))


def is_long(message: str) -> bool:
    return len(message.split()) > SHORT_WORDS


def asks(sentence: str) -> bool:
    """Whether a sentence asks something, or complains (an implicit question)."""
    core = _CONNECTOR.sub("", sentence)
    return bool(_ASKS.search(core) or _COMPLAINS.search(core))


def _asked_next(kept: list[str], explicit: list[bool], i: int) -> bool:
    """A complaint the very next sentence asks about ("...never came. Why haven't I been
    paid?") is that question's context, not a second question: the question shares an
    idea with it, or is too short to stand alone."""
    if i + 1 >= len(kept) or not explicit[i + 1]:
        return False
    following = kept[i + 1]
    return len(following.split()) <= SHORT_QUESTION_WORDS or bool(_ideas(kept[i]) & _ideas(following))


def _ideas(sentence: str) -> set[str]:
    """A sentence's stems and the vocabulary groups they belong to ("payment" ~ "paid")."""
    found = stems(sentence)
    vocabulary = _vocabulary()
    return set(found) | set(vocabulary.ideas(found)) | {g for s in found for g in vocabulary.group_ids((s,))}


@lru_cache(maxsize=1)
def _vocabulary() -> Vocabulary:
    return load_vocabulary()


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
    explicit = [bool(_ASKS.search(_CONNECTOR.sub("", s))) for s in kept]
    asking = [i for i, s in enumerate(kept) if explicit[i] or (
        _COMPLAINS.search(_CONNECTOR.sub("", s)) and not _asked_next(kept, explicit, i))]
    if not asking:
        return [Question(text=" ".join(kept), context="")]
    # A question pasted twice (or the same ask in other words' order) is one question.
    distinct: dict[frozenset[str], int] = {}
    for i in asking:
        distinct.setdefault(frozenset(stems(kept[i])), i)
    asking = sorted(distinct.values())
    # Prefer the questions that carry the most content words; keep message order.
    ranked = sorted(asking, key=lambda i: -len(set(stems(kept[i]))))[:limit]
    chosen = sorted(ranked)
    found = []
    for i in chosen:
        # The sentences just before a question usually say what "it" is.
        before = kept[max(0, i - 2):i]
        found.append(Question(text=kept[i], context=" ".join(before)))
    return found
