"""Query text -> ranked question hits.

A query is words a person typed or pasted, never query syntax: we analyse the text
ourselves and build Whoosh query objects, so `"`, `*`, `title:`, `AND` or any Unicode
are just words (or nothing) and can never raise a parse error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.analysis import StemmingAnalyzer
from whoosh.index import Index

# The question heading and the tags say what a section is about; the body only mentions.
FIELD_BOOSTS: dict[str, float] = {
    "question": 4.0,
    "tags": 2.5,
    "title": 2.0,
    "answer": 1.5,
    "description": 1.0,
    "body": 1.0,
}
MAX_TERMS = 60  # a pasted essay keeps its first 60 distinct content words
SNIPPET_CHARS = 300

_ANALYZER = StemmingAnalyzer()
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Hit:
    page: str
    anchor: str
    title: str
    question: str
    answer: str
    snippet: str
    score: float


def terms(text: str) -> list[str]:
    """Stemmed content words of the text, in order, without repeats."""
    seen: dict[str, None] = {}
    for token in _ANALYZER(text):
        if len(seen) >= MAX_TERMS:
            break
        seen.setdefault(token.text, None)
    return list(seen)


def _term_query(term: str) -> wq.Query:
    return wq.Or([wq.Term(field, term, boost=boost) for field, boost in FIELD_BOOSTS.items()])


def build_query(stems: list[str], require_all: bool) -> wq.Query:
    parts = [_term_query(t) for t in stems]
    if require_all:
        return wq.And(parts)
    # Documents matching more of the words score higher (coordination).
    return wq.Or(parts, scale=0.9)


def snippet(body: str, stems: list[str], limit: int = SNIPPET_CHARS) -> str:
    """Plain text around the matched words, at most `limit` characters."""
    wanted = set(stems)
    sentences = _SENTENCE.split(body) if body else []
    if not sentences:
        return ""

    def hits(sentence: str) -> int:
        return sum(1 for t in terms(sentence) if t in wanted)

    best = max(range(len(sentences)), key=lambda i: (hits(sentences[i]), -i))
    text = sentences[best]
    for extra in sentences[best + 1:]:
        if len(text) + 1 + len(extra) > limit:
            break
        text += " " + extra
    return shorten(text, limit)


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary and mark the cut, never mid-word."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def search(ix: Index, text: str, limit: int = 5) -> list[Hit]:
    stems = terms(text)
    if not stems:
        return []
    only_questions = wq.Term("kind", "question")
    with ix.searcher() as searcher:
        results = None
        if len(stems) <= 8:
            results = searcher.search(build_query(stems, require_all=True), limit=limit, filter=only_questions)
        if results is None or results.scored_length() == 0:
            results = searcher.search(build_query(stems, require_all=False), limit=limit, filter=only_questions)
        return [
            Hit(
                page=r["page"],
                anchor=r["anchor"],
                title=r["title"],
                question=r["question"],
                answer=r["answer"],
                snippet=snippet(r["body"], stems),
                score=round(float(r.score), 4),
            )
            for r in results
        ]
