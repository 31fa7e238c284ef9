"""The articles of the content plan: present, well-formed, plain, and indexed."""

from __future__ import annotations

import re
import statistics
from datetime import date
from pathlib import Path

import pytest

from scripts import readability
from scripts.law_records import load_records, page_law_meta

from search_api.site.front_matter import read_front_matter

from .conftest import Built

DOCS = Path(__file__).resolve().parent.parent / "docs"

# The fixed paths of the content plan: agents paste these URLs, so none may go missing.
PLANNED = {
    "start-here": ["what-we-do", "who-earns-what", "join", "glossary"],
    "royalties": ["index", "performance", "mechanical", "needletime", "sync", "streaming", "youtube-and-social",
                  "live-shows", "venues-and-businesses", "how-calculated", "foreign", "unclaimed"],
    "registering": ["register-a-song", "split-sheets", "identifiers", "recordings", "cue-sheets",
                    "covers-and-samples", "fix-a-registration", "beats-and-producers"],
    "getting-paid": ["payment-dates", "read-your-statement", "missing-payment", "bank-details", "tax",
                     "irregular-income", "after-death", "advances"],
    "copyright": ["what-is-copyright", "how-long", "who-owns", "assign-or-license", "publishing-deals",
                  "record-deals", "fair-use", "moral-rights", "protect-online"],
    "law-changes": ["index", "copyright-amendment-bill", "performers-protection-bill", "what-changes-for-you",
                    "reversion-25-years", "eu-dsm-directive", "us-music-modernization-act"],
    "ai": ["ai-and-your-music", "ai-generated-songs"],
    "help": ["contact", "complaints", "scams"],
}
PATHS = [f"{section}/{name}" for section, names in PLANNED.items() for name in names]
LAW_SECTIONS = ("law-changes", "ai")
STATUSES = {"proposed", "passed", "in force", "in court", "unclear"}
NOT_QUESTIONS = {"sources", "see also"}


def source(path: str) -> Path:
    return DOCS / f"{path}.md"


def headings(text: str) -> list[str]:
    return [m.group(1).strip() for m in re.finditer(r"^## (.+?)\s*(?:\{#[^}]*\})?\s*$", text, re.M)]


def grade(path: str) -> float:
    # The same measure as `make check` and the writers' own: one number everywhere.
    return readability.grade(source(path).read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", PATHS)
def test_article_exists_with_front_matter(path: str) -> None:
    assert source(path).is_file(), f"docs/{path}.md is missing"
    meta = read_front_matter(source(path))
    for key in ("title", "description", "last_reviewed", "tags"):
        assert meta.get(key), f"docs/{path}.md: front matter has no {key}"
    assert isinstance(meta["tags"], list) and all(isinstance(t, str) for t in meta["tags"])
    assert len(str(meta["description"])) <= 160, f"docs/{path}.md: description over 160 characters"
    assert isinstance(meta["last_reviewed"], date) and meta["last_reviewed"] <= date.today()


@pytest.mark.parametrize("path", [p for p in PATHS if p != "start-here/glossary"])
def test_article_answers_4_to_10_questions(path: str) -> None:
    found = [h for h in headings(source(path).read_text(encoding="utf-8")) if h.lower() not in NOT_QUESTIONS]
    assert 4 <= len(found) <= 10, f"docs/{path}.md has {len(found)} questions"
    for heading in found:
        assert heading.endswith("?"), f"docs/{path}.md: '## {heading}' is not a question"


def test_glossary_entries_are_questions_with_stable_ids() -> None:
    text = source("start-here/glossary").read_text(encoding="utf-8")
    entries = re.findall(r"^## .+\?\s*\{#[a-z0-9-]+\}\s*$", text, re.M)
    assert len(entries) >= 40


@pytest.mark.parametrize("path", PATHS)
def test_reading_grade_is_8_or_lower(path: str) -> None:
    assert grade(path) <= 8.0, f"docs/{path}.md reads at grade {grade(path):.1f}"


def test_median_grade_is_7_or_lower() -> None:
    assert statistics.median(grade(p) for p in PATHS) <= 7.0


def law_meta(path: str) -> dict[str, str]:
    """The status, as-of date and banner a law page gets from its record in data/laws.yml."""
    return page_law_meta(load_records(), str(read_front_matter(source(path))["law"]))


@pytest.mark.parametrize("path", [p for p in PATHS if p.startswith(LAW_SECTIONS)])
def test_law_articles_carry_status_as_of_and_sources(path: str) -> None:
    text = source(path).read_text(encoding="utf-8")
    meta = law_meta(path)
    assert meta["status"] in STATUSES, f"docs/{path}.md: status {meta['status']!r}"
    assert date.fromisoformat(meta["as_of"]) <= date.today()
    assert headings(text)[-1] == "Sources", f"docs/{path}.md does not end with ## Sources"
    sources = text.split("## Sources", 1)[1]
    assert len(re.findall(r"\]\(https?://", sources)) >= 2, f"docs/{path}.md: fewer than two linked sources"


@pytest.mark.parametrize("path", [p for p in PATHS if p.startswith(LAW_SECTIONS)])
def test_law_pages_show_status_and_as_of_before_the_text(built: Built, path: str) -> None:
    page = path.removesuffix("index").rstrip("/") + "/"
    html = (built.site_dir / page / "index.html").read_text(encoding="utf-8")
    meta = law_meta(path)
    banner = html.find('id="law-status"')
    assert banner != -1, f"/{page} does not show its status"
    assert html.find("<h2", banner) > banner, "the status must come before the first question"
    assert meta["as_of"] in html[banner:banner + 600]
    assert re.search(r"Status: [a-z ,]+\. Checked \d{1,2} [A-Z][a-z]+ \d{4}\.", meta["law_banner"])
    assert meta["law_banner"] in html[banner:banner + 600], f"/{page}: the banner is not the record's one line"


def test_every_planned_question_is_in_the_index(built: Built) -> None:
    indexed = {p.page: p for p in built.pages}
    for path in PATHS:
        page = path.removesuffix("index").rstrip("/") + "/"
        assert page in indexed, f"/{page} is not in the index"
        text = source(path).read_text(encoding="utf-8")
        questions = [h for h in headings(text) if h.lower() not in NOT_QUESTIONS]
        assert len(indexed[page].sections) == len(questions), f"/{page}: not every question is indexed"
