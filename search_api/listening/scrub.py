"""Remove personal details from free text before anything writes it down.

Creators paste whole messages: signatures with e-mail addresses and phone numbers,
South African ID numbers, bank account numbers, and their names ("Hi, I'm Thandi
Nkosi", "Regards, Sipho"). What we keep (search records, feedback comments, logs)
must hold none of them, so every writer calls `scrub`.
"""

from __future__ import annotations

import re

EMAIL = "[email]"
ID_NUMBER = "[ID number]"
PHONE = "[phone]"
NUMBER = "[number]"
NAME = "[name]"

# The local part takes every character RFC 5322 allows ("o'brien+fees=2@...", "a/b@...").
_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A South African ID number is 13 digits (YYMMDD SSSS C A Z), often written 6-4-3.
_SA_ID = re.compile(r"(?<![\w])\d{6}[ -]?\d{4}[ -]?\d{3}(?![\w])")
# Any run of digits with the separators people type in phone and account numbers.
# Not after a word character, "-", "." or "/": an ISWC (T-345.246.800-1) names a
# song, not a person, and editors need to see it in failed searches.
_DIGIT_RUN = re.compile(r"(?<![\w./-])(?:\+|\(\+?)?\d(?:[ ()./-]{0,2}\d)+\)?(?![\w])")
_MIN_DIGITS = 9  # shorter runs are years, amounts and dates ("2024-01-15" has 8)


def _digit_run(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = sum(c.isdigit() for c in text)
    if digits < _MIN_DIGITS:
        return text
    # Numbers people dial start with + or a trunk 0; other long runs are accounts or cards.
    return PHONE if text.lstrip("(").startswith(("+", "0")) else NUMBER


# A name can only be told from other words by what comes before it. After "my name
# is" any word is the name; after a greeting, a sign-off, "I'm" or a title only
# capitalised words are, so "thanks for the help" and "I am a producer" stay.
_NAME_CUE = re.compile(
    # The lookahead lists the cues' first letters: a cheap test that halves the time
    # scrub() takes on a long pasted message.
    r"\b(?=[bcdfghimnprsty])(?:(?P<strong>my name is|my name's|my name’s|name\s*:|names are)\s+"
    r"|(?:hi|hello|hey|dear|greetings|good (?:morning|afternoon|evening|day)|howzit|sawubona|molo|dumela"
    r"|regards|thanks|thank you|cheers|sincerely|faithfully|yours truly|best wishes"
    r"|i am|i'm|i’m|im|this is|mr|mrs|ms|miss|mx|dr|prof)\b\.?,?\s+)",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_NAME_GAP = re.compile(r"[ \t]+")
# Words that follow a cue without being a name ("Hi team", "I am not", "Dear Sir").
_NOT_NAMES = frozenset(
    "i a an the and or but not so very just still also really from in on at to for with of by about "
    "your my our we you he she they it all everyone team there sir madam again please what when where "
    "why how who which is are was do does did can could would will have has had here writing trying "
    "looking asking new member members i'm i’m im mr mrs ms miss mx dr prof".split()
)
_MAX_NAME_WORDS = 3


def _name_end(text: str, start: int, any_case: bool) -> int:
    """End of the name starting at `start`, or `start` when there is none."""
    end = position = start
    for _ in range(_MAX_NAME_WORDS):
        word = _NAME_WORD.match(text, position)
        if word is None or word.group().lower() in _NOT_NAMES:
            break
        if not (any_case or word.group()[0].isupper()):
            break
        end = word.end()
        gap = _NAME_GAP.match(text, end)
        position = gap.end() if gap else end
    return end


def scrub_names(text: str) -> str:
    """`text` with the names that follow greetings, sign-offs and introductions replaced."""
    parts: list[str] = []
    position = 0
    while (cue := _NAME_CUE.search(text, position)) is not None:
        end = _name_end(text, cue.end(), any_case=cue.group("strong") is not None)
        if end > cue.end():
            parts.append(text[position:cue.end()] + NAME)
            position = end
        else:
            parts.append(text[position:cue.end()])
            position = cue.end()
    parts.append(text[position:])
    return "".join(parts)


def scrub(text: str) -> str:
    """`text` with e-mail addresses, ID numbers, phone and other long numbers and names replaced.

    Each is replaced by a marker ("[email]", "[ID number]", "[phone]", "[number]",
    "[name]") so a reader still sees that something was there. Everything else is
    left as it was.
    """
    text = _EMAIL.sub(EMAIL, text)
    text = _SA_ID.sub(ID_NUMBER, text)
    text = _DIGIT_RUN.sub(_digit_run, text)
    return scrub_names(text)


class Scrubbed(str):
    """Text that has been through `scrub`: the store and the log do not scrub it again."""

    __slots__ = ()


# A space that no e-mail address or number can span: next to neither a digit nor a number's punctuation.
_SAFE_CUT = re.compile(r"(?<![\d+()./-])\s(?![\d+()./-])")


def scrubbed_start(text: str, limit: int) -> Scrubbed:
    """The first `limit` characters of `scrub(text)`, scrubbing only what may be kept.

    Scrubbing all of an 8,000-character pasted message costs milliseconds per search,
    and only its start is kept. So the text is cut first, at a space that no e-mail
    address or number can span: the cut can never leave half a phone number for scrub()
    to miss. A longer start's first characters are a shorter start, so one scrub can
    serve the log (500 characters) and the search record (300).
    """
    window = text[: limit * 2]
    if len(window) < len(text):
        cuts = [m.start() for m in _SAFE_CUT.finditer(window)]
        window = window[: cuts[-1]] if cuts else text
    return Scrubbed(scrub(window).strip()[:limit])
