"""What readers see near the title: "Checked on <date>" from last_reviewed, and the law's status."""

from __future__ import annotations

import re
from datetime import date

from scripts.law_records import load_records, page_law_meta
from search_api.links import source_file
from search_api.site.front_matter import read_front_matter

from .conftest import Built


def test_every_article_shows_checked_on_right_under_its_title(built: Built) -> None:
    for page in built.pages:
        meta = read_front_matter(source_file(built.settings.docs_dir, page.page))
        reviewed = meta["last_reviewed"]
        html = (built.site_dir / page.page / "index.html").read_text(encoding="utf-8")
        shown = f"{reviewed.day} {reviewed.strftime('%B %Y')}" if isinstance(reviewed, date) else str(reviewed)
        expected = f'</h1><p class="last-reviewed">Checked on <time datetime="{reviewed}">{shown}</time></p>'
        assert expected in html, f"{page.page}: no 'Checked on {shown}' under the title"
        assert html.count('class="last-reviewed"') == 1, f"{page.page} shows its review date more than once"


def test_law_and_ai_articles_show_status_and_as_of_above_the_title(built: Built) -> None:
    law = [p for p in built.pages if p.page.startswith(("law-changes/", "ai/"))]
    assert law
    for page in law:
        html = (built.site_dir / page.page / "index.html").read_text(encoding="utf-8")
        status = re.search(r'<div class="law-status"[^>]*data-status="([^"]+)" data-as-of="([^"]+)"', html)
        assert status, f"{page.page} shows no status"
        meta = read_front_matter(source_file(built.settings.docs_dir, page.page))
        record = page_law_meta(load_records(), str(meta["law"]))  # the page's law record gives both
        assert (status.group(1), status.group(2)) == (record["status"], record["as_of"])
        assert html.index('class="law-status"') < html.index("<h1"), f"{page.page}: the status is not at the top"


def test_the_home_page_shows_no_review_date(built: Built) -> None:
    assert "Checked on" not in (built.site_dir / "index.html").read_text(encoding="utf-8")
