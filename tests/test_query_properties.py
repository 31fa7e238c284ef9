"""Property tests: any text at all goes into the query code and only index answers come out."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from whoosh import index as whoosh_index

from search_api.engine.index import current_target
from search_api.engine.search import Outcome, answer_questions, find

from .conftest import Built

# Things a pasted message really contains, besides ordinary words.
SYNTAX = ["AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", '"', "'", "*", "?", "~", "^", ":", "title:", "body:",
          "(", ")", "[", "]", "{", "}", "<", ">", "=", "+", "-", "!", "&&", "||", "\\", "/", "TO", "%", "$"]
SCRIPTS = [
    "royalties", "needletime", "split sheet", "ISWC", "mechanical",
    "роялти", "авторское право",  # Cyrillic
    "حقوق المؤلف",  # Arabic, right to left
    "著作権", "版税",  # CJK
    "रॉयल्टी",  # Devanagari
    "Ngiyabonga", "Ke a leboga",  # isiZulu, Sesotho
    "🎵", "🎶🎤", "👩🏽‍🎤",  # emoji with a skin tone and a zero-width joiner
    "e\u0301", "\u200b", "\u200f", "\u202e", "\ufeff",  # combining accent, zero-width, bidi marks, BOM
]

control_chars = st.text(st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp"]), min_size=1, max_size=50)
long_words = st.text(st.characters(codec="utf-8", categories=["Ll", "Lu", "Lo", "Nd"]), min_size=200, max_size=8000)
syntax_soup = st.lists(st.sampled_from(SYNTAX) | st.sampled_from(SCRIPTS), min_size=1, max_size=80).map(" ".join)
mixed = st.lists(st.sampled_from(SCRIPTS) | st.text(max_size=20), min_size=1, max_size=40).map("".join)
# Hypothesis' own text: any code point but lone surrogates, which no HTTP request can carry.
anything = st.text(max_size=2000)
pasted = st.one_of(anything, control_chars, long_words, syntax_soup, mixed)

PROPERTY_SETTINGS = settings(
    max_examples=500, deadline=None, database=None, suppress_health_check=list(HealthCheck),
    print_blob=True,  # a failure prints the @reproduce_failure line that replays it
)


@pytest.fixture(scope="module")
def ix(built: Built) -> whoosh_index.Index:
    return whoosh_index.open_dir(str(current_target(built.settings.index_dir)))


@pytest.fixture(scope="module")
def questions_in_index(ix: whoosh_index.Index) -> dict[tuple[str, str], dict]:
    with ix.searcher() as searcher:
        return {(d["page"], d["anchor"]): d for d in searcher.all_stored_fields() if d["kind"] == "question"}


def assert_only_index_answers(outcome: Outcome, known: dict[tuple[str, str], dict], limit: int) -> None:
    assert len(outcome.hits) <= limit
    assert len({(h.page, h.anchor) for h in outcome.hits}) == len(outcome.hits), "a question is listed twice"
    for hit in outcome.hits:
        doc = known.get((hit.page, hit.anchor))
        assert doc is not None, f"{hit.page}#{hit.anchor} is not a question in the index"
        assert hit.question == doc["question"] and hit.answer == doc["answer"]
        assert math.isfinite(hit.score)
        assert len(hit.snippet) <= 300
    assert outcome.suggestion is None or isinstance(outcome.suggestion, str)


@PROPERTY_SETTINGS
@given(text=pasted, limit=st.integers(min_value=1, max_value=50))
def test_find_never_raises_and_returns_only_index_questions(
    ix: whoosh_index.Index, questions_in_index: dict, text: str, limit: int,
) -> None:
    assert_only_index_answers(find(ix, text, limit=limit), questions_in_index, limit)


@PROPERTY_SETTINGS
@given(text=pasted)
def test_each_question_of_a_message_gets_only_index_answers(
    ix: whoosh_index.Index, questions_in_index: dict, text: str,
) -> None:
    found, suggestion = answer_questions(ix, text, limit=3)
    assert suggestion is None or isinstance(suggestion, str)
    for question in found:
        assert isinstance(question.text, str)
        assert_only_index_answers(question.outcome, questions_in_index, 3)


@pytest.mark.parametrize("text", ["royalties", "how do I join", "register a song"])
def test_the_properties_are_not_vacuous(ix: whoosh_index.Index, questions_in_index: dict, text: str) -> None:
    # Ordinary questions do find answers, so "no exception" above means something.
    outcome = find(ix, text)
    assert outcome.hits
    assert_only_index_answers(outcome, questions_in_index, 5)


def test_a_message_whose_only_question_is_unknown_words_still_answers(
    ix: whoosh_index.Index, questions_in_index: dict,
) -> None:
    # Found by the property above: the question sentence has no word the index knows,
    # so every concept comes from the context.
    message = ("My royalties from radio and streaming have not been paid by the label this year "
               "and I am worried. ") * 4 + "Zorblax quuxit?"
    assert_only_index_answers(find(ix, message), questions_in_index, 5)
