"""Nothing lost: many concurrent writers, and a server killed while it writes.

Both run the real server as a separate process (`python -m scripts.serve`), the way
operators start it, with the rate limits off through their settings.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx

from search_api.settings import ROOT

from .conftest import Built, free_port

PAGE = "start-here/join/"
CLIENTS = 50
# Every client writes 20 times, so all 50 are writing at once for most of the run: that
# overlap is what could lose or double a row. (5,000 posts took 30 s and proved the same.)
POSTS = 1_000


@contextmanager
def server_process(built: Built, db: Path | str, log: Path,
                   **env_overrides: str) -> Iterator[tuple[subprocess.Popen, str]]:
    """The real server in its own process; yields it and its base URL once it answers.

    `db` is a SQLite file or a database URL; `env_overrides` set further variables.
    """
    port = free_port()
    settings = built.settings
    env = {
        **os.environ, "HOST": "127.0.0.1", "PORT": str(port), "SITE_URL": f"http://127.0.0.1:{port}/",
        "SITE_DIR": str(settings.site_dir), "INDEX_DIR": str(settings.index_dir),
        "DOCS_DIR": str(settings.docs_dir), "MKDOCS_CONFIG": str(settings.mkdocs_config),
        "FEEDBACK_DB": str(db), "FEEDBACK_PER_MINUTE": "0", "RATE_LIMIT_PER_MINUTE": "0",
        "WORKERS": "1", "LOG_LEVEL": "warning", **env_overrides,
    }
    base_url = f"http://127.0.0.1:{port}"
    with log.open("ab") as log_file:
        process = subprocess.Popen([sys.executable, "-m", "scripts.serve"], cwd=ROOT, env=env,
                                   stdout=log_file, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start:\n{log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(f"{base_url}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield process, base_url
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def stored_comments(db: Path) -> list[str]:
    with sqlite3.connect(db) as connection:
        return [c for (c,) in connection.execute("SELECT comment FROM feedback")]


def anchors(built: Built) -> list[str]:
    return [s.anchor for s in next(p for p in built.pages if p.page == PAGE).sections]


def test_1000_posts_from_50_concurrent_clients_give_exactly_1000_rows(built: Built, tmp_path: Path) -> None:
    db = tmp_path / "load.sqlite3"
    questions = anchors(built)

    def client(number: int) -> list[int]:
        codes = []
        with httpx.Client(timeout=60) as http:
            for i in range(number, POSTS, CLIENTS):
                helpful = i % 3 != 0
                body = {"page": PAGE, "anchor": questions[i % len(questions)], "helpful": helpful,
                        "reason": None if helpful else "unclear", "comment": f"post {i}"}
                codes.append(http.post(f"{base_url}/api/feedback", json=body).status_code)
        return codes

    with server_process(built, db, tmp_path / "server.log") as (_, base_url):
        started = time.perf_counter()
        with ThreadPoolExecutor(CLIENTS) as pool:
            codes = [code for result in pool.map(client, range(CLIENTS)) for code in result]
        seconds = time.perf_counter() - started
    print(f"\n{POSTS} feedback posts from {CLIENTS} clients in {seconds:.1f} s: {POSTS / seconds:.0f} posts/s")
    assert codes.count(201) == POSTS, {code: codes.count(code) for code in set(codes)}
    comments = stored_comments(db)
    assert len(comments) == POSTS
    assert set(comments) == {f"post {i}" for i in range(POSTS)}  # none lost, none twice


def test_killing_the_server_mid_write_leaves_the_database_intact(built: Built, tmp_path: Path) -> None:
    db = tmp_path / "killed.sqlite3"
    log = tmp_path / "server.log"
    question = anchors(built)[0]
    acknowledged: list[str] = []
    lock = threading.Lock()

    def writer(number: int, base_url: str) -> None:
        with httpx.Client(timeout=10) as http:
            for i in range(10_000):  # bounded; the kill ends it long before
                comment = f"writer {number} post {i}"
                try:
                    response = http.post(f"{base_url}/api/feedback", json={
                        "page": PAGE, "anchor": question, "helpful": False, "reason": "unclear", "comment": comment})
                except httpx.TransportError:
                    return  # the server is gone
                if response.status_code == 201:
                    with lock:
                        acknowledged.append(comment)

    with server_process(built, db, log) as (process, base_url):
        threads = [threading.Thread(target=writer, args=(n, base_url)) for n in range(8)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        while len(acknowledged) < 500 and time.monotonic() < deadline:
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)  # no shutdown, no checkpoint: as a crash or an OOM kill
        process.wait(timeout=10)
        for thread in threads:
            thread.join(timeout=30)
    assert len(acknowledged) >= 500
    assert db.with_name(db.name + "-wal").exists(), "the server was not killed mid-stream"

    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    survived = stored_comments(db)
    print(f"\nkilled after {len(acknowledged)} acknowledged posts; {len(survived)} rows on disk")
    assert set(acknowledged) <= set(survived), "an acknowledged answer was lost"
    assert len(survived) == len(set(survived))

    with server_process(built, db, log) as (_, base_url):
        response = httpx.post(f"{base_url}/api/feedback", json={"page": PAGE, "anchor": question, "helpful": True})
        assert response.status_code == 201
    assert len(stored_comments(db)) == len(survived) + 1
