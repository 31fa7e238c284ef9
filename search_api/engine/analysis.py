"""How text becomes search terms: one analyzer for the index and for queries."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import wordfreq

from whoosh.analysis import Analyzer, CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.analysis.acore import Token
from whoosh.analysis.filters import STOP_WORDS
from whoosh.support.charset import accent_map

# Function words and chat filler carry no topic. Particles stay ("take down", "sign up",
# "pay out", "opt out"): they change what the verb means. Kept out of the index and of queries.
# Question words (how, why, when) go too: the heading "How do I join?" is about joining.
EXTRA_STOP_WORDS = frozenset("""
    i im i'm me my mine myself we our ours you your yours he him his she her hers they them
    their theirs its it's what whats which who whom whose why how where when whenever
    do does did doing done am is are was were be been being has have had having get got
    gets getting would should could can cant cannot might must shall will wont
    there here then than so just also even only very really actually like rn pls plz please
    whether still already ever always anyway maybe perhaps basically literally kinda
    thanks thank thx hi hello hey dear morning afternoon evening good day yoh eish
    about above after again against all any both each few more most other some such
    no nor own same too into through during before below under once
    t s m d ll re ve don doesn didn isn wasn aren weren haven hasn hadn won wouldn
    shouldn couldn u ur r ya yeah ok okay anyone someone something anything
    one thing things way know want need tell explain help question ask asking
    guys team sir madam
""".split())
STOP = frozenset(STOP_WORDS) | EXTRA_STOP_WORDS

_TOKEN = r"\w+(?:\.\w+)*"

NEGATIONS = frozenset({"not", "never", "no", "t", "nothing", "without", "yet"})
MONEY_WORDS = frozenset({"paid", "pay", "payment", "payments", "money", "royalties", "royalty", "cent", "cents"})


class NegatedPaymentFilter(Filter):
    """Adds "unpaid" where a negation comes shortly before a payment word.

    "Why haven't I been paid?", "never got my money" and "no payment this time" all
    mean the same thing, but stop words would leave only "paid". The extra token keeps
    the meaning for the index and the query alike.
    """

    WINDOW = 4

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        since_negation = self.WINDOW + 1
        for token in tokens:
            if token.text in NEGATIONS:
                since_negation = 0
            else:
                since_negation += 1
            if token.text in MONEY_WORDS and since_negation <= self.WINDOW:
                extra = token.copy()
                yield token
                extra.text = "unpaid"
                yield extra
                since_negation = self.WINDOW + 1
                continue
            yield token


def make_analyzer() -> Analyzer:
    """Words -> lower case, accents folded, stop words dropped, stemmed."""
    return (RegexTokenizer(_TOKEN) | LowercaseFilter() | CharsetFilter(accent_map) | NegatedPaymentFilter()
            | StopFilter(stoplist=STOP, minsize=1) | StemFilter(cachesize=50000))


def make_plain_analyzer() -> Analyzer:
    """Words as written (lower case, accents folded): for the spelling dictionary."""
    return RegexTokenizer(_TOKEN) | LowercaseFilter() | CharsetFilter(accent_map)


ANALYZER = make_analyzer()
PLAIN = make_plain_analyzer()


def stems(text: str) -> list[str]:
    """Stemmed content words of `text`, in order (repeats kept)."""
    return list(_stems(text))


@lru_cache(maxsize=4096)
def _stems(text: str) -> tuple[str, ...]:
    # A pasted message's sentences are analysed several times on the way (filler,
    # questions, the whole message); the analyzer is the slow part.
    return tuple(token.text for token in ANALYZER(text))


def words(text: str) -> list[str]:
    """Lower-case words of `text` as written, stop words included."""
    return [token.text for token in PLAIN(text)]


def is_stop(word: str) -> bool:
    return word in STOP


_NUMBERISH = re.compile(r"^\d")


def is_numberish(word: str) -> bool:
    return bool(_NUMBERISH.match(word))


# A word at least this common in wordfreq's English (Zipf scale: 3 is about once per
# million words, 2 about once per ten million) is a real word, never a typo to correct.
# Below it are mostly misspellings ("royalites" 0, "registred" 1.1, "copywrite" 1.4).
ENGLISH_ZIPF = 2.0


@lru_cache(maxsize=20_000)
def is_english(word: str) -> bool:
    """Whether `word` is a real English word, by the word list wordfreq ships (offline)."""
    return wordfreq.zipf_frequency(word, "en", wordlist="best") >= ENGLISH_ZIPF
