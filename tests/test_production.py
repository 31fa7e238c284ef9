"""The production start: `python -m scripts.serve` with WORKERS=2, configured only by environment.

It runs as operators run it (a separate process tree, settings from the environment,
logs on stderr) and is checked from outside: two worker processes answer, pages and
JSON are compressed, fingerprinted assets are cached for a year, the rate limit
counts the address a trusted reverse proxy forwarded, the logs are JSON lines with
no personal detail from what was pasted, and SIGTERM stops it cleanly.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from search_api.settings import ROOT

from .conftest import Built, free_port

PASTED = ("Hi, I'm Thandi Nkosi. Call me on 082 555 1234 or write to thandi.nkosi@example.com. "
          "When do I get paid for radio?")
PERSONAL = ["Thandi", "Nkosi", "Nomvula", "082 555 1234", "0825551234", "thandi.nkosi@example.com", "example.com"]


@dataclass
class Production:
    process: subprocess.Popen
    base_url: str
    stderr: Path
    stdout: Path


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.fixture(scope="module")
def production(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Production]:
    work = tmp_path_factory.mktemp("production")
    port = free_port()
    env = {
        **os.environ,
        "HOST": "127.0.0.1", "PORT": str(port), "WORKERS": "2",
        "SITE_URL": built.settings.site_url, "SITE_DIR": str(built.site_dir),
        "INDEX_DIR": str(built.settings.index_dir), "DOCS_DIR": str(built.settings.docs_dir),
        "MKDOCS_CONFIG": str(built.settings.mkdocs_config), "FEEDBACK_DB": str(work / "feedback.sqlite3"),
        "TRUSTED_PROXIES": "127.0.0.1", "RATE_LIMIT_PER_MINUTE": "30", "LOG_LEVEL": "info",
    }
    stdout, stderr = work / "stdout.txt", work / "stderr.txt"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen([sys.executable, "-m", "scripts.serve"], cwd=ROOT, env=env, stdout=out, stderr=err)
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base_url}/api/health", headers={"X-Forwarded-For": "192.0.2.250"}).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the production server did not start:\n{stderr.read_text()[-3000:]}")
        time.sleep(0.2)
    try:
        yield Production(process, base_url, stderr, stdout)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_production_start_runs_the_configured_number_of_workers(production: Production) -> None:
    deadline = time.monotonic() + 30
    while len(children(production.process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(children(production.process.pid)) >= 2
    assert "Workers:  2" in production.stdout.read_text()


def test_production_compresses_and_caches_as_a_reverse_proxy_expects(production: Production, built: Built) -> None:
    bundle = next((built.site_dir / "assets" / "javascripts").glob("bundle.*.min.js"))
    with httpx.Client(base_url=production.base_url, headers={"Accept-Encoding": "gzip"}) as http:
        page = http.get("/start-here/join/")
        assert page.status_code == 200 and page.headers["content-encoding"] == "gzip"
        assert page.headers["cache-control"] == "no-cache"
        asset = http.get("/" + bundle.relative_to(built.site_dir).as_posix())
        assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert asset.headers["content-encoding"] == "gzip"
        answer = http.get("/api/search", params={"q": "when do i get paid"})
        assert answer.status_code == 200 and answer.json()["results"]


def test_production_limits_each_forwarded_client(production: Production) -> None:
    with httpx.Client(base_url=production.base_url) as http:
        # Two workers each count on their own, so the allowance is at most twice the setting.
        codes = [http.get("/api/health", headers={"X-Forwarded-For": "198.51.100.20"}).status_code
                 for _ in range(70)]
        assert 429 in codes
        assert http.get("/api/health", headers={"X-Forwarded-For": "198.51.100.21"}).status_code == 200


def test_production_logs_are_json_lines_without_personal_details(production: Production) -> None:
    with httpx.Client(base_url=production.base_url) as http:
        for _ in range(4):  # reach both workers
            assert http.get("/api/search", params={"q": PASTED}).status_code == 200
        assert http.get("/api/search", params={"q": PASTED, "limit": "many"}).status_code == 422
        # The desk's first-name field is a name whatever it holds.
        assert http.get("/api/answer", params={"q": "when do I get paid", "channel": "x",
                                               "name": "Nomvula"}).status_code == 200
    production.process.send_signal(signal.SIGTERM)
    assert production.process.wait(timeout=30) == 0, "SIGTERM must stop the server cleanly"
    lines = [line for line in production.stderr.read_text(encoding="utf-8").splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    searches = [e for e in entries if e.get("path") == "/api/search"]
    assert len(searches) >= 5, "each request is logged"
    assert all({"time", "level", "status", "ms", "query"} <= e.keys() for e in searches)
    assert any("[phone]" in e["query"] and "[email]" in e["query"] and "[name]" in e["query"] for e in searches)
    everything = "\n".join(lines) + production.stdout.read_text(encoding="utf-8")
    for detail in PERSONAL:
        assert detail not in everything, f"{detail!r} reached the logs"
