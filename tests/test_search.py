"""Search that understands creators: vocabulary, typos, long messages, ranking."""

from __future__ import annotations

import httpx
import pytest
from whoosh.index import Index

from search_api.engine import messages
from search_api.engine.index import LiveIndex
from search_api.engine.analysis import stems
from search_api.engine.search import answer_questions, find
from search_api.engine.vocabulary import VocabularyError, load, parse

from .conftest import Built


@pytest.fixture(scope="module")
def ix(built: Built) -> Index:
    return LiveIndex(built.settings.index_dir).get()[0]


# --- vocabulary -----------------------------------------------------------------------

def test_vocabulary_file_parses_and_joins_creators_words() -> None:
    vocab = load()
    concepts = vocab.concepts(stems("needle time from my PRO"))
    assert concepts[0].typed == tuple(stems("needle time"))
    assert tuple(stems("neighbouring rights")) in concepts[0].alternatives
    assert tuple(stems("collecting society")) in concepts[1].alternatives


def test_vocabulary_errors_name_the_line() -> None:
    with pytest.raises(VocabularyError, match=r"vocabulary.txt:3: a group needs at least two words"):
        parse("# comment\n\nlonely\n")
    with pytest.raises(VocabularyError, match=r":1: 'the' is only common words"):
        parse("the, royalty\n")


def test_a_bad_vocabulary_line_stops_the_build_and_keeps_the_live_index(
    built: Built, tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from scripts import build_index as script
    from search_api.engine import index as index_module
    from search_api.engine.index import current_target

    bad = tmp_path / "vocabulary.txt"
    bad.write_text("royalty, royalties\nlonely\n", encoding="utf-8")
    monkeypatch.setattr(index_module, "VOCABULARY_FILE", bad)
    monkeypatch.setenv("SITE_DIR", str(built.site_dir))
    monkeypatch.setenv("INDEX_DIR", str(built.settings.index_dir))
    before = current_target(built.settings.index_dir)
    assert script.main(["--no-site"]) == 1
    assert f"{bad}:2: a group needs at least two words" in capsys.readouterr().err
    assert current_target(built.settings.index_dir) == before


def test_a_synonym_finds_the_page_that_uses_the_other_word(ix: Index) -> None:
    # Nobody writes "pay-out" in the articles; creators do.
    pages = [h.page for h in find(ix, "needle time pay-out", limit=3).hits]
    assert "royalties/needletime/" in pages


# --- typos ----------------------------------------------------------------------------

def test_a_misspelling_is_corrected_and_said(ix: Index) -> None:
    outcome = find(ix, "mechnical royalty")
    assert outcome.suggestion == "mechanical royalty"
    assert outcome.hits[0].page == "royalties/mechanical/"


def test_a_known_word_is_never_corrected(ix: Index) -> None:
    assert find(ix, "needletime split").suggestion is None
    assert find(ix, "royalites").suggestion is None  # creators' spelling, in the tags on purpose


# --- ranking --------------------------------------------------------------------------

def test_adding_words_narrows_to_questions_with_all_of_them(ix: Index) -> None:
    broad = find(ix, "tax", limit=3).hits
    narrow = find(ix, "tax foreign", limit=3).hits
    assert broad[0].question != narrow[0].question
    assert narrow[0].page in ("royalties/foreign/", "getting-paid/tax/")
    assert narrow[0].coverage == 1.0  # both words in its heading, tags or answer


def test_nonsense_is_not_confident_but_still_answered_when_near(ix: Index) -> None:
    assert not find(ix, "zxqv blorp").confident
    outcome = find(ix, "zxqv blorp royalties")
    assert outcome.hits  # a near answer exists, so it is listed


# --- long messages --------------------------------------------------------------------

ESSAY = (
    "Good morning team, hope you are well. I'm really stressed. I changed banks in August and sent the new "
    "account details by e-mail, but nobody replied and the December payment never came. Why haven't I been "
    "paid? Also, my late father was a songwriter and my mother wants to know how his royalties can be paid "
    "to the family now. Thanks, Thandi"
)


def test_greetings_and_sign_offs_are_dropped() -> None:
    found = messages.questions(ESSAY)
    texts = " ".join(q.text for q in found)
    assert "Good morning" not in texts and "Thanks" not in texts
    assert any("paid?" in q.text for q in found)
    assert len(found) == 2


def test_a_short_message_is_one_question() -> None:
    assert [q.text for q in messages.questions("hi, when do I get paid?")] == ["when do I get paid?"]


def test_each_question_of_an_essay_finds_its_own_answer(ix: Index) -> None:
    results, _ = answer_questions(ix, ESSAY, limit=3)
    assert len(results) == 2
    first = {h.page for h in results[0].outcome.hits}
    second = {h.page for h in results[1].outcome.hits}
    assert first & {"getting-paid/missing-payment/", "getting-paid/bank-details/"}
    assert "getting-paid/after-death/" in second


def test_an_essay_finds_both_answers_in_one_list(ix: Index) -> None:
    pages = [h.page for h in find(ix, ESSAY, limit=6).hits]
    assert "getting-paid/after-death/" in pages
    assert {"getting-paid/missing-payment/", "getting-paid/bank-details/"} & set(pages)


# --- over HTTP ------------------------------------------------------------------------

def test_api_reports_the_correction(client: httpx.Client) -> None:
    body = client.get("/api/search", params={"q": "mechnical royalty"}).json()
    assert body["suggestion"] == "mechanical royalty"
    assert body["results"][0]["page"] == "royalties/mechanical/"


def test_api_says_when_it_is_not_confident(client: httpx.Client) -> None:
    assert client.get("/api/search", params={"q": "who collects mechanical royalties"}).json()["confident"]
    assert not client.get("/api/search", params={"q": "zxqv blorp"}).json()["confident"]


def test_api_handles_a_pasted_essay(client: httpx.Client) -> None:
    body = client.get("/api/search", params={"q": ESSAY, "limit": 6}).json()
    assert "getting-paid/after-death/" in [r["page"] for r in body["results"]]


def test_api_finds_a_synonym(client: httpx.Client) -> None:
    body = client.get("/api/search", params={"q": "ISWC work code", "limit": 3}).json()
    assert body["results"][0]["page"] == "registering/identifiers/"


def test_everyday_words_are_never_corrected_into_topic_words(ix: Index) -> None:
    # Corrections land only on titles, tags and the vocabulary, never on body words.
    for text in ("purple elephant spaceship", "what is the weather in Durban tomorrow", "carrot cake recipe"):
        outcome = find(ix, text)
        assert outcome.suggestion is None, (text, outcome.suggestion)
        assert not outcome.confident, text


def test_transposed_letters_are_corrected(ix: Index) -> None:
    outcome = find(ix, "my songg on radoi")
    assert outcome.suggestion == "my song on radio"
    assert outcome.hits[0].page == "royalties/performance/"


# --- real words and definitions ---------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Does the new copyright bill mean I get a share when my song is resold?",
    "alert",
    "can I get an alert when my song is played",
])
def test_a_real_english_word_is_never_corrected(ix: Index, text: str) -> None:
    assert find(ix, text).suggestion is None


def test_a_misspelling_that_is_no_english_word_is_still_corrected(ix: Index) -> None:
    assert find(ix, "mechnical royalty").suggestion == "mechanical royalty"


@pytest.mark.parametrize(("text", "anchor"), [
    ("what is needletime", "what-is-needletime"),
    ("whats a split sheet", "what-is-a-split-sheet"),
    ("what is an advance?", "what-is-an-advance"),
])
def test_a_definition_question_gets_the_definition_first(ix: Index, text: str, anchor: str) -> None:
    assert find(ix, text).hits[0].anchor == anchor


def test_a_glossary_term_answers_what_it_means(ix: Index) -> None:
    top = find(ix, "ISRC meaning").hits[0]
    assert (top.page, top.anchor) == ("start-here/glossary/", "isrc")


def test_the_result_cache_forgets_the_least_recently_used_entry_not_everything() -> None:
    from search_api.engine.corpus import BoundedLRU

    cache: BoundedLRU[str, int] = BoundedLRU(3)
    for key, value in (("a", 1), ("b", 2), ("c", 3)):
        cache[key] = value
    assert cache.get("a") == 1  # "a" is now the most recently used
    cache["d"] = 4
    assert (cache.get("a"), cache.get("b"), cache.get("c"), cache.get("d")) == (1, None, 3, 4)
    assert len(cache) == 3


def test_every_indexed_text_field_is_one_the_search_reads(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    # An indexed field nobody searches costs postings on disk and in every build: the
    # five shown-only fields (title, answer, body, tags, description) are stored only.
    from whoosh import index as whoosh_index
    from whoosh.fields import ID

    from search_api.engine.corpus import Corpus
    from search_api.engine.index import current_target

    read: set[str] = set()
    postings = Corpus.postings
    monkeypatch.setattr(Corpus, "postings", lambda self, name, term: read.add(name) or postings(self, name, term))
    ix = whoosh_index.open_dir(str(current_target(built.settings.index_dir)))  # its own corpus, nothing cached
    questions = [s.question for p in built.pages for s in p.sections]
    for q in questions + [" ".join(questions[i:i + 6]) for i in range(0, len(questions), 6)] + ["royalites"]:
        find(ix, q)
    indexed = {name for name, kind in ix.schema.items() if kind.indexed and not isinstance(kind, ID)}
    # ID fields (doc_id, kind, page) are looked up by value, never ranked.
    assert indexed == read, f"indexed but never searched: {sorted(indexed - read)}"
