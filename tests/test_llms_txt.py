"""/llms.txt, /llms-full.txt and the Markdown copy beside every page, as the site build writes them."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
import yaml
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.nav import Section, get_navigation

from scripts.law_records import load_records, page_law_meta
from search_api.site.sections import read_front_matter

from .conftest import Built
from .test_content import PATHS

_LIST_LINK = re.compile(r"^- \[([^\]]+)\]\((\S+)\)(?::\s*(.*))?$", re.M)
_HEADING = re.compile(r"^(#{1,6}) (.*?) \{#([^}]+)\}$", re.M)


def copy_of(built: Built, page: str) -> Path:
    return built.site_dir / page / "index.html.md"


def page_of(path: str) -> str:
    """'royalties/index' -> 'royalties/', 'royalties/mechanical' -> 'royalties/mechanical/'."""
    return path.removesuffix("index").strip("/") + "/"


@pytest.fixture(scope="module")
def llms(built: Built) -> str:
    return (built.site_dir / "llms.txt").read_text(encoding="utf-8")


def menu(built: Built) -> list[tuple[str, list[str]]]:
    """The menu MkDocs builds from mkdocs.yml, plugins and all (home-menu makes it from the
    home page): (top-level section title, its pages' site paths)."""
    config = load_config(str(built.settings.mkdocs_config), site_dir=str(built.site_dir))
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(get_files(config), config=config)
    nav = config.plugins.on_nav(get_navigation(files, config), config=config, files=files)

    def pages(section: Section) -> list[str]:
        out: list[str] = []
        for child in section.children:
            out += pages(child) if isinstance(child, Section) else [child.url] if child.is_page else []
        return out

    return [(str(item.title), pages(item)) for item in nav.items if isinstance(item, Section)]


def test_llms_txt_lists_every_article_of_the_content_plan(built: Built, llms: str) -> None:
    site = built.settings.site_url
    assert llms.startswith("# ")
    assert re.search(r"^> \S", llms, re.M), "a one-paragraph summary in a blockquote"
    links = {url: note for _, url, note in _LIST_LINK.findall(llms)}
    for path in PATHS:
        url = f"{site}{page_of(path)}index.html.md"
        assert url in links, f"llms.txt does not list {path}"
        description = read_front_matter(built.settings.docs_dir / f"{path}.md").get("description")
        assert description and links[url].startswith(str(description)), path
    assert f"{site}mcp" in llms


def test_llms_txt_groups_articles_as_the_menu_does(built: Built, llms: str) -> None:
    sections = re.findall(r"^## (.+)$", llms, re.M)
    expected = menu(built)
    assert [title for title, _ in expected] == [s for s in sections if s in dict(expected)]
    for title, pages in expected:
        block = llms.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]
        listed = [url.removeprefix(built.settings.site_url).removesuffix("index.html.md")
                  for _, url, _ in _LIST_LINK.findall(block)]
        assert listed == pages, title


def test_law_pages_carry_their_status_in_llms_txt(llms: str) -> None:
    line = next(l for l in llms.splitlines() if "/law-changes/copyright-amendment-bill/" in l)
    assert re.search(r"Law status: [a-z ]+ \(as of \d{4}-\d{2}-\d{2}, checked \d{4}-\d{2}-\d{2}\)", line)


def test_every_page_has_a_markdown_copy_with_every_question(built: Built) -> None:
    site = built.settings.site_url
    by_page = {p.page: p for p in built.pages}
    records = load_records()
    for path in PATHS:
        page = page_of(path)
        copy = copy_of(built, page)
        assert copy.is_file(), f"no Markdown copy for {path}"
        text = copy.read_text(encoding="utf-8")
        assert "{{" not in text and "{%" not in text, f"{copy}: a macro was not rendered"
        meta = yaml.safe_load(text.split("---\n", 2)[1])
        assert meta["url"] == f"{site}{page}"
        source = read_front_matter(built.settings.docs_dir / f"{path}.md")
        assert str(meta["last_reviewed"]) == str(source["last_reviewed"])
        intro = text.split("---\n", 2)[2]
        assert f"Canonical page: {site}{page}" in intro.split("\n## ", 1)[0]
        top = intro.split("\n## ", 1)[0]
        if "law" in source:  # a law page: its status and dates come from its law record
            record = page_law_meta(records, str(source["law"]))
            assert meta["status"] == record["status"] and str(meta["as_of"]) == record["as_of"], path
            assert str(meta["law_checked"]) == record["law_checked"], path
            assert f"Law status: {record['status']} (as of {record['as_of']}" in top, path
            assert record["law_banner"] in top, path
        else:
            assert "status" not in meta and "Law status" not in top, path
        headings = {anchor: title for _, title, anchor in _HEADING.findall(text)}
        for section in by_page[page].sections:
            assert section.anchor in headings, f"{copy}: no heading with {{#{section.anchor}}}"
            plain = re.sub(r"[*_`]", "", headings[section.anchor])
            assert plain == section.question, copy
        assert not re.search(r"\]\((?!https?://|mailto:|tel:)[^)]+\)", text), f"{copy}: a relative link"


def test_each_page_links_to_its_copy_and_to_llms_txt(built: Built, client: httpx.Client) -> None:
    site = built.settings.site_url
    for path in ["royalties/mechanical", "law-changes/index", "start-here/glossary"]:
        page = page_of(path)
        html = client.get(f"/{page}").text
        links = re.findall(r'<link rel="([^"]+)" type="text/markdown"[^>]*href="([^"]+)"', html)
        alternates = [href for rel, href in links if "alternate" in rel.split()]
        assert f"{site}{page}index.html.md" in alternates and f"{site}llms.txt" in alternates, path
        # Material reads a link whose rel is exactly "alternate" as another language of the
        # site and fetches a sitemap.xml beside it on every page load.
        assert not re.search(r'<link rel="alternate"', html), path
        copy = client.get(f"/{page}index.html.md")
        assert copy.status_code == 200 and copy.headers["content-type"].startswith("text/markdown")
    for name in ("llms.txt", "llms-full.txt"):
        served = client.get(f"/{name}")
        assert served.status_code == 200 and served.text.startswith("# ")


def test_llms_full_holds_every_copy(built: Built) -> None:
    full = (built.site_dir / "llms-full.txt").read_text(encoding="utf-8")
    for path in PATHS:
        assert f'url: "{built.settings.site_url}{page_of(path)}"' in full, path
