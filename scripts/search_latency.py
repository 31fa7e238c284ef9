"""How long search takes for a pasted message whose result is not cached.

Usage: python -m scripts.search_latency QUERIES.jsonl [QUERIES.jsonl ...] [--all]

Runs each long message (more than messages.SHORT_WORDS words; --all: every query) of the
files through `find` as the API does (limit 5) over the built index, each on a result
cache of its own, and prints p50, p90 and the slowest: first with the concept scores
other searches have already warmed (a running server), then with every cache cold.
Prints numbers; never fails on them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from search_api.engine import messages
from search_api.engine.corpus import BoundedLRU, MEMO_ENTRIES, RESULT_ENTRIES, corpus_for
from search_api.engine.index import LiveIndex
from search_api.engine.search import find
from search_api.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("queries", type=Path, nargs="+")
    parser.add_argument("--all", action="store_true", help="every query, not only long messages")
    args = parser.parse_args(argv)
    ix, _ = LiveIndex(Settings().index_dir).get()
    corpus = corpus_for(ix)
    texts = [json.loads(line)["query"] for path in args.queries
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [t for t in texts if args.all or messages.is_long(t)]
    for t in texts:  # warm the concept scores, as other traffic would
        find(ix, t)
    for label, cold in (("warm concept scores", False), ("everything cold", True)):
        timings = []
        for text in texts:
            corpus._results = BoundedLRU(RESULT_ENTRIES)  # this result is not cached
            if cold:
                corpus.memo = BoundedLRU(MEMO_ENTRIES)
            started = time.perf_counter()
            find(ix, text, limit=5)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        print(f"{len(timings)} messages, {label}: p50 {statistics.median(timings):.1f} ms, "
              f"p90 {timings[int(0.9 * (len(timings) - 1))]:.1f} ms, slowest {timings[-1]:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
