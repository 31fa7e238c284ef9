"""WCAG 2.2 AA in Debian's Chromium, checked by axe-core (pinned, from tests/vendor/).

Each page a creator or an agent sees is opened as they would open it, and any serious
or critical violation fails the test with the rule, the count and where it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from .axe import Violation, blocking, run_axe
from .conftest import ServerThread

ARTICLE = "/royalties/mechanical/"


def open_search(page: Page) -> None:
    page.goto(ARTICLE)
    page.keyboard.press("s")  # Material's shortcut opens the search dialog
    page.locator(".md-search__input").press_sequentially("when do i get paid", delay=20)
    expect(page.locator(".md-search-result__item").first).to_be_visible()


def open_desk(page: Page) -> None:
    page.goto("/desk/")
    page.keyboard.insert_text("who collects mechanicals")
    page.keyboard.press("Enter")
    expect(page.locator(".card").first).to_be_visible()


def open_404(page: Page) -> None:
    response = page.goto("/no-such-page/")
    assert response is not None and response.status == 404


def open_api_docs(page: Page) -> None:
    page.goto("/api/docs")
    expect(page.locator(".opblock").first).to_be_visible()


def try_the_api_in_its_docs(page: Page) -> None:
    open_api_docs(page)
    page.locator(".opblock-summary").first.click()
    page.locator(".try-out__btn").first.click()
    page.locator("input[placeholder=q]").first.fill("royalties")
    page.locator(".execute").first.click()
    expect(page.locator(".live-responses-table").first).to_be_visible()


PAGES: dict[str, Callable[[Page], None]] = {
    "home": lambda page: page.goto("/") and None,
    "article": lambda page: page.goto(ARTICLE) and None,
    "law page": lambda page: page.goto("/law-changes/copyright-amendment-bill/") and None,
    "open search": open_search,
    "desk": open_desk,
    "404": open_404,
    "api docs": open_api_docs,
    "api docs, tried": try_the_api_in_its_docs,
}


@pytest.fixture(params=[1280, 360], ids=["desktop", "phone"])
def page(request: pytest.FixtureRequest, browser: Browser, server: ServerThread) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": request.param, "height": 800}, base_url=server.base_url)
    yield context.new_page()
    context.close()


def report(violations: list[Violation]) -> str:
    return "\n".join(str(v) for v in violations)


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_or_critical_axe_violations(page: Page, name: str) -> None:
    PAGES[name](page)
    found = blocking(run_axe(page))
    assert not found, f"{name}:\n{report(found)}"


def test_axe_finds_a_planted_violation(page: Page) -> None:
    # The check must be able to fail: grey-on-grey text and a dialog with no name.
    page.goto(ARTICLE)
    page.evaluate("""() => {
        const p = document.createElement('p');
        p.textContent = 'Faint text';
        p.style.cssText = 'color:#bbb;background:#fff';
        document.querySelector('article').prepend(p);
        document.querySelector('.md-search').removeAttribute('aria-label');
    }""")
    rules = {v.rule for v in blocking(run_axe(page))}
    assert {"color-contrast", "aria-dialog-name"} <= rules
