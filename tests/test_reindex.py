"""Rebuilding the index while requests run never fails a request.

One load, both ways of rebuilding: `POST /api/admin/reindex` (this server builds and
switches) and `build_index` from outside the server, as `make index` does (the server
finds the swapped `current` link on its next request). Each rebuild is a swap under
load; what could fail is a request that meets a swap, so every rebuild counts, and the
clients only need to keep requests in flight across each one.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from pathlib import Path

import httpx

from search_api.engine.index import build_index, current_target
from search_api.site.sections import load_pages

from .conftest import ADMIN_TOKEN, Built, ServerThread

CLIENTS = 8
KNOWN = "join royalties"  # one client asks only this, which always has results
# Alternating, so each kind of swap happens under load more than once.
REBUILDS = ("admin", "outside", "admin", "outside")
_ID = re.compile(r'\bid="([^"]+)"')


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


def test_rebuilds_by_the_admin_route_and_from_outside_under_many_clients_fail_no_request_and_every_anchor_exists(
    server: ServerThread, built: Built,
) -> None:
    anchors = anchors_in_site(built.site_dir)
    queries = distinct_queries(built)
    assert len(queries) >= 200
    failures: list[str] = []
    checked = 0
    stop = threading.Event()
    lock = threading.Lock()
    index_dir = built.settings.index_dir

    def client(offset: int, asked: list[str] = queries) -> None:
        nonlocal checked
        with httpx.Client(base_url=server.base_url, timeout=30) as http:
            for q in itertools.islice(itertools.cycle(asked), offset, None):
                if stop.is_set():
                    return
                response = http.get("/api/search", params={"q": q, "limit": 10})
                problems = [] if response.status_code == 200 else [f"{response.status_code} {response.text[:200]}"]
                if not problems and q == KNOWN and not response.json()["results"]:
                    problems.append("no results")  # a half-swapped index would find nothing
                for hit in response.json().get("results", []) if not problems else []:
                    if hit["anchor"] not in anchors.get(hit["page"], set()):
                        problems.append(f"{hit['url']}: no such anchor in the built site")
                with lock:
                    checked += 1
                    failures.extend(f"q={q[:60]!r}: {p}" for p in problems)

    threads = [threading.Thread(target=client, args=(i * 37,)) for i in range(1, CLIENTS)]
    threads.append(threading.Thread(target=client, args=(0, [KNOWN])))
    for thread in threads:
        thread.start()
    builds = [current_target(index_dir)]
    try:
        with httpx.Client(base_url=server.base_url, timeout=120) as admin:
            for way in REBUILDS:
                if way == "admin":
                    response = admin.post("/api/admin/reindex", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
                    assert response.status_code == 200, response.text
                else:
                    build_index(load_pages(built.site_dir, built.settings.docs_dir), index_dir)
                builds.append(current_target(index_dir))
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    print(f"{checked} requests during {len(REBUILDS)} rebuilds ({', '.join(REBUILDS)})")
    assert len(set(builds)) == len(REBUILDS) + 1, "each rebuild must switch to a new index"
    assert checked > CLIENTS * 10, f"only {checked} requests were made during the rebuilds"
    assert not failures, f"{len(failures)} of {checked} requests failed: {failures[:3]}"
    # The server now answers from the newest build (an outside one: found on this request).
    newest = json.loads((builds[-1] / "manifest.json").read_text(encoding="utf-8"))
    health = httpx.get(f"{server.base_url}/api/health").json()
    assert health["status"] == "ok" and health["index_built_at"] == newest["built_at"]
