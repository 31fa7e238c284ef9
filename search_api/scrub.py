"""Remove personal details from free text before anything writes it down.

Creators paste whole messages: signatures with e-mail addresses and phone numbers,
South African ID numbers, bank account numbers. What we keep (search records,
feedback comments, logs) must hold none of them, so every writer calls `scrub`.
"""

from __future__ import annotations

import re

EMAIL = "[email]"
ID_NUMBER = "[ID number]"
PHONE = "[phone]"
NUMBER = "[number]"

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
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


def scrub(text: str) -> str:
    """`text` with e-mail addresses, ID numbers, phone and other long numbers replaced.

    Each is replaced by a marker ("[email]", "[ID number]", "[phone]", "[number]") so a
    reader still sees that something was there. Everything else is left as it was.
    """
    text = _EMAIL.sub(EMAIL, text)
    text = _SA_ID.sub(ID_NUMBER, text)
    return _DIGIT_RUN.sub(_digit_run, text)
