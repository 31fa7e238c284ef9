"""Reading level and long sentences of an article's body, measured the way writers do.

The body is the article without front matter, heading lines, link addresses and
`{{ ... }}` settings (read as "the society"), with Markdown marks removed. The grade is
textstat's Flesch-Kincaid on exactly that text, so `make check` and the writers'
own measurement give the same number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import textstat

MAX_SENTENCE_WORDS = 30

_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_MACRO = re.compile(r"\{\{[^}]*\}\}")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"[*_`>|]")
_NEW_UNIT = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|\||!!!|\?\?\?)")  # list items, table rows, admonitions
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[.!?][\"'”’)\]])\s+")
_WORD = re.compile(r"\S*\w\S*")


@dataclass(frozen=True)
class Sentence:
    line: int  # the file line the sentence starts on
    words: int
    text: str


def _clean(line: str) -> str:
    line = _MACRO.sub("the society", line)
    line = _LINK.sub(r"\1", line)
    return _MARKS.sub("", line)


def body_text(markdown: str) -> str:
    """The text the grade is measured on."""
    text = _FRONT_MATTER.sub("", markdown)
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    return _clean(text)


def grade(markdown: str) -> float:
    """Flesch-Kincaid grade of the article body (textstat)."""
    return float(textstat.flesch_kincaid_grade(body_text(markdown)))


def _body_lines(markdown: str) -> list[tuple[int, str]]:
    """(file line number, line) for the body: front matter dropped, numbering kept."""
    match = _FRONT_MATTER.match(markdown)
    skip = match.group(0).count("\n") if match else 0
    return list(enumerate(markdown.splitlines(), start=1))[skip:]


def _units(markdown: str) -> list[list[tuple[int, str]]]:
    """Paragraphs, list items and table rows, each as its cleaned lines with their numbers."""
    units: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, line in _body_lines(markdown):
        if not line.strip() or line.lstrip().startswith("#") or _NEW_UNIT.match(line):
            if current:
                units.append(current)
            current = []
        if line.strip() and not line.lstrip().startswith("#"):
            current.append((number, _clean(line).strip()))
    if current:
        units.append(current)
    return units


def sentences(markdown: str) -> list[Sentence]:
    """Every sentence of the body with the line it starts on."""
    found = []
    for unit in _units(markdown):
        text, starts = "", []
        for number, line in unit:
            starts.append((len(text), number))
            text += line + " "
        position = 0
        for piece in _SENTENCE_END.split(text):
            offset = text.find(piece, position)
            position = offset + len(piece)
            words = len(_WORD.findall(piece))
            if words:
                line = max(n for start, n in starts if start <= max(offset, 0))
                found.append(Sentence(line=line, words=words, text=piece.strip()))
    return found


def long_sentences(markdown: str, max_words: int = MAX_SENTENCE_WORDS) -> list[Sentence]:
    return [s for s in sentences(markdown) if s.words > max_words]
