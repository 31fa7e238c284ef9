"""Whether the first answer can be pasted as it is: `confident`, from the evidence.

Agents paste a confident answer and send the honest reply otherwise, so `confident`
must mean "the first answer is right". It is a logistic model over a few signals of a
ranking, fitted on real creators' questions with `python -m scripts.calibrate_confidence`
(held-out cross-validation; see that script), which prints the numbers below.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# The signals, in order; each is between 0 and 1.
FEATURES = (
    "coverage",  # share of the question's own ideas in the first answer's heading, phrasings, tags or answer
    "same_page",  # share of the next four answers on the first answer's article: the ranking agrees with itself
    "margin",  # how far the first answer's score is ahead of the second, relative to it
    "unknown",  # share of the question's content words that no page uses
    "all_matched",  # 1 when some question matched every key idea of a short query
    "long",  # 1 for a long pasted message
    "agreement",  # long messages: share of the rankings fused whose first three hold the first answer
)

# Written by scripts/calibrate_confidence.py (fitted on real-dev + dev, 160 questions).
WEIGHTS = (-0.142, 0.532, 2.442, 0.976, -0.501, -0.318, -0.212, -0.282)  # intercept, then one per feature
THRESHOLD = 0.630


@dataclass(frozen=True)
class Evidence:
    values: tuple[float, ...]

    def as_dict(self) -> dict[str, float]:
        return dict(zip(FEATURES, self.values))


def probability(evidence: Evidence, weights: Sequence[float] = WEIGHTS) -> float:
    z = weights[0] + sum(w * x for w, x in zip(weights[1:], evidence.values))
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


# Necessary whatever the model says: the first answer holds most of what was asked
# (two thirds; a third when some question matched every key idea, or for a long
# message, whose questions each ask less of it), and most of the words asked are words
# some page uses. "How do I cancel my gym membership" matches one idea of the joining
# page, and a ranking that agrees with itself is still off-topic.
MIN_COVERAGE = 0.67
MIN_COVERAGE_MATCHED = 0.34  # all key ideas matched together, or a long message
MAX_UNKNOWN = 0.5


def plausible(evidence: Evidence) -> bool:
    e = evidence.as_dict()
    lenient = e["long"] or e["all_matched"]
    return e["coverage"] >= (MIN_COVERAGE_MATCHED if lenient else MIN_COVERAGE) and e["unknown"] <= MAX_UNKNOWN


def is_confident(evidence: Evidence | None, weights: Sequence[float] = WEIGHTS, threshold: float = THRESHOLD) -> bool:
    return evidence is not None and plausible(evidence) and probability(evidence, weights) >= threshold
