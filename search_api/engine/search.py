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
4. A long pasted message is split into the sentences that ask (or complain: "SAMRO
   hasn't paid me" asks why); each is searched with its context, and the message as a
   whole is searched as one bag of its ideas (the story says what it is about); the
   rankings are fused, the whole message weighing as much as its questions together.
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

from whoosh.index import Index

from search_api.engine import messages
from search_api.engine.confidence import Evidence, is_confident
from search_api.engine.corpus import Corpus, corpus_for
from search_api.engine.analysis import is_english, is_numberish, is_stop, stems, words
from search_api.engine.vocabulary import Concept, Vocabulary

# The question heading and the tags say what a section is about; the body only mentions.
FIELD_BOOSTS: dict[str, float] = {
    "question": 3.0,
    "asked": 2.0,  # the editors' other phrasings of the question: close to the heading
    "about": 1.5,  # the article's title, tags and description
    "text": 1.0,  # the section's answer and body
}
SYNONYM_WEIGHT = 0.6
CONTEXT_WEIGHT = 0.35
MAX_CONCEPTS = 12  # per searched sentence: a question, not an essay
WHOLE_CONCEPTS = 60  # the whole of a long message, read as one bag of its ideas
# A long message's whole-message ranking counts as much as its questions' rankings
# together: what a story is about (a death, a bank change, a producer) is spread over
# sentences that ask nothing. Measured on real pasted messages: alone, the questions miss.
WHOLE_WEIGHT = 3.0
FUSION_DEPTH = 10  # each list fused contributes at least its first ten
ALL_WORDS_UP_TO = 6  # require every concept only for queries this short
PROXIMITY_SLOP = 3
COMMON_SHARE = 0.2  # a word in more than this share of sections is not required
PAGE_PRIOR = 0.5  # how much the whole article's match lifts its questions
COORDINATION = 0.9  # a question missing one of the query's ideas keeps 90% of its score
FUSION_K = 8  # reciprocal rank fusion: small k trusts each list's top answers
SNIPPET_CHARS = 300
# "what is needletime" asks for the definition: a heading that defines exactly what was
# asked ("What is needletime?", or the glossary's "Needletime") outranks the questions
# that only share the word ("What do I need to do to get needletime?").
DEFINITION_BOOST = 2.0
_DEFINITION_QUERY = re.compile(
    r"^\W*(?:(?:so|but|and|ok|okay|hi|hey)\W+)*(?:what\s*(?:is|are|'s|’s|s)\b|whats\b|define\b|definition of\b|"
    r"meaning of\b|what\s+does\s+.+\s+mean\W*$|.+\b(?:meaning|definition)\W*$)", re.I)



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
    evidence: Evidence | None = None  # what `confident` was decided from


@dataclass(frozen=True)
class QuestionOutcome:
    text: str  # the sentence of the message it answers
    outcome: Outcome


@dataclass
class _Plan:
    concepts: list[Concept]
    weights: list[float]
    stems: list[str] = field(default_factory=list)
    unknown: int = 0  # content words of the question that no page uses
    defines: bool = False  # "what is X": the definition of X is wanted


# --- spelling -------------------------------------------------------------------------

def correct(ix: Index, corpus: Corpus, text: str, vocab: Vocabulary) -> str | None:
    """The text with unknown words replaced by the index's nearest word, or None."""
    unknown = []
    for word in dict.fromkeys(words(text)):
        # Short words have too many neighbours ("cake" is one letter from "cae").
        if len(word) < 5 or is_stop(word) or is_numberish(word) or not word.isalpha():
            continue
        word_stems = stems(word)
        if is_english(word):
            continue  # a real English word is never "corrected" ("resold", "alert")
        if corpus.df("spell", word) or (word_stems and (
                vocab.knows(word_stems[0]) or corpus.df("text", word_stems[0]) or corpus.df("about", word_stems[0])
                or corpus.df("asked", word_stems[0]))):
            continue  # a word some page uses is never "corrected"
        unknown.append(word)
    if not unknown:
        return None
    result = text
    with ix.searcher() as searcher:
        corrector = searcher.corrector("spell")
        for word in unknown:
            # Typos rarely touch the first letter; requiring it keeps the search of the
            # dictionary to a few milliseconds.
            suggestions = corrector.suggest(word, limit=1, maxdist=2, prefix=1)
            if suggestions and suggestions[0] != word and not is_stop(suggestions[0]):
                result = re.sub(rf"(?i)\b{re.escape(word)}\b", suggestions[0], result)
    return result if result != text else None


# --- scoring --------------------------------------------------------------------------

def phrase_frequencies(corpus: Corpus, name: str, seq: tuple[str, ...], slop: int) -> dict[int, int]:
    """docnum -> how often the words occur in order, each within `slop` of the last."""
    if len(seq) == 1:
        return {d: p.freq for d, p in corpus.postings(name, seq[0]).items()}
    lists = [corpus.postings(name, s) for s in seq]
    docs = set(lists[0]).intersection(*lists[1:])
    found: dict[int, int] = {}
    for doc in docs:
        count = 0
        for start in lists[0][doc].positions:
            position = start
            for postings in lists[1:]:
                following = [q for q in postings[doc].positions if position < q <= position + 1 + slop]
                if not following:
                    break
                position = following[0]
            else:
                count += 1
        if count:
            found[doc] = count
    return found


def concept_scores(corpus: Corpus, concept: Concept, weight: float) -> dict[int, float]:
    """BM25F of one concept in every document that has it: as typed, or its group (weaker).

    Creators' questions share their ideas ("royalties", "paid", "samro"), so each
    concept's scores are kept with the corpus and reused; callers must not modify them.
    """
    key = (concept.typed, weight)
    cached = corpus.memo.get(key)
    if cached is not None:
        return cached
    scores: dict[int, float] = defaultdict(float)
    for name, boost in FIELD_BOOSTS.items():
        found = phrase_frequencies(corpus, name, concept.typed, slop=1)
        idf = corpus.idf(len(found))
        for doc, freq in found.items():
            scores[doc] += boost * weight * corpus.bm25(name, doc, freq, idf)
    for group in corpus.vocabulary.group_ids(concept.typed):
        for name, boost in (("ideas_head", FIELD_BOOSTS["question"]), ("ideas_asked", FIELD_BOOSTS["asked"]),
                            ("ideas_text", FIELD_BOOSTS["text"])):
            postings = corpus.postings(name, group)
            idf = corpus.idf(len(postings))
            for doc, posting in postings.items():
                scores[doc] += boost * weight * SYNONYM_WEIGHT * corpus.bm25(name, doc, posting.freq, idf)
    return corpus.remember(key, dict(scores))


def proximity_scores(corpus: Corpus, query_stems: list[str]) -> dict[int, float]:
    """Extra score where neighbouring query words stand near each other in a section."""
    pairs = [(a, b) for a, b in zip(query_stems, query_stems[1:]) if a != b][:4]
    scores: dict[int, float] = defaultdict(float)
    for pair in pairs:
        for name, boost in (("question", 1.0), ("text", 0.5)):
            found = phrase_frequencies(corpus, name, pair, slop=PROXIMITY_SLOP)
            idf = corpus.idf(len(found))
            for doc, freq in found.items():
                scores[doc] += boost * corpus.bm25(name, doc, freq, idf)
    return scores


def plan(corpus: Corpus, text: str, context: str = "", max_concepts: int = MAX_CONCEPTS) -> _Plan:
    """Concepts to search for: the question's own words first, then context words."""
    vocab = corpus.vocabulary

    def known(concept: Concept) -> bool:
        # A word no page contains (a name, a station) cannot help rank; drop it
        # unless the vocabulary knows another way to say it.
        return bool(concept.alternatives) or all(
            corpus.df("text", s) or corpus.df("about", s) or corpus.df("question", s) or corpus.df("asked", s)
            for s in concept.typed
        )

    own_stems = stems(text)
    typed = [c for c in _dedupe(vocab.concepts(own_stems)) if not _bare_number(c)]
    recognised = [c for c in typed if known(c)]
    own = recognised[:max_concepts]
    unknown = len(typed) - len(recognised)
    weights = [1.0] * len(own)
    if context:
        seen = {c.typed for c in own}
        extra = [c for c in _dedupe(vocab.concepts(stems(context)))
                 if c.typed not in seen and known(c) and not _bare_number(c)]
        # Rare words say the most about what the context is about.
        extra.sort(key=lambda c: max(corpus.df("text", s) for s in c.typed))
        own += extra[:4]
        weights += [CONTEXT_WEIGHT] * len(extra[:4])
    return _Plan(concepts=own, weights=weights, stems=own_stems, unknown=unknown,
                 defines=is_definition_query(text))


def is_definition_query(text: str) -> bool:
    """ "what is X", "what's a split sheet", "define ISRC", "needletime meaning"."""
    return len(text.split()) <= 10 and bool(_DEFINITION_QUERY.match(text.strip()))


def heading_boost(corpus: Corpus, docnum: int, plan_: _Plan) -> float:
    """More for a heading that defines what a definition question asks about."""
    if not plan_.defines:
        return 1.0
    heading = corpus.heading(docnum)
    query = set(plan_.stems)
    if heading.defines and heading.stems and heading.stems <= query and len(query - heading.stems) <= 1:
        return DEFINITION_BOOST
    return 1.0


def _bare_number(concept: Concept) -> bool:
    # "2009", "4", "15": years and amounts in a message say little about the topic,
    # unless the vocabulary knows them as part of a phrase ("25 years").
    return not concept.alternatives and all(is_numberish(s) for s in concept.typed)


def _dedupe(concepts: list[Concept]) -> list[Concept]:
    seen: dict[tuple[str, ...], Concept] = {}
    for c in concepts:
        seen.setdefault(c.typed, c)
    return list(seen.values())


# --- ranking --------------------------------------------------------------------------

def _hit(corpus: Corpus, docnum: int, score: float, plan_: _Plan) -> Hit:
    doc = corpus.stored(docnum)
    derived = corpus.derived(docnum)
    return Hit(
        page=doc["page"], anchor=doc["anchor"], title=doc["title"], question=doc["question"],
        answer=doc["answer"], snippet=best_sentences(derived.sentences, set(plan_.stems)),
        score=round(float(score), 4), coverage=coverage(derived.strong, plan_),
    )


def coverage(strong: frozenset[str], plan_: _Plan) -> float:
    """Share of the question's own concepts found in the heading, tags, title or answer."""
    own = [c for c, w in zip(plan_.concepts, plan_.weights) if w == 1.0]
    if not own:
        return 0.0
    found = sum(1 for c in own if any(set(alt) <= strong for alt in (c.typed, *c.alternatives)))
    return found / len(own)


def is_common(corpus: Corpus, concept: Concept) -> bool:
    """A word most sections use ("song", "music") says little; don't insist on it."""
    questions = max(len(corpus.questions), 1)
    return all(corpus.df("text", s) / questions > COMMON_SHARE for s in concept.typed)


def rank(corpus: Corpus, plan_: _Plan, limit: int) -> tuple[list[Hit], bool]:
    """Hits for a plan, and whether the narrow first pass (all key words) found any.

    Tier one: questions matching every informative concept. Tier two, only when tier
    one is short: questions matching any concept, more of them scoring more. Within a
    tier, a question on an article that as a whole matches the query rises.
    """
    if not plan_.concepts:
        return [], False
    per_concept = [concept_scores(corpus, c, w) for c, w in zip(plan_.concepts, plan_.weights)]
    near = proximity_scores(corpus, [s for c in plan_.concepts for s in c.typed])

    totals: dict[int, float] = defaultdict(float, near)
    matched: dict[int, int] = defaultdict(int)
    for scores in per_concept:
        for doc, value in scores.items():
            totals[doc] += value
            matched[doc] += 1

    article_scores = {corpus.page[d]: totals[d] for d in corpus.articles}
    best_article = max(article_scores.values(), default=0.0) or 1.0
    page_factor = {page: 1 + PAGE_PRIOR * score / best_article for page, score in article_scores.items()}
    pages = corpus.page

    def final(doc: int, base: float) -> float:
        score = base * page_factor.get(pages[doc], 1.0)
        return score * heading_boost(corpus, doc, plan_) if plan_.defines else score

    chosen: list[tuple[int, float]] = []
    # When the question itself has no word the index knows, its context is all we have.
    own = [i for i, w in enumerate(plan_.weights) if w == 1.0] or list(range(len(plan_.concepts)))
    key = [i for i in own if not is_common(corpus, plan_.concepts[i])] or own
    if len(key) <= ALL_WORDS_UP_TO:
        # Dropping the most common key idea when no question has them all was tried
        # and ranked worse than going straight to the coordinated any-match tier.
        docs = set(per_concept[key[0]]).intersection(*(per_concept[i] for i in key[1:]))
        tier = [(d, final(d, totals[d])) for d in docs if corpus.kind[d] == "question"]
        chosen = heapq.nlargest(limit, tier, key=lambda pair: pair[1])
    all_matched = bool(chosen)
    if len(chosen) < limit:
        taken = {d for d, _ in chosen}
        parts = len(per_concept)
        kind = corpus.kind
        # Matching more of the question's ideas counts for more (coordination).
        tier = [(d, final(d, totals[d] * COORDINATION ** (parts - count)))
                for d, count in matched.items() if d not in taken and kind[d] == "question"]
        chosen += heapq.nlargest(limit - len(chosen), tier, key=lambda pair: pair[1])
    hits = [_hit(corpus, d, score, plan_) for d, score in chosen]
    return hits, all_matched


def evidence(hits: list[Hit], plan_: _Plan, all_matched: bool, long: bool = False,
             lists: list[list[Hit]] | None = None) -> Evidence | None:
    """The signals `confident` is computed from (engine/confidence.py), or None: no answer."""
    if not hits:
        return None
    top = hits[0]
    nearby = hits[1:5]
    same_page = sum(h.page == top.page for h in nearby) / len(nearby) if nearby else 0.0
    margin = (top.score - hits[1].score) / top.score if len(hits) > 1 and top.score > 0 else 1.0
    own = sum(1 for w in plan_.weights if w == 1.0)
    unknown = plan_.unknown / (own + plan_.unknown) if own + plan_.unknown else 1.0
    agreement = 0.0
    if long and lists:
        key = (top.page, top.anchor)
        agreement = sum(key in {(h.page, h.anchor) for h in hits_[:3]} for hits_ in lists) / len(lists)
    return Evidence((top.coverage, same_page, max(0.0, min(1.0, margin)), unknown,
                     float(all_matched), float(long), agreement))


def fuse(rankings: list[list[Hit]], limit: int, weights: list[float] | None = None) -> list[Hit]:
    """Reciprocal rank fusion: a question high in any list rises in the fused one."""
    scores: dict[tuple[str, str], float] = {}
    best: dict[tuple[str, str], Hit] = {}
    for hits, weight in zip(rankings, weights or [1.0] * len(rankings)):
        for position, hit in enumerate(hits):
            key = (hit.page, hit.anchor)
            scores[key] = scores.get(key, 0.0) + weight / (FUSION_K + position + 1)
            if key not in best or hit.coverage > best[key].coverage:
                best[key] = hit
    ordered = sorted(scores, key=lambda k: -scores[k])[:limit]
    return [replace(best[k], score=round(scores[k], 4)) for k in ordered]


def keep_each_questions_best(fused: list[Hit], per_question: list[list[Hit]], limit: int) -> list[Hit]:
    """The first `limit` fused hits, with room made for each question's own best answer.

    A message about a bank change and a father's death must show both: the whole
    message's view favours its main topic, so a second question's answer could drop out.
    """
    key = lambda h: (h.page, h.anchor)  # noqa: E731
    chosen = fused[:limit]
    have = {key(h) for h in chosen}
    protected = {key(hits[0]) for hits in per_question if hits}
    for hits in per_question:
        if not hits or key(hits[0]) in have:
            continue
        # Replace the lowest hit no question insists on.
        for i in range(len(chosen) - 1, -1, -1):
            if key(chosen[i]) not in protected:
                have.discard(key(chosen[i]))
                fallback = next((h for h in fused if key(h) == key(hits[0])), hits[0])
                chosen[i] = fallback
                have.add(key(fallback))
                break
    order = {key(h): n for n, h in enumerate(fused)}
    return sorted(chosen, key=lambda h: order.get(key(h), len(order)))


# --- entry points ---------------------------------------------------------------------

def _search_one(corpus: Corpus, text: str, context: str, limit: int) -> Outcome:
    # The evidence reads the first five answers whatever the caller's limit, so
    # `confident` never depends on how many results were asked for.
    plan_ = plan(corpus, text, context)
    hits, all_matched = rank(corpus, plan_, max(limit, FUSION_DEPTH))
    found = evidence(hits, plan_, all_matched)
    return Outcome(hits=hits[:limit], confident=is_confident(found), evidence=found)


def answer_questions(ix: Index, text: str, limit: int = 5, max_questions: int = messages.MAX_QUESTIONS
                     ) -> tuple[list[QuestionOutcome], str | None]:
    """Each question the message asks, with its own ranked hits; plus a typo suggestion."""
    corpus = corpus_for(ix)
    # Many agents paste the same questions; a result is kept with the index build it
    # came from, so a reindex starts afresh. Results are frozen and never modified.
    return corpus.cached(("answer", text, limit, max_questions),
                         lambda: _answer_questions(ix, corpus, text, limit, max_questions))


def _answer_questions(ix: Index, corpus: Corpus, text: str, limit: int, max_questions: int
                      ) -> tuple[list[QuestionOutcome], str | None]:
    suggestion = correct(ix, corpus, text, corpus.vocabulary) if not messages.is_long(text) else None
    found = messages.questions(suggestion or text, limit=max_questions)
    results = [QuestionOutcome(q.text, _search_one(corpus, q.text, q.context, limit)) for q in found]
    return results, suggestion


def find(ix: Index, text: str, limit: int = 5, prefix: bool = False) -> Outcome:
    """One ranked list for any text: a few words or a whole pasted message.

    `prefix`: the text is still being typed, so its last word may be half a word
    ("when do i get pai"): it is completed to the commonest topic word it begins, and
    never "corrected" ("copyr" is not "cover").
    """
    corpus = corpus_for(ix)
    if prefix:
        text = complete_last_word(corpus, text)
        return corpus.cached(("find-prefix", text, limit), lambda: _find(ix, corpus, text, limit, typing=True))
    return corpus.cached(("find", text, limit), lambda: _find(ix, corpus, text, limit))


_LAST_WORD = re.compile(r"(\w+)$")
MIN_PREFIX = 2  # one letter completes to anything


def _correct_typing(ix: Index, corpus: Corpus, text: str) -> str | None:
    """Typos corrected in every word but the last, which may be unfinished."""
    match = _LAST_WORD.search(text)
    head, last = (text[: match.start()], match.group(1)) if match else (text, "")
    fixed = correct(ix, corpus, head, corpus.vocabulary) if head.strip() else None
    return fixed.rstrip() + (" " if head.endswith(" ") else "") + last if fixed else None


def complete_last_word(corpus: Corpus, text: str) -> str:
    """`text` with a half-typed last word replaced by the topic word it most likely begins."""
    match = _LAST_WORD.search(text)
    if not match:
        return text  # ends in a space or a mark: every word is whole
    word = match.group(1).lower()
    if len(word) < MIN_PREFIX or is_stop(word) or is_numberish(word) or corpus.df("spell", word):
        return text
    completion = corpus.completion(word)
    if completion is None:
        return text
    return text[: match.start()] + completion


def _find(ix: Index, corpus: Corpus, text: str, limit: int, typing: bool = False) -> Outcome:
    if not messages.is_long(text):
        suggestion = _correct_typing(ix, corpus, text) if typing else correct(ix, corpus, text, corpus.vocabulary)
        outcome = _search_one(corpus, suggestion or text, "", limit)
        return replace(outcome, suggestion=suggestion)
    depth = max(limit, FUSION_DEPTH)
    found = messages.questions(text)
    outcomes = [_search_one(corpus, q.text, q.context, depth) for q in found]
    # The questions together, with their context.
    gist = _search_one(corpus, " ".join(q.text for q in found), " ".join(q.context for q in found), depth)
    # The message as a whole: every idea in it, the story as well as the questions.
    whole_plan = plan(corpus, messages.content(text), max_concepts=WHOLE_CONCEPTS)
    whole, _ = rank(corpus, whole_plan, depth)
    lists = [o.hits for o in outcomes] + [gist.hits, whole]
    fused = fuse(lists, depth, weights=[1.0] * (len(lists) - 1) + [WHOLE_WEIGHT])
    hits = keep_each_questions_best(fused, [o.hits for o in outcomes], limit)
    # Coverage is judged against the whole message's ideas for the message's first answer.
    found = evidence(fused, whole_plan, all_matched=False, long=True, lists=lists)
    return Outcome(hits=hits, confident=is_confident(found), evidence=found)


# --- snippets -------------------------------------------------------------------------

def best_sentences(sentences: tuple[tuple[str, frozenset[str]], ...], wanted: set[str],
                   limit: int = SNIPPET_CHARS) -> str:
    """The sentence with most query words and those after it, at most `limit` characters."""
    if not sentences:
        return ""
    best = max(range(len(sentences)), key=lambda i: (len(wanted & sentences[i][1]), -i))
    text = sentences[best][0]
    for extra, _ in sentences[best + 1:]:
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
