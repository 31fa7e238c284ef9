"""Print what recording costs: per search, per feedback answer, and per report.

Usage: python -m scripts.bench_feedback [--records N]

Writes into a temporary SQLite file (never FEEDBACK_DB) and prints medians and p95s.
Every /api/search and /api/answer request pays one `add_search`, so its median is what
the record of searches adds to a search. It never asserts: shared machines are noisy.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from search_api.listening.store import Feedback, FeedbackStore, SearchRecord

WORDS = ("royalties late radio needletime split sheet join fee register song youtube money "
         "streaming publisher producer beat sample cover statement tax bank details missing").split()
SHORT = "my royalties are late"
ESSAY = ("Hi there, I'm Thandi and I have been waiting since March for my radio royalties. "
         "My number is 082 123 4567 and my e-mail is thandi@example.org. ") * 10


def timed_us(action: Callable[[], None], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1e6)
    return times


def summary(label: str, times: list[float]) -> str:
    p95 = statistics.quantiles(times, n=20)[-1]
    return f"{label:<42} median {statistics.median(times):8.0f} µs   p95 {p95:8.0f} µs   ({len(times)} runs)"


def fill(store: FeedbackStore, searches: int, answers: int, today: date) -> None:
    rng = random.Random(7)
    for i in range(searches):
        query = " ".join(rng.sample(WORDS, 3))
        store.add_search(SearchRecord("search", query, rng.randint(0, 5), 1.0, rng.random() < 0.7),
                         today=today - timedelta(days=i % 170))
    for i in range(answers):
        helpful = rng.random() < 0.6
        store.add_feedback(Feedback("royalties/mechanical/", f"question-{i % 40}", helpful,
                                    None if helpful else "unclear", None if helpful else f"comment {i}"),
                           today=today - timedelta(days=i % 170))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000, metavar="N", help="writes timed per kind (default 2000)")
    args = parser.parse_args(argv)
    today = date.today()
    with tempfile.TemporaryDirectory() as work:
        store = FeedbackStore(Path(work) / "bench.sqlite3", retention_days=180)
        store.add_search(SearchRecord("search", "warm up", 1, 1.0, True))  # opens the file once
        print(summary("add_search, short query", timed_us(
            lambda: store.add_search(SearchRecord("search", SHORT, 3, 5.2, True)), args.records)))
        print(summary("add_search, pasted 1,700-character essay", timed_us(
            lambda: store.add_search(SearchRecord("answer", ESSAY, 3, 5.2, False)), args.records)))
        print(summary("add_feedback with a comment", timed_us(
            lambda: store.add_feedback(Feedback("a/", "b", False, "unclear", "The fee is wrong, call 0821234567")),
            args.records)))
        fill(store, searches=100_000, answers=10_000, today=today)
        since = today - timedelta(days=180)
        print(summary("report queries, 100,000 searches + 10,000 answers", timed_us(
            lambda: (store.failed_searches(since, 20), store.question_votes(since, 20)), 5)))
        size_kib = sum(f.stat().st_size for f in Path(work).iterdir()) / 1024
        print(f"{'file size at that point':<42} {size_kib:,.0f} KiB")
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
