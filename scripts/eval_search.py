"""Relevance of our search against Material's own (lunr) on a set of queries.

Usage: python -m scripts.eval_search QUERIES.jsonl [QUERIES.jsonl ...] [--details] [--json]

QUERIES.jsonl holds one JSON object per line: "query", "expected" (article paths such
as "royalties/mechanical"), "style" (keyword / question / essay) and, optionally,
"anchors" (the questions that answer it, as "page#anchor"). Each query runs through
the real search code over the built index, and through lunr (the Python port of the
engine Material's site search uses) over site/search/search_index.json, configured as
Material configures it. Prints, overall, per style and for long messages (more than
messages.SHORT_WORDS words):

- S@1, S@3: an expected article first / among the first three distinct articles;
- MRR over the first ten distinct articles;
- exact: the first result's question is one of the labelled anchors (rows with anchors);
- calibration of `confident`: precision (the first article is right when confident)
  and recall (the share of right first articles that were flagged confident).

Query files are passed by argument; the project never needs them to run or to test.
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

from whoosh.index import Index

from search_api.engine import messages
from search_api.engine.index import LiveIndex
from search_api.engine.search import find
from search_api.site.html import plain_text
from search_api.settings import Settings

DEPTH = 10  # articles considered for MRR


@dataclass(frozen=True)
class Case:
    query: str
    expected: frozenset[str]
    style: str
    anchors: frozenset[str] = frozenset()

    @property
    def groups(self) -> tuple[str, ...]:
        return ("all", self.style) + (("long",) if messages.is_long(self.query) else ())


@dataclass(frozen=True)
class Result:
    """What one engine returned for a query: questions as 'page#anchor', and its flag."""

    locations: list[str]
    confident: bool | None = None  # None: the engine has no such flag (lunr)


def load_cases(path: Path) -> list[Case]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            cases.append(Case(
                row["query"], frozenset(article_path(p) for p in row["expected"]), row.get("style", "other"),
                frozenset(location(a) for a in row.get("anchors") or ()),
            ))
        except (ValueError, KeyError) as error:
            raise SystemExit(f"{path}:{number}: not a query line ({error})")
    return cases


def article_path(page: str) -> str:
    """'royalties/' and 'royalties/index' are the same article (docs/royalties/index.md)."""
    path = page.strip("/")
    return path.removesuffix("/index") if path != "index" else ""


def location(page_anchor: str) -> str:
    page, _, anchor = page_anchor.partition("#")
    return f"{article_path(page)}#{anchor}" if anchor else article_path(page)


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

    def search(self, query: str) -> Result:
        text = self.transform(query)
        terms = [t for t in self.separator.split(text) if t]
        if not terms:
            return Result([])
        try:
            results = self.index.search(" ".join(terms))
        except BaseLunrException:
            return Result([])
        scored = []
        for result in results:
            matched = {t for data in result["match_data"].metadata.keys() for t in [data]}
            coverage = len(matched) / max(len(set(terms)), 1)
            weight = (0 if self.parent[result["ref"]] else 1) + coverage
            scored.append((result["score"] * (1 + weight ** 2), result["ref"]))
        scored.sort(key=lambda pair: -pair[0])
        return Result([location(ref) for _, ref in scored])


@dataclass
class Scores:
    n: int = 0
    s1: int = 0
    s3: int = 0
    rr: float = 0.0
    labelled: int = 0  # rows with anchors
    exact: int = 0
    flagged: int = 0  # confident
    flagged_right: int = 0  # confident and the first article right
    has_flag: bool = False

    def add(self, case: Case, result: Result) -> None:
        articles = distinct_articles([loc.partition("#")[0] for loc in result.locations])
        rank = next((i + 1 for i, a in enumerate(articles) if a in case.expected), None)
        self.n += 1
        self.s1 += rank == 1
        self.s3 += rank is not None and rank <= 3
        self.rr += 1 / rank if rank else 0.0
        if case.anchors:
            self.labelled += 1
            self.exact += bool(result.locations) and result.locations[0] in case.anchors
        if result.confident is not None:
            self.has_flag = True
            self.flagged += result.confident
            self.flagged_right += result.confident and rank == 1

    def row(self) -> dict[str, float | int | None]:
        def share(a: float, b: int) -> float | None:
            return a / b if b else None
        return {
            "n": self.n, "S@1": share(self.s1, self.n), "S@3": share(self.s3, self.n),
            "MRR": share(self.rr, self.n), "exact": share(self.exact, self.labelled),
            "conf_precision": share(self.flagged_right, self.flagged) if self.has_flag else None,
            "conf_recall": share(self.flagged_right, self.s1) if self.has_flag else None,
            "flagged": self.flagged if self.has_flag else None,
        }


def measure(cases: list[Case], engine: Callable[[str], Result]
            ) -> tuple[dict[str, dict[str, float | int | None]], list[float], list[Result]]:
    groups: dict[str, Scores] = defaultdict(Scores)
    timings: list[float] = []
    results: list[Result] = []
    for case in cases:
        started = time.perf_counter()
        result = engine(case.query)
        timings.append((time.perf_counter() - started) * 1000)
        results.append(result)
        for group in case.groups:
            groups[group].add(case, result)
    return {g: s.row() for g, s in groups.items()}, timings, results


def _cell(value: float | int | None, width: int) -> str:
    return f"{'—':>{width}}" if value is None else f"{value:>{width}.3f}"


def print_table(title: str, ours: dict, base: dict) -> None:
    print(title)
    print(f"{'group':<10}{'n':>4}  {'ours S@1':>9}{'S@3':>7}{'MRR':>7}{'exact':>7}{'cPrec':>7}{'cRec':>7}"
          f"   {'lunr S@1':>9}{'S@3':>7}{'MRR':>7}{'exact':>7}")
    order = ["all", "keyword", "question", "essay", "long"]
    groups = [g for g in order if g in ours] + sorted(g for g in ours if g not in order)
    for group in groups:
        o, b = ours[group], base[group]
        print(f"{group:<10}{o['n']:>4}  " + "".join(_cell(o[k], 9 if k == "S@1" else 7)
                                              for k in ("S@1", "S@3", "MRR", "exact", "conf_precision", "conf_recall"))
              + "   " + "".join(_cell(b[k], 9 if k == "S@1" else 7) for k in ("S@1", "S@3", "MRR", "exact")))


def our_search(ix: Index) -> Callable[[str], Result]:
    """Our engine as the eval sees it: the questions found, and the `confident` flag."""
    def search(query: str) -> Result:
        outcome = find(ix, query, limit=DEPTH * 3)
        return Result([f"{article_path(h.page)}#{h.anchor}" for h in outcome.hits], outcome.confident)
    return search


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("queries", type=Path, nargs="+", help="JSON Lines file(s) of queries")
    parser.add_argument("--details", action="store_true", help="list every query that misses at 3 or is flagged wrongly")
    parser.add_argument("--json", action="store_true", help="print the tables as one JSON object instead")
    args = parser.parse_args(argv)
    settings = Settings()
    live = LiveIndex(settings.index_dir)
    ix, _ = live.get()

    ours = our_search(ix)
    baseline = MaterialBaseline(settings.site_dir)
    report = {}
    for path in args.queries:
        cases = load_cases(path)
        our_table, our_ms, our_results = measure(cases, ours)
        base_table, base_ms, _ = measure(cases, baseline.search)
        report[str(path)] = {"ours": our_table, "lunr": base_table,
                             "median_ms": {"ours": statistics.median(our_ms), "lunr": statistics.median(base_ms)}}
        if args.json:
            continue
        print_table(f"{len(cases)} queries from {path}", our_table, base_table)
        print(f"median time per query: ours {statistics.median(our_ms):.1f} ms, lunr {statistics.median(base_ms):.1f} ms"
              "  (exact: first question is a labelled anchor; cPrec/cRec: precision/recall of `confident`)\n")
        if args.details:
            for case, result in zip(cases, our_results):
                articles = distinct_articles([loc.partition("#")[0] for loc in result.locations])
                right = bool(articles) and articles[0] in case.expected
                if not case.expected & set(articles[:3]) or result.confident != right:
                    print(f"{'MISS' if not case.expected & set(articles[:3]) else 'FLAG'} [{case.style}] "
                          f"confident={result.confident} {case.query[:100]!r}\n"
                          f"     expected {sorted(case.anchors or case.expected)}\n     got {result.locations[:3]}")
    if args.json:
        print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
