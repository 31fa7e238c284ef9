"""The built site: strict build, settings rendered, no third-party requests."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from search_api.settings import ROOT

from .conftest import Built

THIRD_PARTY = re.compile(r"""<(?:link|script|img|iframe|source)\b[^>]*\b(?:href|src)=["'](?:https?:)?//(?!127\.0\.0\.1|localhost)""", re.I)


def html_pages(site_dir: Path) -> list[Path]:
    return [p for p in site_dir.rglob("*.html") if p.name != "404.html"]


def test_no_page_requests_anything_from_another_host(built: Built) -> None:
    offenders = [str(p) for p in html_pages(built.site_dir) if THIRD_PARTY.search(p.read_text(encoding="utf-8"))]
    assert not offenders, f"pages load third-party resources: {offenders[:5]}"
    assert "fonts.googleapis" not in "".join(p.read_text(encoding="utf-8") for p in html_pages(built.site_dir))


def test_settings_are_rendered_never_left_as_placeholders(built: Built) -> None:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)  # BaseLoader: ignore !ENV
    name = config["extra"]["org"]["name"]
    index_json = (built.site_dir / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "{{" not in index_json and "{%" not in index_json
    for page in html_pages(built.site_dir):
        text = page.read_text(encoding="utf-8")
        assert "{{" not in text, f"{page} shows a raw placeholder"
    home = (built.site_dir / "index.html").read_text(encoding="utf-8")
    assert name in home


def test_home_page_links_to_the_start_here_articles(built: Built) -> None:
    home = (built.site_dir / "index.html").read_text(encoding="utf-8")
    for path in ("start-here/what-we-do/", "start-here/who-earns-what/", "start-here/join/", "start-here/glossary/"):
        assert f'href="{path}"' in home, f"the home page does not link to {path}"


def test_the_site_is_built_with_materials_security_release_and_mkdocs_1(built: Built) -> None:
    # mkdocs-material 9.8.2 is the 9.x security release (9.x ends on 5 May 2027); MkDocs 2
    # is a different program that Material does not support, so the pin stays below it.
    page = (built.site_dir / "index.html").read_text(encoding="utf-8")
    generator = re.search(r'<meta name="generator" content="mkdocs-(\d+)\.[\d.]+, mkdocs-material-([\d.]+)">', page)
    assert generator, "the built page names no generator"
    mkdocs_major, material = int(generator[1]), tuple(int(n) for n in generator[2].split("."))
    assert mkdocs_major < 2 and (9, 8, 2) <= material < (10,), generator[0]
