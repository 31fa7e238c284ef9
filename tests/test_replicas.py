"""Two API replicas sharing one real PostgreSQL server, and that server going away.

The replicas are real server processes (`python -m scripts.serve`), each with its own
copy of the built site and index, as a second machine would have, and the same
settings where the README says they must match.
"""

from __future__ import annotations

import csv
import io
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from search_api.listening.store import FeedbackStore

from .conftest import ADMIN_TOKEN, Built, ServerThread, free_port
from .postgres import Cluster
from .test_feedback_durability import anchors, server_process

PAGE = "start-here/join/"
POSTS = 2_000
CLIENTS = 40
SHARED = {"SITE_URL": "https://help.example.org/", "ADMIN_TOKEN": ADMIN_TOKEN, "RETENTION_DAYS": "180"}
AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def comments(url: str) -> list[str]:
    store = FeedbackStore(url, retention_days=180)
    try:
        with store.engine.connect() as db:
            return list(db.execute(sa.text("SELECT comment FROM feedback")).scalars())
    finally:
        store.close()


def own_copy(built: Built, folder: Path) -> dict[str, str]:
    """A replica's own site and index, copied the way a deploy would put them on a machine."""
    shutil.copytree(built.settings.site_dir, folder / "site", symlinks=True)
    shutil.copytree(built.settings.index_dir, folder / "index", symlinks=True)
    return {"SITE_DIR": str(folder / "site"), "INDEX_DIR": str(folder / "index")}


def no_answer_counts(report_csv: str) -> dict[str, int]:
    rows = list(csv.reader(io.StringIO(report_csv)))
    return {row[3]: int(row[1]) for row in rows[1:] if row[0] == "no_answers"}


def test_2000_posts_across_two_replicas_from_40_clients_land_once_and_both_report_them(
    built: Built, postgres: Cluster, tmp_path: Path,
) -> None:
    url = postgres.create_database()
    questions = anchors(built)
    with ExitStack() as stack:
        bases = []
        for n in (1, 2):
            folder = tmp_path / f"replica-{n}"
            folder.mkdir()
            _, base = stack.enter_context(server_process(built, url, folder / "server.log",
                                                         **own_copy(built, folder), **SHARED))
            bases.append(base)
        index_before = [httpx.get(f"{b}/api/health").json()["index_built_at"] for b in bases]

        def client(number: int) -> list[tuple[int, int]]:
            base = bases[number % 2]
            codes = []
            with httpx.Client(base_url=base, timeout=60) as http:
                for i in range(number, POSTS, CLIENTS):
                    helpful = i % 4 != 0
                    body = {"page": PAGE, "anchor": questions[i % len(questions)], "helpful": helpful,
                            "reason": None if helpful else "unclear", "comment": f"post {i}"}
                    codes.append((i, http.post("/api/feedback", json=body).status_code))
                    if i % 200 == number:  # searches keep working while feedback is written
                        assert http.get("/api/search", params={"q": "join fee"}).status_code == 200
            return codes

        started = time.perf_counter()
        with ThreadPoolExecutor(CLIENTS) as pool:
            running = [pool.submit(client, n) for n in range(CLIENTS)]
            # A rebuild of one replica's index mid-run disturbs neither replica.
            time.sleep(0.5)
            reindexed = httpx.post(f"{bases[0]}/api/admin/reindex", headers=AUTH, timeout=120)
            codes = [code for future in running for code in future.result()]
        seconds = time.perf_counter() - started
        assert reindexed.status_code == 200, reindexed.text
        index_after = [httpx.get(f"{b}/api/health").json()["index_built_at"] for b in bases]
        reports = [httpx.get(f"{b}/api/admin/report", params={"format": "csv"}, headers=AUTH, timeout=60).text
                   for b in bases]

    print(f"\n{POSTS} posts over 2 replicas from {CLIENTS} clients in {seconds:.1f} s")
    assert sorted(set(status for _, status in codes)) == [201], {s: sum(1 for _, c in codes if c == s)
                                                                  for s in {c for _, c in codes}}
    stored = comments(url)
    lost = POSTS - len(set(stored) & {f"post {i}" for i in range(POSTS)})
    print(f"rows: {len(stored)}; lost: {lost}; twice: {len(stored) - len(set(stored))}")
    assert len(stored) == POSTS and set(stored) == {f"post {i}" for i in range(POSTS)}
    # The report on either replica shows every No, whichever replica took it.
    expected_no = sum(1 for i in range(POSTS) if i % 4 == 0)
    assert reports[0] == reports[1]
    assert sum(no_answer_counts(reports[0]).values()) == expected_no
    assert index_after[1] == index_before[1]  # the other replica kept its own index
    assert index_after[0] >= index_before[0]


def test_postgresql_stopped_mid_run_gives_503s_search_keeps_working_and_it_recovers(
    built: Built, postgres: Cluster, caplog: pytest.LogCaptureFixture,
) -> None:
    url = postgres.create_database()
    question = anchors(built)[0]
    settings = built.settings.model_copy(update={"port": free_port(), "feedback_db": url})
    acknowledged: list[str] = []
    refused: list[str] = []
    searches: list[int] = []
    stop = threading.Event()

    def writer(base_url: str, number: int) -> None:
        with httpx.Client(base_url=base_url, timeout=30) as http:
            for i in range(5_000):  # bounded; `stop` ends it long before
                if stop.is_set():
                    return
                comment = f"writer {number} post {i}"
                response = http.post("/api/feedback", json={"page": PAGE, "anchor": question, "helpful": False,
                                                            "reason": "unclear", "comment": comment})
                if response.status_code == 201:
                    acknowledged.append(comment)
                else:
                    assert response.status_code == 503, response.text
                    assert "cannot be stored right now" in response.json()["detail"]
                    refused.append(comment)
                searches.append(http.get("/api/search", params={"q": f"join fee {i}"}).status_code)
                time.sleep(0.005)

    with ServerThread(settings) as server:
        threads = [threading.Thread(target=writer, args=(server.base_url, n)) for n in range(4)]
        try:
            for thread in threads:
                thread.start()
            wait_until(lambda: len(acknowledged) >= 50)
            postgres.stop()  # fast shutdown: open transactions are cut off
            outage_started = len(acknowledged)
            wait_until(lambda: len(refused) >= 20)
            health = httpx.get(f"{server.base_url}/api/health")
            assert health.status_code == 200
            postgres.start()
            wait_until(lambda: len(acknowledged) >= outage_started + 50)  # back, with no restart
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=30)
            if not postgres.is_running():
                postgres.start()
        assert server.app.state.search_log.flush()

    stored = comments(url)
    print(f"\n{len(acknowledged)} acknowledged, {len(refused)} refused with 503, {len(stored)} rows")
    assert set(acknowledged) <= set(stored), "an acknowledged answer was lost"
    assert set(stored) <= set(acknowledged) | set(refused) and len(stored) == len(set(stored))
    assert refused and searches and set(searches) == {200}
    assert any("search records not stored" in r.getMessage() for r in caplog.records), \
        "the search record must say in the log that it dropped records"


def wait_until(condition, timeout: float = 60.0) -> None:  # noqa: ANN001 (a callable)
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)
