"""Links never break: rename a question and move a page in a copy of docs/, then open the old links.

The copy is built once as published (its links go into a ledger), then again after an
editor's rename and move. The old links are followed in the built HTML, by the API,
by `make check`, and in a real Chromium.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser

from scripts.check_content import main as check_main
from scripts.site_checks import build_for_check
from scripts.update_ledger import main as ledger_main
from search_api.engine.index import build_index
from search_api.site.landing import land
from search_api.site.ledger import read_ledger
from search_api.site.sections import load_pages

from .conftest import Built, ServerThread, free_port
from .sitecopy import write_config

RENAMED_PAGE = "start-here/join"
MOVED_FROM, MOVED_TO = "help/scams", "help/royalty-scams"


@dataclass(frozen=True)
class Edited:
    config: Path
    ledger: Path
    site_dir: Path
    old_anchor: str  # the renamed question's published anchor
    new_anchor: str
    new_question: str
    moved_anchor: str  # a published question anchor of the moved page


def rename_first_question(article: Path) -> tuple[str, str]:
    """Reword the first `##` question without an explicit id, as an editor would; (old, new) heading."""
    text = article.read_text(encoding="utf-8")
    old = next(m.group(1) for m in re.finditer(r"(?m)^## (.+\?)\s*$", text))
    new = f"{old[:-1]}, in plain words?"
    article.write_text(text.replace(f"## {old}\n", f"## {new}\n", 1), encoding="utf-8")
    return old, new


def move_page(docs: Path) -> None:
    """Move help/scams.md and update the links that point at it, as an editor would."""
    (docs / f"{MOVED_FROM}.md").rename(docs / f"{MOVED_TO}.md")
    old_name, new_name = Path(MOVED_FROM).name + ".md", Path(MOVED_TO).name + ".md"
    for article in docs.rglob("*.md"):
        text = article.read_text(encoding="utf-8")
        updated = re.sub(rf"(?<=[(/]){re.escape(old_name)}", new_name, text)
        if updated != text:
            article.write_text(updated, encoding="utf-8")


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory, built: Built) -> Edited:
    work = tmp_path_factory.mktemp("redirects")
    docs = work / "docs"
    shutil.copytree(built.settings.docs_dir, docs)
    ledger = work / "published-links.txt"
    config = write_config(work, docs)
    assert ledger_main(["--config", str(config), "--ledger", str(ledger)]) == 0  # as published
    before = read_ledger(ledger)

    old_question, new_question = rename_first_question(docs / f"{RENAMED_PAGE}.md")
    move_page(docs)
    config = write_config(work, docs, redirect_maps={f"{MOVED_FROM}.md": f"{MOVED_TO}.md"})
    build = build_for_check(config, work / "site", ledger)
    assert build.finished and not build.messages, build.messages

    old_entry = next(e for e in before if e.page == f"{RENAMED_PAGE}/" and e.question == old_question)
    new_anchor = next(s.anchor for p in load_pages(build.site_dir, docs) for s in p.sections
                      if s.page == f"{RENAMED_PAGE}/" and s.question == new_question)
    moved = next(e for e in before if e.page == f"{MOVED_FROM}/" and e.anchor)
    return Edited(config=config, ledger=ledger, site_dir=build.site_dir, old_anchor=old_entry.anchor,
                  new_anchor=new_anchor, new_question=new_question, moved_anchor=moved.anchor)


def test_the_renamed_heading_keeps_its_old_anchor(edited: Edited) -> None:
    html = (edited.site_dir / RENAMED_PAGE / "index.html").read_text(encoding="utf-8")
    heading = re.search(rf'<h2 id="{edited.new_anchor}">(.*?)</h2>', html, re.S)
    assert heading, f"no heading #{edited.new_anchor}"
    assert f'id="{edited.old_anchor}"' in heading.group(1), "the old anchor is not on the renamed question"
    landing = land(edited.site_dir, f"/{RENAMED_PAGE}/", edited.old_anchor)
    assert landing is not None and (landing.anchor, landing.anchor_renamed) == (edited.new_anchor, True)


def test_the_moved_pages_markdown_copy_says_where_it_went(edited: Edited) -> None:
    old = (edited.site_dir / MOVED_FROM / "index.html.md").read_text(encoding="utf-8")
    assert f"/{MOVED_TO}/index.html.md" in old and "moved" in old
    assert (edited.site_dir / MOVED_TO / "index.html.md").is_file()


def test_the_moved_page_redirects_with_its_anchors(edited: Edited) -> None:
    landing = land(edited.site_dir, f"/{MOVED_FROM}/", edited.moved_anchor)
    assert landing is not None
    assert (landing.page, landing.anchor, landing.page_moved) == (f"{MOVED_TO}/", edited.moved_anchor, True)


def test_every_published_link_still_lands(edited: Edited) -> None:
    lost = [e.link for e in read_ledger(edited.ledger) if land(edited.site_dir, e.page, e.anchor) is None]
    assert not lost


def test_make_check_finds_no_broken_published_link(edited: Edited, capsys: pytest.CaptureFixture[str]) -> None:
    check_main(["--config", str(edited.config), "--ledger", str(edited.ledger)])
    lines = capsys.readouterr().out.splitlines()
    assert not [line for line in lines if "published" in line], lines
    assert "new links are not in the ledger yet" in lines[-1]  # the renamed question and the moved page


def test_make_check_names_the_fix_when_the_redirect_is_missing(edited: Edited, capsys: pytest.CaptureFixture[str]) -> None:
    folder = edited.config.parent / "without-redirect"
    folder.mkdir(exist_ok=True)
    no_redirect = write_config(folder, edited.config.parent / "docs")
    check_main(["--config", str(no_redirect), "--ledger", str(edited.ledger)])
    lines = capsys.readouterr().out.splitlines()
    assert any(f"the published page /{MOVED_FROM}/ no longer exists — if you moved {MOVED_FROM}.md, add  "
               f"'{MOVED_FROM}.md': 'new/path.md'  under redirect_maps in mkdocs.yml" in line for line in lines), lines


@pytest.fixture(scope="module")
def edited_server(edited: Edited, built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerThread]:
    work = tmp_path_factory.mktemp("edited-server")
    port = free_port()
    settings = built.settings.model_copy(update={
        "site_dir": edited.site_dir, "index_dir": work / "index", "docs_dir": edited.config.parent / "docs",
        "port": port, "site_url": f"http://127.0.0.1:{port}/",
    })
    build_index(load_pages(settings.site_dir, settings.docs_dir), settings.index_dir)
    with ServerThread(settings) as running:
        yield running


def test_the_api_resolves_a_renamed_question(edited: Edited, edited_server: ServerThread) -> None:
    old = f"https://help.example.org/{RENAMED_PAGE}/#{edited.old_anchor}"
    body = httpx.get(f"{edited_server.base_url}/api/links/resolve", params={"url": old}).json()
    assert body["current_url"] == f"{edited_server.base_url}/{RENAMED_PAGE}/#{edited.new_anchor}"
    assert (body["anchor"], body["question"], body["anchor_renamed"], body["page_moved"]) == \
        (edited.new_anchor, edited.new_question, True, False)
    assert body["answer"]


def test_the_api_resolves_a_moved_page(edited: Edited, edited_server: ServerThread) -> None:
    old = f"/{MOVED_FROM}/#{edited.moved_anchor}"
    body = httpx.get(f"{edited_server.base_url}/api/links/resolve", params={"url": old}).json()
    assert (body["page"], body["anchor"], body["page_moved"]) == (f"{MOVED_TO}/", edited.moved_anchor, True)
    assert body["question"] and body["title"]


@pytest.mark.parametrize("url", ["/no/such/page/", "/start-here/join/#no-such-question", "/../../etc/passwd",
                                 "%00", "#no-such-question-on-the-home-page"])
def test_the_api_says_when_a_link_lands_nowhere(edited_server: ServerThread, url: str) -> None:
    response = httpx.get(f"{edited_server.base_url}/api/links/resolve", params={"url": url})
    assert response.status_code == 404
    assert "does not land on" in response.json()["detail"]


def test_the_api_reads_a_link_to_any_host_as_a_link_to_this_site(edited_server: ServerThread) -> None:
    # Agents paste links to the public site while the API may run elsewhere.
    response = httpx.get(f"{edited_server.base_url}/api/links/resolve", params={"url": "https://elsewhere.example/"})
    assert response.status_code == 200
    assert (response.json()["page"], response.json()["anchor"]) == ("", "")


def heading_position(browser: Browser, url: str, anchor: str) -> tuple[str, str, float, float]:
    """Open `url` as a reader would: (final path, the heading's id, its top, the window's height)."""
    page = browser.new_page()
    try:
        page.goto(url, wait_until="load")
        page.wait_for_function(f"document.getElementById({anchor!r}) !== null")
        page.wait_for_timeout(300)  # let the browser finish scrolling to the fragment
        found = page.evaluate(
            """anchor => { const h = document.getElementById(anchor).closest('h1,h2,h3,h4,h5,h6');
                          return [location.pathname, h.id, h.getBoundingClientRect().top, window.innerHeight]; }""",
            anchor,
        )
        return tuple(found)
    finally:
        page.close()


def test_an_old_anchor_opens_at_the_renamed_question(edited: Edited, edited_server: ServerThread, browser: Browser) -> None:
    path, heading, top, height = heading_position(
        browser, f"{edited_server.base_url}/{RENAMED_PAGE}/#{edited.old_anchor}", edited.old_anchor)
    assert (path, heading) == (f"/{RENAMED_PAGE}/", edited.new_anchor)
    assert 0 <= top < height / 3, f"the question is at {top}px, not at the top of a {height}px window"


def test_an_old_page_link_opens_at_its_question_on_the_new_page(edited: Edited, edited_server: ServerThread,
                                                                browser: Browser) -> None:
    path, heading, top, height = heading_position(
        browser, f"{edited_server.base_url}/{MOVED_FROM}/#{edited.moved_anchor}", edited.moved_anchor)
    assert (path, heading) == (f"/{MOVED_TO}/", edited.moved_anchor)
    assert 0 <= top < height / 3, f"the question is at {top}px, not at the top of a {height}px window"
