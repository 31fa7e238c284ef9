"""The eval script's arithmetic: exact question first and the calibration of `confident`."""

from __future__ import annotations

import json
from pathlib import Path

from scripts.eval_search import Result, load_cases, measure


def _cases(tmp_path: Path) -> Path:
    rows = [
        {"query": "what is needletime", "style": "keyword", "expected": ["royalties/needletime"],
         "anchors": ["royalties/needletime#what-is-needletime"]},
        {"query": "how do i join", "style": "question", "expected": ["start-here/join/"]},
        {"query": "who pays me " * 20, "style": "essay", "expected": ["getting-paid/payment-dates"],
         "anchors": ["getting-paid/payment-dates#when-do-you-pay"]},
    ]
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_exact_first_and_calibration_are_counted_per_group(tmp_path: Path) -> None:
    answers = {
        # right question first, confident: exact, a right flag
        "what is needletime": Result(["royalties/needletime#what-is-needletime"], True),
        # right article (index page spelt with a slash) first, not confident: a missed right answer
        "how do i join": Result(["start-here/join#how-do-i-join", "royalties#x"], False),
        # wrong article first, right one second, confident: a wrong flag
    }
    wrong = Result(["royalties/sync#what-is-sync", "getting-paid/payment-dates#when-do-you-pay"], True)
    table, _, _ = measure(load_cases(_cases(tmp_path)), lambda q: answers.get(q, wrong))
    everything = table["all"]
    assert everything["S@1"] == 2 / 3 and everything["S@3"] == 1.0
    assert everything["MRR"] == (1 + 1 + 0.5) / 3
    assert everything["exact"] == 1 / 2  # two rows have anchors; one has its question first
    assert everything["conf_precision"] == 1 / 2  # two flagged, one right
    assert everything["conf_recall"] == 1 / 2  # two right first, one flagged
    assert table["long"]["n"] == 1 and table["long"]["S@1"] == 0.0
    assert table["keyword"]["exact"] == 1.0


def test_an_engine_without_a_flag_has_no_calibration(tmp_path: Path) -> None:
    table, _, _ = measure(load_cases(_cases(tmp_path)), lambda q: Result([]))
    assert table["all"]["S@3"] == 0.0
    assert table["all"]["conf_precision"] is None and table["all"]["conf_recall"] is None
