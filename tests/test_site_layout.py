"""The site as creators see it, in Debian's Chromium: the menu, the 404 page, deep links
below the sticky header, the home page's title on a phone and the footer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from search_api.site.home_menu import MORE, home_sections, menu

from .conftest import Built, ServerThread

HOME_MD = Path(__file__).resolve().parent.parent / "docs" / "index.md"


@pytest.fixture(params=[1280, 360], ids=["desktop", "phone"])
def page(request: pytest.FixtureRequest, browser: Browser, server: ServerThread) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": request.param, "height": 800}, base_url=server.base_url)
    yield context.new_page()
    context.close()


def is_phone(page: Page) -> bool:
    return bool(page.viewport_size and page.viewport_size["width"] < 600)


# --- the menu ----------------------------------------------------------------------------

def top_menu_labels(page: Page) -> list[str]:
    page.goto("/royalties/mechanical/")
    if is_phone(page):
        page.locator("label.md-header__button[for=__drawer]").click()
    items = page.locator(".md-nav--primary > .md-nav__list > .md-nav__item > .md-nav__link")
    expect(items.first).to_be_visible()
    return [re.sub(r"\s+", " ", t).strip() for t in items.all_inner_texts()]


def test_the_menu_has_the_home_pages_sections_in_its_order(page: Page) -> None:
    expected = ["Home", *(s.title for s in home_sections(HOME_MD.read_text(encoding="utf-8")))]
    assert top_menu_labels(page) == expected


def test_the_menu_uses_the_home_pages_labels(page: Page) -> None:
    page.goto("/ai/ai-and-your-music/")
    if is_phone(page):
        page.locator("label.md-header__button[for=__drawer]").click()
    nav = page.locator(".md-nav--primary")
    # The current page is a link on a desktop and a label (it opens the contents) on a phone.
    expect(nav.locator(".md-nav__link--active").get_by_text("AI and your music", exact=True).filter(visible=True)).to_have_count(1)
    labels = nav.locator(".md-nav__link").all_inner_texts()
    assert not {"Ai", "Help", "Start here"} & {label.strip() for label in labels}


def test_a_page_the_home_page_does_not_list_still_gets_a_menu_place(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "law").mkdir()
    (tmp_path / "index.md").write_text(
        "# Home\n\n## Second first\n\n- [Bee](a/b.md)\n\n## Law\n\n- [Tracker](law/index.md)\n", encoding="utf-8")
    for name in ("a/b.md", "a/new.md", "law/one.md", "law/two.md", "lonely.md"):
        (tmp_path / name).write_text("# x\n", encoding="utf-8")
    (tmp_path / "law/index.md").write_text("# T\n\n[2](two.md) and [1](one.md)\n", encoding="utf-8")
    assert menu(tmp_path) == [
        {"Home": "index.md"},
        {"Second first": [{"Bee": "a/b.md"}, "a/new.md"]},  # beside its folder's pages
        {"Law": [{"Tracker": ["law/index.md", "law/two.md", "law/one.md"]}]},  # the tracker's order
        {MORE: ["lonely.md"]},
    ]


def test_every_page_is_in_the_menu(built: Built) -> None:
    def pages(entries: object) -> list[str]:
        if isinstance(entries, str):
            return [entries]
        if isinstance(entries, dict):
            return [p for value in entries.values() for p in pages(value)]
        return [p for entry in entries for p in pages(entry)]  # type: ignore[union-attr]

    in_menu = pages(menu(built.settings.docs_dir))
    on_disk = sorted(p.relative_to(built.settings.docs_dir).as_posix() for p in built.settings.docs_dir.rglob("*.md"))
    assert sorted(in_menu) == on_disk and len(set(in_menu)) == len(in_menu)


# --- the 404 page ------------------------------------------------------------------------

def test_the_404_page_offers_search_home_and_a_person(page: Page) -> None:
    response = page.goto("/royalty-scams/")
    assert response is not None and response.status == 404
    box = page.get_by_role("searchbox", name="Search the help centre")
    expect(box).to_have_value("royalty scams")  # the words of the address
    page.locator("form[data-not-found] button[type=submit]").click()
    results = page.locator(".md-search-result__item a")
    expect(results.first).to_be_visible()
    hrefs = results.evaluate_all("links => links.slice(0, 5).map(a => a.href)")
    assert any("/help/scams/" in href for href in hrefs), hrefs  # searched with those words
    page.keyboard.press("Escape")
    main = page.locator(".md-content")
    expect(main.get_by_role("link", name="Go to the home page")).to_be_visible()
    expect(main.locator('a[href^="mailto:"]')).to_have_count(1)
    main.get_by_role("link", name="Go to the home page").click()
    expect(page).to_have_url(re.compile(r"/\.?$"))


# --- deep links and the sticky header -----------------------------------------------------

def test_a_deep_link_lands_just_below_the_sticky_header(page: Page) -> None:
    # The third question has two feedback boxes above it, drawn after the browser
    # scrolled to the question: it must still sit just below the header, not under it
    # and not pushed down the screen.
    page.goto("/royalties/mechanical/")
    anchor = page.locator("article h2[id]").nth(2).get_attribute("id")
    page.goto("/getting-paid/tax/")  # arrive from another page, as a pasted link does
    page.goto(f"/royalties/mechanical/#{anchor}")
    expect(page.locator(".question-feedback").first).to_be_attached()
    page.wait_for_timeout(300)
    header = page.locator(".md-header").bounding_box()
    heading = page.locator(f"[id='{anchor}']").bounding_box()
    assert header and heading
    below = heading["y"] - (header["y"] + header["height"])
    assert 0 <= below <= 48, f"the question is {below:.0f} px below the header"


# --- the home page and the footer --------------------------------------------------------

def test_the_home_page_does_not_repeat_the_site_title_on_a_phone(page: Page) -> None:
    page.goto("/")
    title = page.locator("h1")
    expect(title).to_have_count(1)  # still there for screen readers
    if is_phone(page):
        box = title.bounding_box()
        assert box is not None and box["height"] <= 1, "the phone shows the site title twice"
        expect(page.locator(".md-content h2").first).to_be_in_viewport()
    else:
        expect(title).to_be_visible()


def test_the_footer_says_how_to_reach_a_person(page: Page) -> None:
    page.goto("/royalties/mechanical/")
    footer = page.locator("footer.md-footer")
    expect(footer.locator('a[href^="mailto:"]')).to_have_count(1)
    expect(footer.locator('a[href^="tel:"]')).to_have_count(1)
    expect(footer.get_by_role("link", name="All the ways to contact us")).to_have_attribute(
        "href", re.compile(r"help/contact/$"))
    assert (footer.inner_text() or "").strip()
