"""Sections come from the built site, with exactly the ids the pages carry."""

from __future__ import annotations

import re

from .conftest import Built


def test_every_question_heading_is_a_section_with_its_real_id(built: Built) -> None:
    for page in built.pages:
        html = (built.site_dir / page.page / "index.html").read_text(encoding="utf-8")
        h2_ids = re.findall(r'<h2 id="([^"]+)"', html)
        anchors = [s.anchor for s in page.sections]
        expected = [i for i in h2_ids if i not in ("sources", "see-also")]
        assert anchors == expected, f"{page.page}: sections {anchors} != h2 ids {expected}"


def test_sections_have_a_question_and_an_answer(built: Built) -> None:
    sections = [s for p in built.pages for s in p.sections]
    assert len(sections) >= 12
    for s in sections:
        assert s.question and s.answer, f"{s.page}#{s.anchor} has no question or answer"
        assert "<" not in s.answer and "¶" not in s.question


def test_page_metadata_comes_from_front_matter(built: Built) -> None:
    join = next(p for p in built.pages if p.page == "start-here/join/")
    assert join.description and join.tags and re.fullmatch(r"\d{4}-\d{2}-\d{2}", join.last_reviewed)
