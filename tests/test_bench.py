"""`make bench` runs end to end (a tiny run); its numbers are printed, never asserted."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from scripts import bench

from .conftest import Built


def test_a_short_benchmark_prints_every_table(
    built: Built, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DOCS_DIR", str(built.settings.docs_dir))
    monkeypatch.setenv("MKDOCS_CONFIG", str(built.settings.mkdocs_config))
    # The smallest run that still prints every table: two client counts (two rows each),
    # the 1x build, one worker (test_production.py covers the multi-worker start).
    assert bench.main(["--seconds", "0.2", "--clients", "1,4", "--sizes", "1", "--workers", "1"]) == 0
    out = capsys.readouterr().out
    for kind in ("health", "short", "essay"):
        rows = [line for line in out.splitlines() if line.startswith(kind)]
        assert len(rows) == 2, f"{kind}: one row per client count\n{out}"
        assert all(line.split()[6] == "0" for line in rows), f"{kind} had failed requests\n{out}"
    assert any(line.startswith("1x ") for line in out.splitlines()), out
    assert "Bytes a phone downloads" in out


def test_benchmark_queries_are_hundreds_of_distinct_ones(built: Built) -> None:
    rng = random.Random(1)
    short = bench.short_queries(built.pages, rng)
    essays = bench.essay_queries(built.pages, rng)
    assert len(set(short)) == len(short) >= 300
    assert len(set(essays)) == len(essays) >= 300
    assert all(2 <= len(q.split()) <= 4 for q in short)
    assert sorted(len(e.split()) for e in essays)[len(essays) // 2] >= 100


def test_a_synthetic_corpus_copies_every_article(built: Built, tmp_path: Path) -> None:
    docs = bench.synthetic_docs(built.settings.docs_dir, 3, tmp_path / "docs")
    real = len(list(built.settings.docs_dir.rglob("*.md")))
    assert len(list(docs.rglob("*.md"))) == 3 * real
    assert (docs / "copy-003" / "start-here" / "join.md").is_file()
