"""`make ledger`: the ledger of published links grows from a real build and never shrinks."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.update_ledger import main as ledger_main
from search_api.site.ledger import LedgerEntry, append_to_ledger, format_entry, parse_ledger, read_ledger

from .sitecopy import write_config

FRONT = "---\ntitle: {title}\ndescription: A short answer.\nlast_reviewed: 2026-11-01\ntags: [test]\n---\n"


def write_article(docs: Path, relative: str, title: str, body: str) -> None:
    target = docs / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(FRONT.format(title=title) + f"# {title}\n\nA test page.\n\n{body}", encoding="utf-8")


@pytest.fixture()
def small_site(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    write_article(docs, "index.md", "Home", "## Start\n\n- [Pay](pay.md)\n- [Join](join.md)\n")
    write_article(docs, "pay.md", "Pay", "## When am I paid?\n\nWe pay you in June.\n\n## Sources\n\n- A book\n")
    write_article(docs, "join.md", "Join", "## Who can join?\n\nAny creator can join.\n")
    return write_config(tmp_path, docs)


def test_make_ledger_records_every_page_and_question(small_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ledger = small_site.parent / "published-links.txt"
    assert ledger_main(["--config", str(small_site), "--ledger", str(ledger)]) == 0
    assert capsys.readouterr().out.strip() == f"{ledger}: added 6 links; it now holds 6."
    entries = read_ledger(ledger)
    assert [e.link for e in entries] == ["/", "/join/", "/pay/", "/#start", "/join/#who-can-join", "/pay/#when-am-i-paid"]
    assert entries[-1] == LedgerEntry(link="/pay/#when-am-i-paid", question="When am I paid?",
                                      answer="We pay you in June.", line=entries[-1].line)
    assert ledger.read_text(encoding="utf-8").startswith("# Published links")


def test_make_ledger_appends_and_never_removes(small_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ledger = small_site.parent / "published-links.txt"
    ledger_main(["--config", str(small_site), "--ledger", str(ledger)])
    before = ledger.read_text(encoding="utf-8")
    docs = small_site.parent / "docs"
    (docs / "join.md").unlink()
    (docs / "index.md").write_text((docs / "index.md").read_text().replace("- [Join](join.md)\n", ""))
    write_article(docs, "pay.md", "Pay", "## When am I paid?\n\nIn June.\n\n## How am I paid?\n\nBy bank transfer.\n")
    capsys.readouterr()
    assert ledger_main(["--config", str(small_site), "--ledger", str(ledger)]) == 0
    after = ledger.read_text(encoding="utf-8")
    assert after.startswith(before), "the ledger was rewritten, not appended to"
    assert after[len(before):] == "/pay/#how-am-i-paid\tHow am I paid?\tBy bank transfer.\n"
    assert "/join/#who-can-join" in after  # a removed page stays published
    capsys.readouterr()
    ledger_main(["--config", str(small_site), "--ledger", str(ledger)])
    assert capsys.readouterr().out.strip() == f"{ledger}: added 0 links; it now holds 7."
    assert ledger.read_text(encoding="utf-8") == after


def test_a_site_that_does_not_build_is_not_recorded(small_site: Path) -> None:
    ledger = small_site.parent / "published-links.txt"
    docs = small_site.parent / "docs"
    write_article(docs, "broken.md", "Broken", "## Where?\n\nSee [nowhere](nowhere.md).\n")
    with pytest.raises(SystemExit, match="did not build"):
        ledger_main(["--config", str(small_site), "--ledger", str(ledger)])
    assert not ledger.exists()


def test_entries_survive_the_file_format() -> None:
    entry = LedgerEntry(link="/a/#q", question="Is it\ta tab?", answer="Yes,\nit is.")
    parsed = parse_ledger("# comment\n\n" + format_entry(entry) + "\n/a/\n")
    assert parsed == [LedgerEntry(link="/a/#q", question="Is it a tab?", answer="Yes, it is.", line=3),
                      LedgerEntry(link="/a/", line=4)]
    assert (parsed[0].page, parsed[0].anchor, parsed[1].page, parsed[1].anchor) == ("a/", "q", "a/", "")


def test_appending_keeps_the_order_and_skips_known_links(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.txt"
    assert append_to_ledger(ledger, [LedgerEntry("/b/"), LedgerEntry("/a/")]) == [LedgerEntry("/b/"), LedgerEntry("/a/")]
    assert append_to_ledger(ledger, [LedgerEntry("/a/"), LedgerEntry("/c/")]) == [LedgerEntry("/c/")]
    assert [e.link for e in read_ledger(ledger)] == ["/b/", "/a/", "/c/"]
