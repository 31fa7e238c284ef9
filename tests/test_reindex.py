"""Rebuilding the index while requests run never fails a request."""

from __future__ import annotations

import itertools
import re
import threading
from pathlib import Path

import httpx

from search_api.engine.index import build_index, current_target
from search_api.site.sections import load_pages

from .conftest import ADMIN_TOKEN, Built, ServerThread

CLIENTS = 16
REBUILDS = 5
_ID = re.compile(r'\bid="([^"]+)"')


def test_rebuild_while_searching_fails_no_request(server: ServerThread, built: Built) -> None:
    failures: list[str] = []
    served = 0
    stop = threading.Event()
    lock = threading.Lock()

    def hammer() -> None:
        nonlocal served
        with httpx.Client(base_url=server.base_url, timeout=30) as http:
            while not stop.is_set():
                response = http.get("/api/search", params={"q": "join royalties"})
                with lock:
                    served += 1
                    if response.status_code != 200 or not response.json()["results"]:
                        failures.append(f"{response.status_code} {response.text[:200]}")

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for thread in threads:
        thread.start()
    before = current_target(built.settings.index_dir)
    for _ in range(5):
        build_index(load_pages(built.site_dir, built.settings.docs_dir), built.settings.index_dir)
    stop.set()
    for thread in threads:
        thread.join()
    assert current_target(built.settings.index_dir) != before
    assert served > 0
    assert not failures, failures[:3]
    # The server now answers from the newest build.
    body = httpx.get(f"{server.base_url}/api/health").json()
    assert body["status"] == "ok"


def anchors_in_site(site_dir: Path) -> dict[str, set[str]]:
    """page path ("royalties/mechanical/", "" for home) -> every element id on that built page."""
    anchors: dict[str, set[str]] = {}
    for html in site_dir.rglob("index.html"):
        page = html.parent.relative_to(site_dir).as_posix()
        anchors["" if page == "." else f"{page}/"] = set(_ID.findall(html.read_text(encoding="utf-8")))
    return anchors


def distinct_queries(built: Built) -> list[str]:
    """Hundreds of different queries: every question heading, some cut short, and a few essays."""
    questions = [s.question for p in built.pages for s in p.sections]
    short = [" ".join(q.split()[:3]) for q in questions]
    essays = [" ".join(questions[i:i + 6]) for i in range(0, len(questions), 6)]
    return list(dict.fromkeys(questions + short + essays))


def test_five_admin_rebuilds_under_many_clients_fail_no_request_and_every_anchor_exists(
    server: ServerThread, built: Built,
) -> None:
    anchors = anchors_in_site(built.site_dir)
    queries = distinct_queries(built)
    assert len(queries) >= 200
    failures: list[str] = []
    checked = 0
    stop = threading.Event()
    lock = threading.Lock()

    def client(offset: int) -> None:
        nonlocal checked
        with httpx.Client(base_url=server.base_url, timeout=30) as http:
            for q in itertools.islice(itertools.cycle(queries), offset, None):
                if stop.is_set():
                    return
                response = http.get("/api/search", params={"q": q, "limit": 10})
                problems = [] if response.status_code == 200 else [f"{response.status_code} {response.text[:200]}"]
                for hit in response.json().get("results", []) if not problems else []:
                    if hit["anchor"] not in anchors.get(hit["page"], set()):
                        problems.append(f"{hit['url']}: no such anchor in the built site")
                with lock:
                    checked += 1
                    failures.extend(f"q={q[:60]!r}: {p}" for p in problems)

    threads = [threading.Thread(target=client, args=(i * 37,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    builds = {current_target(built.settings.index_dir)}
    try:
        with httpx.Client(base_url=server.base_url, timeout=120) as admin:
            for _ in range(REBUILDS):
                response = admin.post("/api/admin/reindex", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
                assert response.status_code == 200, response.text
                builds.add(current_target(built.settings.index_dir))
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    print(f"{checked} requests during {REBUILDS} rebuilds")
    assert len(builds) == REBUILDS + 1, "each rebuild must switch to a new index"
    assert checked > CLIENTS * 10, f"only {checked} requests were made during the rebuilds"
    assert not failures, f"{len(failures)} of {checked} requests failed: {failures[:3]}"
