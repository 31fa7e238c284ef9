"""The loaded index as numbers in memory, for ranking in a millisecond or two.

Whoosh stores and reads the index; here we keep what ranking needs (postings with
positions, field lengths, stored fields) in dictionaries, filled on first use, and
score with BM25F ourselves. Whoosh's own matchers cost 5 to 50 ms for the unions of
synonyms and fields a creator's question turns into; the same arithmetic over a few
hundred sections in plain dictionaries costs well under one.
"""

from __future__ import annotations

import math
import re
import threading
import weakref
from collections import OrderedDict
from typing import Generic, TypeVar
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from whoosh.index import Index
from whoosh.reading import IndexReader, TermNotFound

from search_api.engine.analysis import is_stop, stems
from search_api.engine.vocabulary import VOCABULARY_FILE, Vocabulary, load

MEMO_ENTRIES = 20_000
RESULT_ENTRIES = 5_000
T = TypeVar("T")
_MISSING = object()
K = TypeVar("K")
V = TypeVar("V")


class BoundedLRU(Generic[K, V]):
    """A dict that forgets its least recently used entry past `size`; safe across threads.

    Unlike clearing when full, a busy server keeps its most asked questions warm.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, default: V | None = None) -> V | None:
        with self._lock:
            found = self._entries.get(key, _MISSING)
            if found is _MISSING:
                return default
            self._entries.move_to_end(key)
            return found  # type: ignore[return-value]

    def __setitem__(self, key: K, value: V) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
K1 = 1.2
B = 0.75
SCORED_FIELDS = ("question", "asked", "about", "text", "ideas_head", "ideas_text", "ideas_asked")
STRONG_FIELDS = ("question", "asked", "tags", "title", "answer", "description")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_DEFINITION_HEADING = re.compile(r"^\s*what\s+(?:is|are)\s+(?!the difference\b)|\bmean\?\s*$", re.I)


@dataclass(frozen=True)
class Derived:
    """What snippets and confidence need of a section, analysed once."""

    strong: frozenset[str]  # stems of the heading, tags, title, answer and description
    sentences: tuple[tuple[str, frozenset[str]], ...]  # body sentences with their stems


@dataclass(frozen=True)
class Heading:
    """A question heading as ranking compares it with a query."""

    stems: frozenset[str]
    defines: bool  # "What is needletime?", or a glossary term ("Needletime", no "?")


@dataclass(frozen=True)
class Posting:
    freq: int
    positions: tuple[int, ...]


class Corpus:
    """Postings, lengths and stored fields of one index build."""

    def __init__(self, ix: Index) -> None:
        self._lock = threading.Lock()  # Whoosh's file reads are not safe across threads
        folder = getattr(ix.storage, "folder", None)
        built_with = Path(folder) / VOCABULARY_FILE.name if folder else None
        self.vocabulary: Vocabulary = load(built_with if built_with and built_with.is_file() else VOCABULARY_FILE)
        self._reader: IndexReader = ix.reader()
        reader = self._reader
        self.size = reader.doc_count_all()
        self.kind: list[str] = []
        self.page: list[str] = []
        self._stored: list[dict] = []
        for docnum in range(self.size):
            fields = reader.stored_fields(docnum)
            self._stored.append(fields)
            self.kind.append(fields.get("kind", ""))
            self.page.append(fields.get("page", ""))
        self.questions = [d for d in range(self.size) if self.kind[d] == "question"]
        self.articles = [d for d in range(self.size) if self.kind[d] == "article"]
        self.length: dict[str, list[int]] = {}
        self.average: dict[str, float] = {}
        for name in SCORED_FIELDS:
            lengths = [reader.doc_field_length(d, name, 0) or 0 for d in range(self.size)]
            self.length[name] = lengths
            self.average[name] = (sum(lengths) / len(lengths)) if lengths else 1.0
        self._postings: dict[tuple[str, str], dict[int, Posting]] = {}
        self._derived: dict[int, Derived] = {}
        self._headings: dict[int, Heading] = {}
        self._completions: dict[str, object] = {}
        # Scores of concepts already seen (see search.concept_scores), bounded.
        self.memo: BoundedLRU[tuple, dict[int, float]] = BoundedLRU(MEMO_ENTRIES)
        self._results: BoundedLRU[tuple, object] = BoundedLRU(RESULT_ENTRIES)

    def cached(self, key: tuple, compute: Callable[[], T]) -> T:
        """A whole search result, computed once per build; bounded like `memo`."""
        found = self._results.get(key, _MISSING)
        if found is _MISSING:
            found = self._results[key] = compute()
        return found  # type: ignore[return-value]

    def remember(self, key: tuple, scores: dict[int, float]) -> dict[int, float]:
        self.memo[key] = scores
        return scores

    def stored(self, docnum: int) -> dict:
        return self._stored[docnum]

    def derived(self, docnum: int) -> Derived:
        found = self._derived.get(docnum)
        if found is None:
            fields = self._stored[docnum]
            strong = frozenset(stems(" ".join(str(fields.get(f, "")) for f in STRONG_FIELDS)))
            body = str(fields.get("body", ""))
            sentences = tuple((s, frozenset(stems(s))) for s in _SENTENCE.split(body) if s)
            found = self._derived[docnum] = Derived(strong, sentences)
        return found

    def heading(self, docnum: int) -> Heading:
        found = self._headings.get(docnum)
        if found is None:
            question = str(self._stored[docnum].get("question", "")).strip()
            defines = bool(_DEFINITION_HEADING.search(question)) or (bool(question) and not question.endswith("?"))
            found = self._headings[docnum] = Heading(frozenset(stems(question)), defines)
        return found

    def completion(self, prefix: str) -> str | None:
        """The topic word (titles, tags, vocabulary) beginning with `prefix` that most
        sections use; None when no topic word begins so."""
        found = self._completions.get(prefix, _MISSING)
        if found is _MISSING:
            with self._lock:
                words = [w.decode("utf-8") if isinstance(w, bytes) else w
                         for w in self._reader.expand_prefix("spell", prefix)]
            words = [w for w in words if w != prefix and w.isalpha() and not is_stop(w)][:200]
            found = max(words, key=lambda w: (self.df("spell", w), -len(w)), default=None)
            if len(self._completions) > 10_000:
                self._completions.clear()
            self._completions[prefix] = found
        return found  # type: ignore[return-value]

    def postings(self, name: str, term: str) -> dict[int, Posting]:
        key = (name, term)
        found = self._postings.get(key)
        if found is not None:
            return found
        with self._lock:
            found = {}
            try:
                matcher = self._reader.postings(name, term)
            except TermNotFound:
                matcher = None
            if matcher is not None:
                with_positions = matcher.supports("positions")
                while matcher.is_active():
                    positions = tuple(matcher.value_as("positions")) if with_positions else ()
                    found[matcher.id()] = Posting(int(matcher.weight()), positions)
                    matcher.next()
            self._postings[key] = found
            return found

    def df(self, name: str, term: str) -> int:
        return len(self.postings(name, term))

    def idf(self, df: int) -> float:
        # Whoosh's own idf, so scores stay comparable with what it would give.
        return math.log(self.size / (df + 1)) + 1

    def bm25(self, name: str, docnum: int, freq: float, idf: float) -> float:
        length = self.length[name][docnum] or 1
        norm = (1 - B) + B * length / (self.average[name] or 1)
        return idf * (freq * (K1 + 1)) / (freq + K1 * norm)


_CORPORA: "weakref.WeakKeyDictionary[Index, Corpus]" = weakref.WeakKeyDictionary()
_CORPORA_LOCK = threading.Lock()


def corpus_for(ix: Index) -> Corpus:
    """The corpus of a loaded index, built once; it goes when the index object goes."""
    found = _CORPORA.get(ix)
    if found is None:
        with _CORPORA_LOCK:
            found = _CORPORA.get(ix)
            if found is None:
                found = _CORPORA[ix] = Corpus(ix)
    return found
