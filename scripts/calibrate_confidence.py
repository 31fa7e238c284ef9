"""Fit `confident` (search_api/engine/confidence.py) on labelled questions, held out.

Usage: python -m scripts.calibrate_confidence QUERIES.jsonl [QUERIES.jsonl ...] [--folds 5] [--precision 0.92]

Each question runs through the real search over the built index, as the API runs it
(limit 5); its evidence (confidence.FEATURES) and whether the first article is right
make one example. Questions the plausibility rule (confidence.plausible) turns down are
never confident; on the rest a logistic model is fitted by k-fold cross-validation: on each
fold's training part, the weights, then the lowest threshold whose training precision
reaches --precision; the held-out part is flagged with them. The held-out precision and
recall are printed per file and overall (what to expect on questions nobody has), then
the weights and threshold fitted on everything, to paste into confidence.py, and the
precision/recall of the values confidence.py holds now (on the same data: optimistic).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from collections.abc import Sequence
from pathlib import Path

from scripts.eval_search import Case, article_path, distinct_articles, load_cases
from search_api.engine import confidence
from search_api.engine.index import LiveIndex
from search_api.engine.search import find
from search_api.settings import Settings

L2 = 0.01  # a little shrinkage: 160 questions, eight weights
STEPS = 6000
RATE = 1.0


def example(ix, case: Case) -> tuple[tuple[float, ...] | None, bool]:
    outcome = find(ix, case.query, limit=5)
    articles = distinct_articles([article_path(h.page) for h in outcome.hits])
    right = bool(articles) and articles[0] in case.expected
    return (outcome.evidence.values if outcome.evidence else None), right


def fit(xs: list[tuple[float, ...]], ys: list[bool]) -> list[float]:
    """Logistic regression by gradient descent (features are already 0..1)."""
    weights = [0.0] * (len(xs[0]) + 1)
    n = len(xs)
    for _ in range(STEPS):
        grad = [0.0] * len(weights)
        for x, y in zip(xs, ys):
            z = weights[0] + sum(w * v for w, v in zip(weights[1:], x))
            error = 1 / (1 + math.exp(-max(-30, min(30, z)))) - float(y)
            grad[0] += error
            for i, v in enumerate(x, 1):
                grad[i] += error * v
        for i in range(len(weights)):
            shrink = L2 * weights[i] if i else 0.0
            weights[i] -= RATE * (grad[i] / n + shrink)
    return weights


def prob(weights: Sequence[float], x: Sequence[float]) -> float:
    return confidence.probability(confidence.Evidence(tuple(x)), weights)


def threshold_for(weights: list[float], xs: list[tuple[float, ...]], ys: list[bool], precision: float) -> float:
    """The lowest threshold whose precision on (xs, ys) reaches `precision` (recall is then highest)."""
    scored = sorted(((prob(weights, x), y) for x, y in zip(xs, ys)), reverse=True)
    best = 1.0
    right = 0
    for count, (p, y) in enumerate(scored, 1):
        right += y
        if right / count >= precision:
            best = p
    return best


def rates(flags: list[bool], ys: list[bool]) -> tuple[float, float, int]:
    flagged = sum(flags)
    hits = sum(f and y for f, y in zip(flags, ys))
    return (hits / flagged if flagged else 1.0), (hits / sum(ys) if sum(ys) else 0.0), flagged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("queries", type=Path, nargs="+")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--precision", type=float, default=0.92, help="training precision each threshold must reach")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args(argv)
    ix, _ = LiveIndex(Settings().index_dir).get()
    rows: list[tuple[str, tuple[float, ...] | None, bool]] = []
    for path in args.queries:
        for case in load_cases(path):
            x, y = example(ix, case)
            rows.append((str(path), x, y))
    # The model is fitted on the questions the plausibility rule lets through; the rest
    # are never confident (confidence.plausible).
    usable = [i for i, (_, x, _) in enumerate(rows) if x is not None and confidence.plausible(confidence.Evidence(x))]
    order = usable[:]
    random.Random(args.seed).shuffle(order)
    held: dict[int, bool] = {i: False for i in range(len(rows))}  # no answer: never confident
    for fold in range(args.folds):
        test = set(order[fold::args.folds])
        train = [i for i in usable if i not in test]
        xs, ys = [rows[i][1] for i in train], [rows[i][2] for i in train]
        weights = fit(xs, ys)
        cut = threshold_for(weights, xs, ys, args.precision)
        for i in test:
            held[i] = prob(weights, rows[i][1]) >= cut
    print(f"{args.folds}-fold held-out calibration (each threshold set for training precision {args.precision}):")
    for name in [str(p) for p in args.queries] + ["all"]:
        idx = [i for i, r in enumerate(rows) if name in ("all", r[0])]
        p, r, flagged = rates([held[i] for i in idx], [rows[i][2] for i in idx])
        right = sum(rows[i][2] for i in idx)
        print(f"  {name:<40} n {len(idx):>3}  first right {right:>3}  flagged {flagged:>3}  precision {p:.3f}  recall {r:.3f}")
    xs, ys = [rows[i][1] for i in usable], [rows[i][2] for i in usable]
    weights = fit(xs, ys)
    cut = threshold_for(weights, xs, ys, args.precision)
    print("fitted on everything (paste into search_api/engine/confidence.py):")
    print(f"WEIGHTS = ({', '.join(f'{w:.3f}' for w in weights)})")
    print(f"THRESHOLD = {cut:.3f}")
    now = [confidence.is_confident(confidence.Evidence(x)) if x is not None else False for _, x, _ in rows]
    p, r, flagged = rates(now, [y for _, _, y in rows])
    print(f"confidence.py as it is, on these questions: flagged {flagged}  precision {p:.3f}  recall {r:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
