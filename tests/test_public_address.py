"""Links that work wherever it runs: a site built and served on a port that is not 8000.

With SITE_URL unset, `make run` builds the site for the address the server will use,
so "Copy link", the canonical links and the sitemap all name it. Served later on yet
another port, "Copy link" still copies the address the page was opened on, and the
server warns at start-up that the build names the other one.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from scripts.build_index import build_site
from search_api.settings import Settings

from .conftest import Built, ServerThread, free_port

ARTICLE = "royalties/mechanical/"


@pytest.fixture(scope="module")
def unset_site(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The site as `PORT=<not 8000> make run` builds it: SITE_URL not set."""
    work = tmp_path_factory.mktemp("unset-site-url")
    settings = Settings(site_dir=work / "site", index_dir=work / "index", port=free_port(), site_url="",
                        feedback_db=work / "feedback.sqlite3", rate_limit_per_minute=0)
    build_site(settings, settings.site_dir)
    return settings


def copy_first_link(browser: Browser, base_url: str) -> tuple[str, Page]:
    context = browser.new_context(base_url=base_url)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page = context.new_page()
    page.goto(f"/{ARTICLE}")
    page.locator("button.copy-link").nth(2).click()
    expect(page.locator(".copy-link--done")).to_have_count(1)
    return page.evaluate("navigator.clipboard.readText()"), page


def test_the_build_names_the_address_it_is_served_on(unset_site: Settings) -> None:
    base = f"http://127.0.0.1:{unset_site.port}/"
    sitemap = (unset_site.site_dir / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locations and all(loc.startswith(base) for loc in locations), locations[:3]
    article = (unset_site.site_dir / ARTICLE / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{base}{ARTICLE}">' in article
    assert 'name="site-url"' not in article  # not pinned: SITE_URL was not set


def test_a_copied_link_on_a_non_default_port_lands_on_its_question(browser: Browser, unset_site: Settings) -> None:
    with ServerThread(unset_site) as server:
        link, page = copy_first_link(browser, server.base_url)
        assert link.startswith(f"{server.base_url}/{ARTICLE}#"), link
        anchor = urlsplit(link).fragment
        page.goto(link)
        heading = page.locator(f"h2[id='{anchor}']")
        expect(heading).to_be_in_viewport()
        page.context.close()


def test_served_on_another_port_the_copy_uses_the_pages_own_address(
    browser: Browser, unset_site: Settings, caplog: pytest.LogCaptureFixture, tmp_path: Path,
) -> None:
    moved = unset_site.model_copy(update={"port": free_port(), "feedback_db": tmp_path / "f.sqlite3"})
    with caplog.at_level(logging.WARNING, logger="search_api"), ServerThread(moved) as server:
        link, page = copy_first_link(browser, server.base_url)
        page.context.close()
    assert link.startswith(f"{server.base_url}/{ARTICLE}#"), link
    assert any("run `make index`" in record.getMessage() for record in caplog.records)


def test_with_site_url_set_the_page_says_its_canonical_address_is_public(built: Built) -> None:
    # The suite's own build sets SITE_URL, as production does: "Copy link" then copies
    # the canonical address even from a preview or a proxy (tests/test_desk_pages.py).
    article = (built.site_dir / ARTICLE / "index.html").read_text(encoding="utf-8")
    assert '<meta name="site-url" content="pinned">' in article
    assert f'<link rel="canonical" href="{built.settings.site_url}{ARTICLE}">' in article
