"""POST /api/admin/reindex: only with ADMIN_TOKEN, absent without it."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from search_api.api.routes.admin import token_matches
from search_api.engine import index as index_module
from search_api.engine.index import current_target

from .conftest import ADMIN_TOKEN, Built, ServerThread, free_port

BEARER = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def test_reindex_with_the_token_rebuilds_and_switches(client: httpx.Client, built: Built) -> None:
    before = current_target(built.settings.index_dir)
    response = client.post("/api/admin/reindex", headers=BEARER)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ok"
    assert body["articles"] == len(built.pages)
    assert body["questions"] == sum(len(p.sections) for p in built.pages)
    assert current_target(built.settings.index_dir) != before
    assert client.get("/api/health").json()["index_built_at"] == body["index_built_at"]


def test_a_bad_vocabulary_line_refuses_the_rebuild_naming_file_and_line_and_the_live_index_serves(
    client: httpx.Client, built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    bad = tmp_path / "vocabulary.txt"
    bad.write_text("royalty, royalties\nlonely\n", encoding="utf-8")
    monkeypatch.setattr(index_module, "VOCABULARY_FILE", bad)  # the running app builds with it
    index_dir = built.settings.index_dir
    before, builds = current_target(index_dir), sorted(index_dir.glob("build-*"))
    health = client.get("/api/health").json()
    response = client.post("/api/admin/reindex", headers=BEARER)
    assert response.status_code == 409, response.text  # was a 500
    detail = response.json()["detail"]
    assert f"{bad}:2: a group needs at least two words" in detail and "live one is unchanged" in detail, detail
    assert current_target(index_dir) == before and sorted(index_dir.glob("build-*")) == builds
    assert client.get("/api/health").json() == health
    assert client.get("/api/search", params={"q": "join"}).json()["results"]


def test_reindex_without_or_with_a_wrong_token_is_401(client: httpx.Client, built: Built) -> None:
    before = current_target(built.settings.index_dir)
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {ADMIN_TOKEN}"},
                    {"Authorization": f"Bearer {ADMIN_TOKEN}x"}, {"Authorization": "Bearer ünïcode".encode()}):
        response = client.post("/api/admin/reindex", headers=headers)
        assert response.status_code == 401, headers
        assert "ADMIN_TOKEN" in response.json()["detail"]
        assert response.headers["www-authenticate"] == "Bearer"
    assert current_target(built.settings.index_dir) == before


def test_admin_routes_do_not_exist_without_a_token(built: Built) -> None:
    settings = built.settings.model_copy(update={"port": free_port(), "admin_token": ""})
    with ServerThread(settings) as server, httpx.Client(base_url=server.base_url) as http:
        assert http.post("/api/admin/reindex", headers=BEARER).status_code == 404
        assert http.post("/api/admin/reindex").status_code == 404
        assert not [p for p in http.get("/api/openapi.json").json()["paths"] if p.startswith("/api/admin/")]
        assert http.get("/api/admin/reindex").status_code == 404


def test_a_second_rebuild_while_one_runs_is_refused_with_409(server: ServerThread, client: httpx.Client) -> None:
    lock = server.server.config.app.state.reindex_lock  # the running app's own lock
    with lock:
        response = client.post("/api/admin/reindex", headers=BEARER)
    assert response.status_code == 409
    assert "already running" in response.json()["detail"]


def test_token_comparison_handles_any_text() -> None:
    assert token_matches("s3cret-ü", "s3cret-ü")
    assert not token_matches("s3cret-u", "s3cret-ü")
    assert not token_matches("", "s3cret")
    assert not token_matches("s3cret" * 100, "s3cret")
