"""Relevance floor on our own creator queries (written blind to the search code).

A regression guard, not a target to tune to: the numbers are printed by
`python -m scripts.eval_search tests/data/creator-queries.jsonl`.
"""

from __future__ import annotations

from pathlib import Path

from scripts.eval_search import load_cases, measure, our_search
from search_api.engine.index import LiveIndex

from .conftest import Built

QUERIES = Path(__file__).parent / "data" / "creator-queries.jsonl"


def test_search_finds_the_right_article_for_creators_questions(built: Built) -> None:
    ix, _ = LiveIndex(built.settings.index_dir).get()
    cases = load_cases(QUERIES)
    assert len(cases) >= 80
    table, _, _ = measure(cases, our_search(ix))
    assert table["all"]["S@3"] >= 0.90, table["all"]
    assert table["all"]["MRR"] >= 0.80, table["all"]
    assert table["essay"]["S@3"] >= 0.85, table["essay"]
