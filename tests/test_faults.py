"""Faults: a missing or damaged index never takes the site down, and a bad build never goes live."""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from search_api.engine.index import IndexBuildError, build_index, current_target
from search_api.settings import Settings

from .conftest import Built, ServerThread, free_port


@pytest.fixture(scope="module")
def pristine(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One good index for the whole module: each test damages a copy (a copy takes
    milliseconds, a build seconds). Tests whose subject is a build still build."""
    index_dir = tmp_path_factory.mktemp("faults") / "index"
    build_index(built.pages, index_dir)
    return index_dir


def copy_of(pristine: Path, index_dir: Path) -> Path:
    """A good index at `index_dir`, as build_index leaves it; returns the live build."""
    shutil.copytree(pristine, index_dir, symlinks=True)  # `current` stays a relative link
    return current_target(index_dir)


def settings_with_index(built: Built, index_dir: Path) -> Settings:
    return built.settings.model_copy(update={"index_dir": index_dir, "port": free_port()})


def damage_segment(index_dir: Path) -> None:
    # A disk that filled up mid-copy: the segment is cut short, the table of contents is intact.
    segment = next(current_target(index_dir).glob("*.seg"))
    segment.write_bytes(segment.read_bytes()[: segment.stat().st_size // 3])


def garble_segment(index_dir: Path) -> None:
    # Same size, different bytes: only a checksum can tell.
    segment = next(current_target(index_dir).glob("*.seg"))
    data = bytearray(segment.read_bytes())
    data[len(data) // 2: len(data) // 2 + 64] = b"\xff" * 64
    segment.write_bytes(bytes(data))


def link_to_nowhere(index_dir: Path) -> None:
    (index_dir / "current").unlink()
    os.symlink("build-that-was-deleted", index_dir / "current")


def empty_build(index_dir: Path) -> None:
    target = current_target(index_dir)
    shutil.rmtree(target)
    target.mkdir()
    (target / "_MAIN_1.toc").write_bytes(b"not a whoosh file")


FAULTS = {
    "no index at all": None,
    "segment cut short": damage_segment,
    "segment overwritten": garble_segment,
    "link to a deleted build": link_to_nowhere,
    "build directory of garbage": empty_build,
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_broken_index_at_start_leaves_the_site_up_and_health_degraded(
    built: Built, pristine: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, fault: str,
) -> None:
    index_dir = tmp_path / "index"
    if FAULTS[fault] is not None:
        copy_of(pristine, index_dir)
        FAULTS[fault](index_dir)
    caplog.set_level(logging.ERROR, logger="search_api")
    with ServerThread(settings_with_index(built, index_dir)) as server, httpx.Client(base_url=server.base_url) as http:
        assert http.get("/").status_code == 200, "the site must be served without an index"
        assert http.get("/start-here/join/").status_code == 200
        health = http.get("/api/health")
        assert health.status_code == 503
        body = health.json()
        assert body["status"] == "degraded"
        assert "make index" in body["reason"], body["reason"]
        for path in ("/api/search?q=royalties", "/api/articles/start-here/join"):
            response = http.get(path)
            assert response.status_code == 503, f"{path}: {response.status_code} {response.text[:300]}"
            assert "make index" in response.json()["detail"]
    logged = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("make index" in message for message in logged), f"the log must say what to run: {logged}"


def test_the_api_recovers_without_a_restart_once_the_index_is_built(built: Built, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    with ServerThread(settings_with_index(built, index_dir)) as server, httpx.Client(base_url=server.base_url) as http:
        assert http.get("/api/health").status_code == 503
        build_index(built.pages, index_dir)
        assert http.get("/api/health").json()["status"] == "ok"
        assert http.get("/api/search", params={"q": "join"}).json()["results"]


def test_a_build_that_fails_validation_never_replaces_the_live_index(
    built: Built, pristine: Path, tmp_path: Path,
) -> None:
    index_dir = tmp_path / "index"
    good = copy_of(pristine, index_dir)
    with ServerThread(settings_with_index(built, index_dir)) as server, httpx.Client(base_url=server.base_url) as http:
        before = http.get("/api/health").json()
        with pytest.raises(IndexBuildError, match="no pages"):
            build_index([], index_dir)  # a site whose search index came out empty
        # A page whose section cannot be written: the writer is cancelled mid-build.
        broken = replace(built.pages[0], sections=(replace(built.pages[0].sections[0], body=None),))
        with pytest.raises(TypeError, match="NoneType"):
            build_index([*built.pages[1:], broken], index_dir)
        assert current_target(index_dir) == good
        assert sorted(p.name for p in index_dir.glob("build-*")) == [good.name], "failed builds must be removed"
        after = http.get("/api/health")
        assert after.status_code == 200 and after.json() == before
        assert http.get("/api/search", params={"q": "join"}).json()["results"]


def test_a_damaged_new_build_is_refused_and_the_old_one_keeps_serving(
    built: Built, pristine: Path, tmp_path: Path,
) -> None:
    index_dir = tmp_path / "index"
    good = copy_of(pristine, index_dir)
    with ServerThread(settings_with_index(built, index_dir)) as server, httpx.Client(base_url=server.base_url) as http:
        before = http.get("/api/health").json()
        build_index(built.pages, index_dir)
        damage_segment(index_dir)  # damaged after the swap, before this server opened it
        assert current_target(index_dir) != good
        for _ in range(3):
            response = http.get("/api/search", params={"q": "join"})
            assert response.status_code == 200 and response.json()["results"]
        assert http.get("/api/health").json() == before
