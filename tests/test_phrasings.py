"""The editors' other phrasings of a question: written in the Markdown, checked, searched, never shown."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from scripts.check_content import main as check_main
from search_api.site import phrasings

from .conftest import Built
from .sitecopy import write_config
from .test_check_content import FRONT, TODAY, article

UNDER = "## Who pays me?\n\n<!-- also asked:\n- who sends my money\n- where does my money come from\n-->\n\nYour society pays you.\n"
ARTICLES = {
    "good.md": article("Good", UNDER),
    "empty.md": article("Empty", "## When do you pay?\n\n<!-- also asked:\n-->\n\nIn June.\n"),
    "shared.md": article("Shared", "## Who sends the money?\n\n<!-- also asked:\n- Who sends my money?\n-->\n\nWe do.\n"),
    "twice.md": article("Twice", "## How do I join?\n\n<!-- also asked:\n- sign me up\n- how to become a member\n"
                                 "- Sign me up!\n-->\n\nApply online.\n"),
    "orphan.md": "---\ntitle: Orphan\ndescription: A short answer.\nlast_reviewed: 2026-11-01\ntags: [test]\n---\n"
                 "# Orphan\n\n<!-- also asked:\n- lost phrasing\n-->\n\nThis page is a test.\n",
    "unclosed.md": article("Unclosed", "## Is it closed?\n\n<!-- also asked:\n- never closed\n\nNo.\n"),
}


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("phrasings")
    for name, text in ARTICLES.items():
        (folder / "docs").mkdir(exist_ok=True)
        (folder / "docs" / name).write_text(text, encoding="utf-8")
    config = write_config(folder, folder / "docs")
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        check_main(["--config", str(config), "--no-build", "--today", TODAY,
                    *(str(folder / "docs" / n) for n in sorted(ARTICLES))])
    return out.getvalue().splitlines()


def _about(lines: list[str], name: str) -> list[str]:
    return [line for line in lines if line.startswith(f"docs/{name}:")]


def test_a_good_list_gives_no_message(checked: list[str]) -> None:
    assert _about(checked, "good.md") == []


def test_an_empty_list_is_an_error(checked: list[str]) -> None:
    assert any('the "also asked" list under "When do you pay?" is empty' in line for line in _about(checked, "empty.md"))


def test_a_phrasing_under_two_questions_is_an_error(checked: list[str]) -> None:
    # Case and punctuation aside, "Who sends my money?" is good.md's "who sends my money".
    assert any('the phrasing "Who sends my money?" is also under a question in docs/good.md:' in line
               for line in _about(checked, "shared.md")), checked


def test_a_phrasing_listed_twice_under_one_question_is_an_error(checked: list[str]) -> None:
    assert any('the phrasing "Sign me up!" is listed twice' in line for line in _about(checked, "twice.md"))


def test_a_list_outside_a_question_is_an_error(checked: list[str]) -> None:
    assert any("not under a ## question" in line for line in _about(checked, "orphan.md"))


def test_an_unclosed_list_is_an_error(checked: list[str]) -> None:
    assert any('the "also asked" comment is never closed' in line for line in _about(checked, "unclosed.md"))


def test_the_built_page_keeps_the_phrasings_for_the_index_only(built: Built) -> None:
    # Read from the real built site: under their own heading id, and not in the text
    # Material's search (or a reader) sees.
    page = (built.site_dir / "royalties" / "needletime" / "index.html").read_text(encoding="utf-8")
    asked = phrasings.from_html(page)["what-is-needletime"]
    assert asked and all(a.strip() for a in asked)
    shown = json.loads((built.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = next(d["text"] for d in shown["docs"] if d["location"] == "royalties/needletime/#what-is-needletime")
    assert asked[0] not in text and "also asked" not in text


def test_every_section_reads_its_phrasings(built: Built) -> None:
    with_phrasings = [s for p in built.pages for s in p.sections if s.asked]
    assert len(with_phrasings) >= 50
    assert not any("also asked:" in s.body or "<!--" in s.body or "also asked:" in s.answer for p in built.pages for s in p.sections)


def test_a_phrasing_finds_its_question_over_http(client: httpx.Client, built: Built) -> None:
    # A phrasing in creators' words that shares no content word with its heading.
    section = next(s for p in built.pages for s in p.sections if s.anchor == "what-happens-to-royalties-when-a-creator-dies")
    phrasing = next(a for a in section.asked if "dad" in a)
    body = client.get("/api/search", params={"q": phrasing}).json()
    assert body["results"][0]["anchor"] == section.anchor
    assert phrasing not in body["results"][0]["answer"] and phrasing not in body["results"][0]["snippet"]


@pytest.fixture()
def docs_copy(tmp_path: Path) -> Path:
    import shutil

    from search_api.settings import Settings

    shutil.copytree(Settings().docs_dir, tmp_path / "docs")
    return write_config(tmp_path, tmp_path / "docs")


def test_one_command_adds_a_suggestion_under_its_question(docs_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from scripts.add_phrasing import main as add_main

    page = docs_copy.parent / "docs" / "registering" / "cue-sheets.md"
    assert add_main(["registering/cue-sheets/#what-is-a-cue-sheet", "  list of music in my film ", "--config", str(docs_copy)]) == 0
    blocks = phrasings.from_markdown(page.read_text(encoding="utf-8").split("\n"))
    texts = [t for b in blocks for _, t in b.phrasings]
    assert "list of music in my film" in texts
    # A second one joins the same list, and a phrasing another question has is refused.
    assert add_main(["registering/cue-sheets/#what-is-a-cue-sheet", "cue sheet meaning", "--config", str(docs_copy)]) == 0
    assert len(phrasings.from_markdown(page.read_text(encoding="utf-8").split("\n"))) == len(blocks)
    assert add_main(["registering/cue-sheets/#who-fills-in-the-cue-sheet", "Cue sheet meaning?", "--config", str(docs_copy)]) == 1
    assert add_main(["registering/cue-sheets/#no-such-question", "anything", "--config", str(docs_copy)]) == 1
    err = capsys.readouterr().err
    assert "already a phrasing in docs/registering/cue-sheets.md" in err and "no ## question with the link #no-such-question" in err
    run = check_main(["--config", str(docs_copy), "--no-build", "--today", TODAY, str(page)])
    assert run == 0


def test_the_pages_markdown_copy_leaves_the_phrasings_out(built: Built) -> None:
    copy = (built.site_dir / "royalties" / "needletime" / "index.html.md").read_text(encoding="utf-8")
    assert "## What is needletime?" in copy
    assert "also asked:" not in copy and "radio money for the recording" not in copy


def test_a_heading_made_from_a_setting_is_found_by_the_built_page(docs_copy: Path, built: Built) -> None:
    from scripts.add_phrasing import main as add_main

    anchor = next(s.anchor for p in built.pages if p.page == "help/contact/" for s in p.sections)
    assert add_main([f"help/contact/#{anchor}", "how do i reach a person", "--config", str(docs_copy),
                     "--site", str(built.site_dir)]) == 0
    source = (docs_copy.parent / "docs" / "help" / "contact.md").read_text(encoding="utf-8").split("\n")
    [block] = [b for b in phrasings.from_markdown(source) if "how do i reach a person" in {t for _, t in b.phrasings}]
    heading = next(i for i in range(block.line - 1, -1, -1) if source[i].startswith("## "))
    assert "{{ org.name }}" in source[heading]
