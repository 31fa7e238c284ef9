"""Relevance of our search against Material's own (lunr) on a set of queries.

Usage: python -m scripts.eval_search QUERIES.jsonl [--details]

QUERIES.jsonl holds one JSON object per line: "query", "expected" (article paths such
as "royalties/mechanical") and "style" (keyword / question / essay). Each query runs
through the real search code over the built index, and through lunr (the Python port
of the engine Material's site search uses) over site/search/search_index.json,
configured as Material configures it. Prints Success@1, Success@3 (an expected
article among the first three distinct articles) and MRR, overall and per style.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lunr.builder import Builder
from lunr.exceptions import BaseLunrException
from lunr.stop_word_filter import stop_word_filter

from search_api.engine.index import LiveIndex
from search_api.engine.search import find
from search_api.site.sections import plain_text
from search_api.settings import Settings

DEPTH = 10  # articles considered for MRR


@dataclass(frozen=True)
class Case:
    query: str
    expected: frozenset[str]
    style: str


def load_cases(path: Path) -> list[Case]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            cases.append(Case(row["query"], frozenset(article_path(p) for p in row["expected"]), row.get("style", "other")))
        except (ValueError, KeyError) as error:
            raise SystemExit(f"{path}:{number}: not a query line ({error})")
    return cases


def article_path(page: str) -> str:
    """'royalties/' and 'royalties/index' are the same article (docs/royalties/index.md)."""
    path = page.strip("/")
    return path.removesuffix("/index") if path != "index" else ""


def distinct_articles(pages: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for page in pages:
        seen.setdefault(article_path(page), None)
    return list(seen)[:DEPTH]


class MaterialBaseline:
    """lunr over the built site's search index, as Material's search worker sets it up."""

    def __init__(self, site_dir: Path) -> None:
        data = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
        config = data["config"]
        self.separator = re.compile(config["separator"])
        builder = Builder()
        # Material keeps only the pipeline functions named in its config (here the stop
        # word filter) and removes the trimmer and stemmer from both pipelines.
        if "stopWordFilter" in config["pipeline"]:
            builder.pipeline.add(stop_word_filter)
        builder.ref("location")
        for name, options in config["fields"].items():
            builder.field(name, boost=options.get("boost", 1))
        self.parent: dict[str, bool] = {}
        for doc in data["docs"]:
            builder.add({
                "location": doc["location"],
                "title": plain_text(doc["title"]).lower(),
                "text": plain_text(doc["text"]).lower(),
                # lunr makes each element of a list one token: "radio play" stays whole.
                "tags": [t.lower() for t in doc.get("tags", [])],
            })
            self.parent[doc["location"]] = "#" in doc["location"]
        self.index = builder.build()

    @staticmethod
    def transform(query: str) -> str:
        # Material's default query transform: drop quotes and lone operators.
        query = re.sub(r"\"|(?:^|\s+)[*+\-:^~]+(?=\s+|$)", "", query)
        return re.sub(r"[:^~+\-*]", " ", query).strip().lower()

    def search(self, query: str) -> list[str]:
        text = self.transform(query)
        terms = [t for t in self.separator.split(text) if t]
        if not terms:
            return []
        try:
            results = self.index.search(" ".join(terms))
        except BaseLunrException:
            return []
        scored = []
        for result in results:
            matched = {t for data in result["match_data"].metadata.keys() for t in [data]}
            coverage = len(matched) / max(len(set(terms)), 1)
            weight = (0 if self.parent[result["ref"]] else 1) + coverage
            scored.append((result["score"] * (1 + weight ** 2), result["ref"]))
        scored.sort(key=lambda pair: -pair[0])
        return [ref.partition("#")[0] for _, ref in scored]


def measure(cases: list[Case], engine: Callable[[str], list[str]]) -> tuple[dict[str, dict[str, float]], list[float], list[list[str]]]:
    per_style: dict[str, list[tuple[int, int, float]]] = defaultdict(list)
    timings: list[float] = []
    rankings: list[list[str]] = []
    for case in cases:
        started = time.perf_counter()
        articles = distinct_articles(engine(case.query))
        timings.append((time.perf_counter() - started) * 1000)
        rankings.append(articles)
        rank = next((i + 1 for i, a in enumerate(articles) if a in case.expected), None)
        row = (int(rank == 1), int(rank is not None and rank <= 3), 1 / rank if rank else 0.0)
        per_style[case.style].append(row)
        per_style["all"].append(row)
    table = {
        style: {
            "n": len(rows),
            "S@1": statistics.mean(r[0] for r in rows),
            "S@3": statistics.mean(r[1] for r in rows),
            "MRR": statistics.mean(r[2] for r in rows),
        }
        for style, rows in per_style.items()
    }
    return table, timings, rankings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("queries", type=Path, help="JSON Lines file of queries")
    parser.add_argument("--details", action="store_true", help="list every query that misses at 3")
    args = parser.parse_args(argv)
    settings = Settings()
    cases = load_cases(args.queries)
    live = LiveIndex(settings.index_dir)
    ix, _ = live.get()

    def ours(query: str) -> list[str]:
        return [hit.page for hit in find(ix, query, limit=DEPTH * 3).hits]

    baseline = MaterialBaseline(settings.site_dir)
    our_table, our_ms, our_rankings = measure(cases, ours)
    base_table, base_ms, _ = measure(cases, baseline.search)

    print(f"{len(cases)} queries from {args.queries}")
    print(f"{'style':<10}{'n':>4}  {'ours S@1':>9}{'S@3':>7}{'MRR':>7}   {'lunr S@1':>9}{'S@3':>7}{'MRR':>7}   {'ΔS@3':>6}")
    styles = ["all"] + sorted(s for s in our_table if s != "all")
    for style in styles:
        o, b = our_table[style], base_table[style]
        print(f"{style:<10}{o['n']:>4}  {o['S@1']:>9.3f}{o['S@3']:>7.3f}{o['MRR']:>7.3f}   "
              f"{b['S@1']:>9.3f}{b['S@3']:>7.3f}{b['MRR']:>7.3f}   {100 * (o['S@3'] - b['S@3']):>+6.1f}")
    print(f"median time per query: ours {statistics.median(our_ms):.1f} ms, lunr {statistics.median(base_ms):.1f} ms")
    if args.details:
        for case, articles in zip(cases, our_rankings):
            if not case.expected & set(articles[:3]):
                print(f"MISS [{case.style}] {case.query[:100]!r}\n     expected {sorted(case.expected)} got {articles[:3]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
