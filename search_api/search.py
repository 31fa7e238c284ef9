"""Query text -> ranked question hits, with a typo suggestion and a confidence flag.

A query is words a person typed or pasted, never query syntax: we analyse the text
ourselves and build Whoosh query objects, so `"`, `*`, `title:`, `AND` or any Unicode
are just words (or nothing) and can never raise a parse error.

How a query is read:
1. Misspelled words the index does not know are corrected (and we say so).
2. The words become concepts; a concept also matches its synonyms from the creators'
   vocabulary, at a lower weight than the words as typed.
3. All concepts must match first; when that finds too little, any may match, and
   documents that match more of them rank higher. Words near each other score extra.
4. A long pasted message is split into the sentences that ask something; each is
   searched with its context and the rankings are fused.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from whoosh import query as wq
from whoosh.index import Index
from whoosh.searching import Searcher

from search_api import messages
from search_api.language import is_numberish, is_stop, stems, words
from search_api.vocabulary import Concept, Vocabulary, load

# The question heading and the tags say what a section is about; the body only mentions.
FIELD_BOOSTS: dict[str, float] = {
    "question": 3.0,
    "about": 1.5,  # the article's title, tags and description
    "text": 1.0,  # the section's answer and body
}
STRONG_FIELDS = ("question", "tags", "title", "answer", "description")
SYNONYM_WEIGHT = 0.6
CONTEXT_WEIGHT = 0.35
MAX_CONCEPTS = 12  # per searched sentence: a question, not an essay
ALL_WORDS_UP_TO = 6  # require every concept only for queries this short
PROXIMITY_SLOP = 3
COMMON_SHARE = 0.2  # a word in more than this share of sections is not required
PAGE_PRIOR = 0.5  # how much the whole article's match lifts its questions
FUSION_K = 8  # reciprocal rank fusion: small k trusts each list's top answers
SNIPPET_CHARS = 300

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_ONLY_QUESTIONS = wq.Term("kind", "question")


@dataclass(frozen=True)
class Hit:
    page: str
    anchor: str
    title: str
    question: str
    answer: str
    snippet: str
    score: float
    coverage: float = 0.0  # share of the query's ideas found in the heading, tags or answer


@dataclass(frozen=True)
class Outcome:
    hits: list[Hit]
    suggestion: str | None = None
    confident: bool = False


@dataclass(frozen=True)
class QuestionOutcome:
    text: str  # the sentence of the message it answers
    outcome: Outcome


@dataclass
class _Plan:
    concepts: list[Concept]
    weights: list[float]
    stems: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    return load()


# --- spelling -------------------------------------------------------------------------

def correct(searcher: Searcher, text: str, vocab: Vocabulary) -> str | None:
    """The text with unknown words replaced by the index's nearest word, or None."""
    reader = searcher.reader()
    corrector = searcher.corrector("spell")
    changed = False
    result = text
    for word in dict.fromkeys(words(text)):
        if len(word) < 4 or is_stop(word) or is_numberish(word) or not word.isalpha():
            continue
        if reader.frequency("spell", word) > 0 or vocab.knows(stems(word)[0] if stems(word) else word):
            continue
        # Typos rarely touch the first letter; requiring it keeps the search of the
        # dictionary to a few milliseconds.
        suggestions = corrector.suggest(word, limit=1, maxdist=1 if len(word) <= 5 else 2, prefix=1)
        if suggestions and suggestions[0] != word:
            result = re.sub(rf"(?i)\b{re.escape(word)}\b", suggestions[0], result)
            changed = True
    return result if changed else None


# --- query building -------------------------------------------------------------------

def _field_query(name: str, seq: tuple[str, ...], boost: float) -> wq.Query:
    if len(seq) == 1:
        return wq.Term(name, seq[0], boost=boost)
    return wq.Phrase(name, list(seq), slop=1, boost=boost)


def concept_query(concept: Concept, weight: float) -> wq.Query:
    """The concept as typed in any field, or its vocabulary group (weaker)."""
    options = [_field_query(f, concept.typed, b * weight) for f, b in FIELD_BOOSTS.items()]
    for group in vocabulary().group_ids(concept.typed):
        options.append(wq.Term("ideas_head", group, boost=FIELD_BOOSTS["question"] * weight * SYNONYM_WEIGHT))
        options.append(wq.Term("ideas_text", group, boost=FIELD_BOOSTS["text"] * weight * SYNONYM_WEIGHT))
    return wq.Or(options)


def proximity_query(query_stems: list[str]) -> wq.Query | None:
    pairs = [(a, b) for a, b in zip(query_stems, query_stems[1:]) if a != b][:4]
    if not pairs:
        return None
    return wq.Or([
        wq.Phrase(f, [a, b], slop=PROXIMITY_SLOP, boost=boost)
        for a, b in pairs for f, boost in (("question", 1.0), ("text", 0.5))
    ])


def plan(searcher: Searcher, text: str, context: str = "") -> _Plan:
    """Concepts to search for: the question's own words first, then context words."""
    vocab = vocabulary()
    reader = searcher.reader()

    def known(concept: Concept) -> bool:
        # A word no page contains (a name, a station) cannot help rank; drop it
        # unless the vocabulary knows another way to say it.
        return bool(concept.alternatives) or all(
            reader.doc_frequency("text", s) or reader.doc_frequency("about", s) or reader.doc_frequency("question", s)
            for s in concept.typed
        )

    own_stems = stems(text)
    own = [c for c in _dedupe(vocab.concepts(own_stems)) if known(c)][:MAX_CONCEPTS]
    weights = [1.0] * len(own)
    if context:
        seen = {c.typed for c in own}
        extra = [c for c in _dedupe(vocab.concepts(stems(context))) if c.typed not in seen and known(c)]
        # Rare words say the most about what the context is about.
        n = max(reader.doc_count(), 1)
        extra.sort(key=lambda c: -math.log(n / (1 + max(reader.doc_frequency("text", s) for s in c.typed))))
        own += extra[:4]
        weights += [CONTEXT_WEIGHT] * len(extra[:4])
    return _Plan(concepts=own, weights=weights, stems=own_stems)


def _dedupe(concepts: list[Concept]) -> list[Concept]:
    seen: dict[tuple[str, ...], Concept] = {}
    for c in concepts:
        seen.setdefault(c.typed, c)
    return list(seen.values())


# --- ranking --------------------------------------------------------------------------

def _hit(doc: dict, score: float, plan_: _Plan) -> Hit:
    return Hit(
        page=doc["page"], anchor=doc["anchor"], title=doc["title"], question=doc["question"],
        answer=doc["answer"], snippet=snippet(doc["body"], plan_.stems),
        score=round(float(score), 4), coverage=coverage(doc, plan_),
    )


def coverage(doc: dict, plan_: _Plan) -> float:
    """Share of the question's own concepts found in the heading, tags, title or answer."""
    own = [c for c, w in zip(plan_.concepts, plan_.weights) if w == 1.0]
    if not own:
        return 0.0
    strong = set(stems(" ".join(str(doc.get(f, "")) for f in STRONG_FIELDS)))
    found = sum(1 for c in own if any(set(alt) <= strong for alt in (c.typed, *c.alternatives)))
    return found / len(own)


def _top(searcher: Searcher, query: wq.Query, kind: str = "question") -> list:
    # Whoosh's top-N collector can drop the best document when phrase matchers sit
    # inside a union (seen here: limit=3 missed a hit that limit=10 ranked first), so
    # score every match (a few hundred at most) and cut the list ourselves.
    return list(searcher.search(query, limit=None, filter=wq.Term("kind", kind)))


def is_common(searcher: Searcher, concept: Concept) -> bool:
    """A word most sections use ("song", "music") says little; don't insist on it."""
    reader = searcher.reader()
    questions = max(reader.doc_count(), 1)
    return all(reader.doc_frequency("text", s) / questions > COMMON_SHARE for s in concept.typed)


def page_weights(searcher: Searcher, parts: list[wq.Query]) -> dict[str, float]:
    """How well each article as a whole (title, tags, description, intro) matches, 0 to 1."""
    results = _top(searcher, wq.Or(parts), kind="article")
    best = max((r.score for r in results), default=0.0) or 1.0
    return {r["page"]: r.score / best for r in results}


def rank(searcher: Searcher, plan_: _Plan, limit: int) -> tuple[list[Hit], bool]:
    """Hits for a plan, and whether the narrow first pass (all key words) found any.

    Tier one: questions matching every informative concept. Tier two, only when tier
    one is short: questions matching any concept, more of them scoring more. Within a
    tier, a question on an article that as a whole matches the query rises.
    """
    if not plan_.concepts:
        return [], False
    parts = [concept_query(c, w) for c, w in zip(plan_.concepts, plan_.weights)]
    near = proximity_query([s for c in plan_.concepts for s in c.typed])
    pages = page_weights(searcher, parts)

    def ordered(results: list) -> list:
        return sorted(results, key=lambda r: -r.score * (1 + PAGE_PRIOR * pages.get(r["page"], 0.0)))

    chosen: list = []
    seen: set[int] = set()
    own = [(c, p) for c, p, w in zip(plan_.concepts, parts, plan_.weights) if w == 1.0]
    key = [p for c, p in own if not is_common(searcher, c)] or [p for _, p in own]
    if len(key) <= ALL_WORDS_UP_TO:
        optional = [p for p in parts if p not in key] + ([near] if near else [])
        query = wq.AndMaybe(wq.And(key), wq.Or(optional)) if optional else wq.And(key)
        for r in ordered(_top(searcher, query))[:limit]:
            seen.add(r.docnum)
            chosen.append(r)
    all_matched = bool(chosen)
    if len(chosen) < limit:
        broad = wq.Or(parts, scale=0.9)
        query = wq.AndMaybe(broad, near) if near else broad
        for r in ordered(_top(searcher, query)):
            if len(chosen) >= limit:
                break
            if r.docnum not in seen:
                seen.add(r.docnum)
                chosen.append(r)
    hits = [_hit(r.fields(), r.score * (1 + PAGE_PRIOR * pages.get(r["page"], 0.0)), plan_) for r in chosen]
    return hits, all_matched


def is_confident(hits: list[Hit], all_matched: bool) -> bool:
    if not hits:
        return False
    top = hits[0]
    return top.coverage >= 0.67 or (all_matched and top.coverage >= 0.34)


def fuse(rankings: list[list[Hit]], limit: int) -> list[Hit]:
    """Reciprocal rank fusion: a question high in any list rises in the fused one."""
    scores: dict[tuple[str, str], float] = {}
    best: dict[tuple[str, str], Hit] = {}
    for hits in rankings:
        for position, hit in enumerate(hits):
            key = (hit.page, hit.anchor)
            scores[key] = scores.get(key, 0.0) + 1.0 / (FUSION_K + position + 1)
            if key not in best or hit.coverage > best[key].coverage:
                best[key] = hit
    ordered = sorted(scores, key=lambda k: -scores[k])[:limit]
    return [replace(best[k], score=round(scores[k], 4)) for k in ordered]


# --- entry points ---------------------------------------------------------------------

def _search_one(searcher: Searcher, text: str, context: str, limit: int) -> Outcome:
    plan_ = plan(searcher, text, context)
    hits, all_matched = rank(searcher, plan_, limit)
    return Outcome(hits=hits, confident=is_confident(hits, all_matched))


def answer_questions(ix: Index, text: str, limit: int = 5, max_questions: int = messages.MAX_QUESTIONS
                     ) -> tuple[list[QuestionOutcome], str | None]:
    """Each question the message asks, with its own ranked hits; plus a typo suggestion."""
    with ix.searcher() as searcher:
        suggestion = correct(searcher, text, vocabulary()) if not messages.is_long(text) else None
        query_text = suggestion or text
        found = messages.questions(query_text, limit=max_questions)
        results = [QuestionOutcome(q.text, _search_one(searcher, q.text, q.context, limit)) for q in found]
        return results, suggestion


def find(ix: Index, text: str, limit: int = 5) -> Outcome:
    """One ranked list for any text: a few words or a whole pasted message."""
    with ix.searcher() as searcher:
        vocab = vocabulary()
        if not messages.is_long(text):
            suggestion = correct(searcher, text, vocab)
            outcome = _search_one(searcher, suggestion or text, "", limit)
            return replace(outcome, suggestion=suggestion)
        found = messages.questions(text)
        outcomes = [_search_one(searcher, q.text, q.context, limit) for q in found]
        # The message as a whole, by its rarest words, catches what no single sentence says.
        gist = _search_one(searcher, " ".join(q.text for q in found), " ".join(q.context for q in found), limit)
        hits = fuse([o.hits for o in outcomes] + [gist.hits], limit)
        return Outcome(hits=hits, confident=any(o.confident for o in outcomes) or gist.confident)


def search(ix: Index, text: str, limit: int = 5) -> list[Hit]:
    return find(ix, text, limit).hits


# --- snippets -------------------------------------------------------------------------

def snippet(body: str, query_stems: list[str], limit: int = SNIPPET_CHARS) -> str:
    """Plain text around the matched words, at most `limit` characters."""
    wanted = set(query_stems)
    sentences = _SENTENCE.split(body) if body else []
    if not sentences:
        return ""
    counts = [len(wanted & set(stems(s))) for s in sentences]
    best = max(range(len(sentences)), key=lambda i: (counts[i], -i))
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
