"""Built once per test run: the real site (strict build), the real index, the real server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, sync_playwright

from scripts.build_index import build_site
from search_api.api.app import create_app
from search_api.engine.index import build_index
from search_api.site.sections import Page, load_pages
from search_api.api.serving import server_options
from search_api.settings import ROOT, Settings

from .postgres import Cluster, throwaway_cluster

ADMIN_TOKEN = "test-admin-token"


@dataclass(frozen=True)
class Built:
    settings: Settings
    site_dir: Path
    pages: list[Page]


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    work = tmp_path_factory.mktemp("built")
    port = free_port()
    settings = Settings(
        site_dir=work / "site", index_dir=work / "index", port=port, site_url=f"http://127.0.0.1:{port}/",
        feedback_db=work / "feedback.sqlite3",  # never the checkout's var/
        # The suite is its own load test; test_limits.py starts servers with the limit on.
        rate_limit_per_minute=0, admin_token=ADMIN_TOKEN,
        feedback_per_minute=0,  # test_feedback_api.py starts its own server with it on
    )
    build_site(settings, settings.site_dir)
    pages = load_pages(settings.site_dir, settings.docs_dir)
    build_index(pages, settings.index_dir)
    return Built(settings=settings, site_dir=settings.site_dir, pages=pages)


def sqlite_file(feedback_db: str | Path) -> Path:
    """The file behind a sqlite:/// FEEDBACK_DB (or a plain path, as `model_copy` leaves
    one unvalidated), for tests that read it with sqlite3."""
    text = str(feedback_db)
    assert "://" not in text or text.startswith("sqlite:///"), text
    return Path(text.removeprefix("sqlite:///"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerThread:
    """The real app under uvicorn in a thread, on its own port."""

    def __init__(self, settings: Settings) -> None:
        # The production options, but the test process keeps its own logging (caplog).
        options = {**server_options(settings), "host": "127.0.0.1", "log_config": None, "log_level": "warning"}
        self.app = create_app(settings)
        config = uvicorn.Config(self.app, **options)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.base_url = f"http://127.0.0.1:{settings.port}"

    def __enter__(self) -> "ServerThread":
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def server(built: Built) -> Iterator[ServerThread]:
    with ServerThread(built.settings) as running:
        yield running


@pytest.fixture(scope="session")
def client(server: ServerThread) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        yield http


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    """A real PostgreSQL server of the tests' own, started on first use, stopped at the end."""
    with throwaway_cluster(free_port()) as cluster:
        yield cluster


@pytest.fixture(scope="session")
def docs_dir() -> Path:
    return ROOT / "docs"


CHROMIUM = "/usr/bin/chromium"  # Debian's; Playwright never downloads a browser here
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium for one test module (two Playwright drivers cannot run at once)."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()
