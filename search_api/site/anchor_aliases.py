"""Which question an old, published anchor now belongs to, and how the page keeps it.

When an editor renames a question heading, Python-Markdown gives it a new id and the
old deep link would land at the top of the page. The ledger remembers each published
question and its one-sentence answer; the renamed question is the one on the same page
whose answer (and wording) is still closest to what was published. Its heading then
carries the old id as well, so both the old and the new link land on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from search_api.site.ledger import LedgerEntry
from search_api.site.html import read_html
from search_api.site.sections import NON_ANSWER_SECTIONS

# A renamed question usually keeps its answer; a different question shares few words.
ANSWER_WEIGHT = 0.7
MIN_SCORE = 0.6
MIN_MARGIN = 0.1  # the best match must beat the runner-up by this much, or nobody wins

_WORD = re.compile(r"\w+")
ALIAS_CLASS = "anchor-alias"


@dataclass(frozen=True)
class Question:
    anchor: str
    question: str
    answer: str


def page_questions(html: str) -> list[Question]:
    """The `##` questions of a rendered page, with the first paragraph of each."""
    return [
        Question(anchor=h.id, question=h.text, answer=h.first_paragraph)
        for h in read_html(html).headings
        if h.level == 2 and h.text.lower() not in NON_ANSWER_SECTIONS
    ]


def similarity(a: str, b: str) -> float:
    """0..1: how much of the wording two texts share, in order, ignoring case and punctuation."""
    words_a, words_b = _WORD.findall(a.lower()), _WORD.findall(b.lower())
    if not words_a or not words_b:
        return 0.0
    return SequenceMatcher(None, words_a, words_b, autojunk=False).ratio()


def _score(lost: LedgerEntry, question: str, answer: str) -> float:
    return (ANSWER_WEIGHT * similarity(lost.answer, answer)
            + (1 - ANSWER_WEIGHT) * similarity(lost.question, question))


def ranked(lost: LedgerEntry, questions: list[Question], recorded: dict[str, LedgerEntry]) -> list[tuple[float, str]]:
    """(score, anchor) of each question as a successor of `lost`, best first.

    Each question is compared as it reads now and as the ledger recorded it, so a mapping
    found once survives later edits to the renamed question's answer.
    """
    scores = []
    for q in questions:
        variants = [(q.question, q.answer)]
        if q.anchor in recorded:
            variants.append((recorded[q.anchor].question, recorded[q.anchor].answer))
        scores.append((max(_score(lost, *v) for v in variants), q.anchor))
    return sorted(scores, reverse=True)


def renamed_to(lost: LedgerEntry, questions: list[Question], recorded: dict[str, LedgerEntry]) -> str | None:
    """The anchor of the question `lost` became, or None when no question is clearly it."""
    scores = ranked(lost, questions, recorded)
    if not scores or scores[0][0] < MIN_SCORE:
        return None
    if len(scores) > 1 and scores[0][0] - scores[1][0] < MIN_MARGIN:
        return None
    return scores[0][1]


def add_alias_ids(html: str, aliases: dict[str, str]) -> str:
    """Put each old id (key) inside the heading whose id is the value, as an empty anchor."""
    by_target: dict[str, list[str]] = {}
    for old, new in aliases.items():
        by_target.setdefault(new, []).append(old)
    headings = {h.id: h for h in reversed(read_html(html).headings)}  # the first with an id wins
    inserts: dict[int, str] = {}
    for new, olds in by_target.items():
        target = headings.get(new)
        if target is not None:
            inserts[target.open_tag_end] = "".join(
                f'<a id="{old}" class="{ALIAS_CLASS}" aria-hidden="true"></a>' for old in sorted(olds))
    for at in sorted(inserts, reverse=True):  # from the end, so earlier offsets stay right
        html = html[:at] + inserts[at] + html[at:]
    return html
