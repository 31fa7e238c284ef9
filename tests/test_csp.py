"""Every page we serve runs in Chromium under our Content-Security-Policy with no violation.

Pages come from three places, all found at run time so a page added later is checked
too: every page of the built site, the API docs, and every other HTML page the app
serves (the agent desk, the editors' report and the like).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.routing import iter_route_contexts
from playwright.sync_api import Browser, Page
from starlette.routing import Mount

from .conftest import ADMIN_TOKEN, Built, ServerThread

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}

WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} ${e.sample || ""}`);
});
"""


@dataclass
class Visit:
    page: Page
    console: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        violations = self.page.evaluate("window.__violations")
        csp_console = [m for m in self.console if "Content Security Policy" in m]
        return violations + csp_console + [f"request to another site: {url}" for url in self.foreign]


@contextmanager
def visit(browser: Browser, base_url: str, headers: dict[str, str] | None = None) -> Iterator[Visit]:
    page = browser.new_page(extra_http_headers=headers)
    page.add_init_script(WATCH_VIOLATIONS)
    seen = Visit(page)
    page.on("console", lambda message: seen.console.append(message.text))
    host = urlsplit(base_url).netloc
    page.on("request", lambda request: (
        None if urlsplit(request.url).netloc in (host, "") else seen.foreign.append(request.url)))
    try:
        yield seen
    finally:
        page.close()


def site_paths(built: Built) -> list[str]:
    paths = ["/no/such/page/"]  # the site's 404 page
    for html in sorted(built.site_dir.rglob("index.html")):
        page = html.parent.relative_to(built.site_dir).as_posix()
        paths.append("/" if page == "." else f"/{page}/")
    return paths


def test_every_site_page_runs_with_no_csp_violation(browser: Browser, server: ServerThread, built: Built) -> None:
    problems: dict[str, list[str]] = {}
    paths = site_paths(built)
    assert len(paths) > 10
    with visit(browser, server.base_url) as seen:
        for path in paths:
            seen.page.goto(server.base_url + path, wait_until="load")
            if seen.problems():
                problems[path] = seen.problems()
                seen.console.clear()
                seen.foreign.clear()
    assert not problems, problems


def test_searching_on_the_site_runs_with_no_csp_violation(browser: Browser, server: ServerThread) -> None:
    with visit(browser, server.base_url) as seen:
        seen.page.goto(server.base_url + "/", wait_until="load")
        seen.page.keyboard.press("/")  # Material's shortcut to the search box
        seen.page.keyboard.type("when do i get paid")
        seen.page.wait_for_selector(".md-search-result__item", timeout=10_000)
        assert not seen.problems()


def test_the_api_docs_run_a_search_with_no_csp_violation(browser: Browser, server: ServerThread) -> None:
    with visit(browser, server.base_url) as seen:
        seen.page.goto(server.base_url + "/api/docs", wait_until="load")
        seen.page.click("#operations-default-search_questions_api_search_get .opblock-summary")
        seen.page.click("button.try-out__btn")
        seen.page.fill("input[placeholder='q']", "royalties")
        with seen.page.expect_response(lambda r: "/api/search?" in r.url and "q=royalties" in r.url) as answer:
            seen.page.click("button.execute")
        assert answer.value.status == 200
        seen.page.wait_for_selector(".responses-table .response-col_status", timeout=10_000)
        assert not seen.problems()


def other_html_pages(server: ServerThread, client: httpx.Client) -> list[str]:
    """Every other HTML page the app serves: GET routes without parameters (admin ones with
    the token) and folders of pages mounted beside the site, such as /desk/."""
    app = server.server.config.app
    # FastAPI keeps included routers as nodes of their own; this walks into them.
    routes = list(iter_route_contexts(app.routes))
    candidates = [r.path for r in routes if r.path and "GET" in (r.methods or ()) and "{" not in r.path]
    candidates += [f"{r.path}/" for r in routes
                   if isinstance(r.original_route, Mount) and r.path and getattr(r.original_route.app, "html", False)]
    pages: dict[str, None] = {}
    for path in candidates:
        response = client.get(path, headers=ADMIN, follow_redirects=True)
        if response.status_code == 200 and response.headers["content-type"].startswith("text/html"):
            pages.setdefault(response.url.path, None)
    return list(pages)


def test_every_other_page_of_ours_runs_with_no_csp_violation(
    browser: Browser, server: ServerThread, client: httpx.Client,
) -> None:
    pages = other_html_pages(server, client)
    assert "/api/docs" in pages, "the route discovery must find at least the API docs"
    print("HTML pages checked:", pages)
    problems: dict[str, list[str]] = {}
    for path in pages:
        with visit(browser, server.base_url, ADMIN) as seen:
            seen.page.goto(server.base_url + path, wait_until="networkidle")
            if seen.problems():
                problems[path] = seen.problems()
    assert not problems, problems


def test_an_inline_script_that_is_not_ours_is_blocked(browser: Browser, server: ServerThread) -> None:
    # The check above can fail: an injected script is refused and reported.
    with visit(browser, server.base_url) as seen:
        seen.page.goto(server.base_url + "/", wait_until="load")
        seen.page.evaluate("""() => {
            const script = document.createElement("script");
            script.textContent = "window.__injected = true";
            document.body.appendChild(script);
        }""")
        seen.page.wait_for_timeout(200)
        assert seen.page.evaluate("window.__injected === undefined")
        assert any("script-src" in p for p in seen.problems())
