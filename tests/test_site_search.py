"""The site's search box in a real browser: the API when it is there, Material's own when not."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page

from .conftest import Built, ServerThread, free_port


@pytest.fixture(scope="module")
def static_site(built: Built) -> Iterator[str]:
    """The built site on a plain static file server: hosted without the API."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(built.site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def type_in_search(page: Page, text: str) -> None:
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").fill("")
    page.locator(".md-search__input").press_sequentially(text, delay=20)


def test_search_box_asks_the_api_and_links_to_the_question(browser: Browser, server: ServerThread) -> None:
    page = browser.new_page()
    api_calls: list[str] = []
    index_downloads: list[str] = []
    page.on("request", lambda r: api_calls.append(r.url) if "/api/search" in r.url else None)
    page.on("request", lambda r: index_downloads.append(r.url) if "search_index.json" in r.url else None)
    page.goto(f"{server.base_url}/royalties/")
    page.wait_for_selector("html[data-search-api=on]")
    type_in_search(page, "mechnical royalty")
    first = page.wait_for_selector(".md-search-result__item[data-api] a")
    href = first.get_attribute("href") or ""
    assert api_calls, "the search box did not ask the API"
    assert "Showing results for" in page.locator(".md-search-result__meta").inner_text()
    assert not index_downloads, "with the API there, the page must not download the whole index"
    target = urlsplit(href)
    assert target.fragment
    page.goto(href)
    assert page.locator(f"[id='{target.fragment}']").count() == 1
    page.close()


def test_without_the_api_material_search_still_works(browser: Browser, static_site: str) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{static_site}/royalties/")
    type_in_search(page, "needletime")
    page.wait_for_selector(".md-search-result__item a", timeout=15000)
    assert page.locator(".md-search-result__item[data-api]").count() == 0
    assert page.locator("html[data-search-api=on]").count() == 0
    assert not errors, errors
    page.close()


def _api_page(browser: Browser, server: ServerThread) -> Page:
    page = browser.new_page()
    page.goto(f"{server.base_url}/royalties/")
    page.wait_for_selector("html[data-search-api=on]")
    return page


def test_a_half_typed_word_is_matched_as_the_start_of_a_word(browser: Browser, server: ServerThread) -> None:
    page = _api_page(browser, server)
    type_in_search(page, "copyr")
    page.wait_for_selector(".md-search-result__item[data-api] a")
    meta = page.locator(".md-search-result__meta").inner_text()
    assert "Showing results for" not in meta, meta  # never "corrected" to "cover"
    first = page.locator(".md-search-result__item[data-api] h1").first.inner_text()
    assert "copyright" in first.lower(), first
    page.close()


def test_no_answer_found_never_flashes_while_a_word_is_typed(browser: Browser, server: ServerThread) -> None:
    page = _api_page(browser, server)
    # Record every text the results' status line shows while typing, as it changes.
    page.evaluate("""() => {
        window.__seen = [];
        const meta = document.querySelector('.md-search-result__meta');
        new MutationObserver(() => window.__seen.push(meta.textContent)).observe(meta, {childList: true, characterData: true, subtree: true});
    }""")
    for text in ("when do i get", "when do i get pai"):
        type_in_search(page, text)
        page.wait_for_timeout(700)
    page.wait_for_selector(".md-search-result__item[data-api] a")
    seen = page.evaluate("window.__seen")
    assert not any("No answer found" in s for s in seen), seen
    assert "paid" in page.locator(".md-search-result__item[data-api] h1").first.inner_text().lower()
    page.close()


def test_typing_at_phone_speed_sends_few_requests_one_at_a_time(browser: Browser, server: ServerThread) -> None:
    page = _api_page(browser, server)
    events: list[tuple[str, str]] = []
    page.on("request", lambda r: events.append(("start", r.url)) if "/api/search" in r.url else None)
    page.on("requestfinished", lambda r: events.append(("end", r.url)) if "/api/search" in r.url else None)
    page.on("requestfailed", lambda r: events.append(("end", r.url)) if "/api/search" in r.url else None)
    question = "when do i get paid?"
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially(question, delay=120)  # about 8 keys a second
    page.wait_for_selector(".md-search-result__item[data-api] a")
    page.wait_for_timeout(600)
    starts = [url for kind, url in events if kind == "start"]
    assert 1 <= len(starts) <= 4, starts  # not one per key (19 keys)
    in_flight = 0
    for kind, _ in events:
        in_flight += 1 if kind == "start" else -1
        assert in_flight <= 1, events  # an earlier request is aborted before the next
    assert "prefix=true" not in starts[-1]  # "paid?" ends the word: matched whole
    page.close()
