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
