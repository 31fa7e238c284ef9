"""Rebuilding the index while requests run never fails a request."""

from __future__ import annotations

import threading

import httpx

from search_api.index import build_index, current_target
from search_api.sections import load_pages

from .conftest import Built, ServerThread


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
