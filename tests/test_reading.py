"""How search reads people: long messages as a whole, complaints, repeated questions."""

from __future__ import annotations

import pytest
from whoosh.index import Index

from search_api.engine import messages
from search_api.engine.index import LiveIndex
from search_api.engine.search import find

from .conftest import Built


@pytest.fixture(scope="module")
def ix(built: Built) -> Index:
    return LiveIndex(built.settings.index_dir).get()[0]


EP_MESSAGE = ("Hi, my EP has been on Metro FM but SAMRO hasn't paid me anything. Do I need to register "
              "the songs first? Also my producer says he owns half the song, is that true?")


def test_a_complaint_in_a_message_is_a_question_of_its_own() -> None:
    found = [q.text for q in messages.questions(EP_MESSAGE)]
    assert found[0].startswith("my EP has been on Metro FM but SAMRO hasn't paid me")
    assert len(found) == 3


@pytest.mark.parametrize("sentence", [
    "nothing came through after I changed banks", "my label never paid me",
    "someone uploaded my song without permission", "I still haven't received my royalties",
])
def test_complaints_count_as_asking(sentence: str) -> None:
    assert messages.asks(sentence)


def test_a_statement_that_complains_of_nothing_is_not_a_question() -> None:
    assert not messages.asks("My EP came out in March on all the platforms")


def test_a_question_pasted_many_times_is_one_question() -> None:
    pasted = "When will I get paid for my songs on the radio? " * 150
    assert len(pasted) > 7000
    assert len(messages.questions(pasted)) == 1


def test_the_story_around_the_questions_counts(ix: Index) -> None:
    # Only the story says the creator has died; the question itself is about "his money".
    story = ("Good day. My uncle wrote many songs for a gospel choir in the nineties and recorded two albums "
             "with them. He died in March and my aunt is the executor of his estate. Nobody has told us "
             "anything. What must we do about the money?")
    pages = [h.page for h in find(ix, story, limit=3).hits]
    assert "getting-paid/after-death/" in pages


# --- confident, from evidence ------------------------------------------------------------------

@pytest.mark.parametrize("text", ["what is needletime", "how do i change my bank details", EP_MESSAGE])
def test_confident_does_not_depend_on_how_many_results_were_asked_for(ix: Index, text: str) -> None:
    assert find(ix, text, limit=1).confident == find(ix, text, limit=10).confident


def test_a_clear_question_with_its_answer_is_confident(ix: Index) -> None:
    outcome = find(ix, "what is needletime")
    assert outcome.confident and outcome.evidence is not None
    assert outcome.evidence.as_dict()["coverage"] == 1.0


@pytest.mark.parametrize("text", ["how do I cancel my gym membership", "can you fix my laptop screen"])
def test_one_shared_word_is_never_confident_however_the_ranking_agrees(ix: Index, text: str) -> None:
    outcome = find(ix, text)
    assert outcome.hits and outcome.evidence is not None
    assert outcome.evidence.as_dict()["same_page"] >= 0.5  # the model alone would be tempted
    assert not outcome.confident


# --- search as you type ----------------------------------------------------------------------

def test_the_last_word_is_a_prefix_while_typing_over_http(client) -> None:
    body = client.get("/api/search", params={"q": "copyr", "prefix": "true"}).json()
    assert body["suggestion"] is None  # not "cover"
    assert "copyright" in body["results"][0]["question"].lower()
    typed = client.get("/api/search", params={"q": "when do i get pai", "prefix": "true"}).json()
    assert typed["results"] and "paid" in typed["results"][0]["question"].lower()


def test_without_prefix_a_half_word_is_not_completed(ix: Index) -> None:
    assert not any("copyright" in h.question.lower() for h in find(ix, "copyr").hits[:1])


def test_typos_before_the_last_word_are_still_corrected_while_typing(ix: Index) -> None:
    assert find(ix, "mechnical roy", prefix=True).suggestion == "mechanical royalties"
