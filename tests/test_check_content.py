"""`make check`: each defect in a small article gives its exact `file:line` message and fix.

The fixture articles are built into a real site by the check itself (MkDocs' own link
validation), next to a small ledger of published links.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from scripts.check_content import main as check_main
from search_api.settings import ROOT, Settings

from .sitecopy import write_config

TODAY = "2026-11-23"
FRONT = "---\ntitle: {title}\ndescription: A short answer.\nlast_reviewed: 2026-11-01\ntags: [test]\n---\n"
LAW_FRONT = FRONT.replace("tags: [test]\n", "tags: [test]\nlaw: test_bill\n")
SOURCES = "\n## Sources\n\n- [The Bill](https://example.org/bill) — Parliament, 2026-10-01\n"


def article(title: str, body: str, front: str = FRONT) -> str:
    return front.format(title=title) + f"# {title}\n\nThis page is a test.\n\n" + body


ARTICLES = {
    "index.md": article("Home", "## Start here\n\n- [Clean](clean.md)\n- [Law](law-changes/clean-law.md)\n"),
    "clean.md": article("Clean", "## Who pays me?\n\nYour society pays you when your song is played.\n\n"
                                 "It sends the money to your bank. You can see each payment.\n\n"
                                 "## See also\n\n- [Law](law-changes/clean-law.md)\n"),
    "law-changes/clean-law.md": article("Clean law", "## Is the Bill law yet?\n\n{{ laws.test_bill.now }} "
                                                     '{{ law_news("test_bill") }}\n' + SOURCES, LAW_FRONT),
    "law-changes/by-hand.md": article("By hand", "## Is the Bill law yet?\n\nThe Bill is not law yet.\n\n"
                                                 "Parliament passed it. As of June 2026 it had not been signed.\n" + SOURCES,
                                      LAW_FRONT.replace("law: test_bill\n", "law: test_bill\nstatus: proposed\n")),
    "no-front-matter.md": "# No front matter\n\n## Is this fine?\n\nIt is not.\n",
    "never-closed.md": "---\ntitle: Never closed\n\n# Never closed\n\nText.\n",
    "bad-yaml.md": "---\ntitle: Bad YAML\ndescription: Tax: what to declare\nlast_reviewed: 2026-11-01\n"
                   "tags: [tax]\n---\n# Bad YAML\n\nText here.\n",
    "fields.md": "---\ndescription: " + "A very long description. " * 7 + "\nlast_reviewed: 2026-13-01\n"
                 "tags: royalties\n---\n# Fields\n\n## Who pays me?\n\nYour society pays you.\n",
    "future.md": FRONT.format(title="Future").replace("2026-11-01", "2027-01-05") + "# Future\n\nText here.\n",
    "law-changes/no-status.md": article("No status", "## Is it settled?\n\nNo court has decided.\n"),
    "ai/bad-status.md": article("Bad status", "## Is it settled?\n\nNo court has decided.\n\n## Sources\n\n- The newspaper\n",
                                LAW_FRONT.replace("law: test_bill", "law: maybe")),
    "headings.md": article("Headings", "## Payment dates\n\nWe pay in June.\n\n## Who pays me?\n\nWe do.\n\n"
                                       "## Who pays me?\n\nWe still do.\n\n## Who collects?{#who}\n\nWe do.\n"),
    "hard.md": article("Hard", "## Why is this hard?\n\nNotwithstanding contractual stipulations, administrative "
                               "organisations distribute remuneration proportionally, considering documented performances,\n"
                               "territorial licensing arrangements, supplementary information, historical precedents, "
                               "international reciprocal agreements, and other extraordinarily complicated considerations "
                               "that creators rarely understand without professional assistance.\n"),
    "medium.md": article("Medium", "## What happens to my registration?\n\nThe society checks your registration against "
                                   "the information and records your publisher provided. Then it confirms the registration "
                                   "details by email.\n"),
    "filler.md": article("Filler", "## When will I be paid?\n\nAs per our rules, we pay in June.\n\n"
                                   "Please be patient while we check.\n"),
    "old.md": article("Old", "## Is this old?\n\nThis page is old.\n").replace("2026-11-01", "2025-09-15"),
    "law-changes/old-law.md": article("Old law", "## Is this old?\n\nThis page is old.\n" + SOURCES,
                                      LAW_FRONT.replace("2026-11-01", "2026-05-01")),
    "explicit.md": article("Explicit", "## What does it cost?\n\nNothing.\n",
                           FRONT.replace("tags: [test]\n", "tags: [test]\nanchor_redirects: {{how-much: what-does-it-cost}}\n")),
    "bad-redirect.md": article("Bad redirect", "## What does it cost?\n\nNothing.\n",
                               FRONT.replace("tags: [test]\n", "tags: [test]\nanchor_redirects: {{old: nowhere}}\n")),
    "removed.md": article("Removed", "## Where is my money?\n\nYour money is in your bank.\n"),
    "links.md": article("Links", "## Where do I go?\n\nRead [the clean page](clean.md).\n\n"
                                 "Read [a missing page](missing.md).\n\nRead [who pays](clean.md#who-pays).\n\n"
                                 "Read [contact](help/contact).\n\nRead [home](/index.md).\n"),
}

# The fixture site's own law records (data/laws.yml beside its mkdocs.yml).
LAWS = """\
test_bill:
  title: The Test Bill
  name: the Test Bill
  where: South Africa
  status: proposed
  now: The Test Bill is not law, because the President has not signed it.
  summary: No. Parliament passed it.
  as_of: 2026-06-26
  checked: 2026-10-01
  review_months: 3
  mentions: [Test Bill]
  sources:
    - {title: The Bill, url: "https://example.org/bill", publisher: Parliament, date: 2026-10-01}
old_bill:
  title: The Old Bill
  name: the Old Bill
  where: South Africa
  status: unclear
  now: The Old Bill is stuck.
  summary: No.
  as_of: 2026-04-01
  checked: 2026-05-01
  review_months: 3
  sources:
    - {title: The Bill, url: "https://example.org/bill", publisher: Parliament, date: 2026-04-01}
"""

LEDGER = """\
# test ledger
/clean/
/clean/#who-pays-me\tWho pays me?\tYour society pays you when your song is played.
/gone/
/gone/#is-it-gone\tIs it gone?\tIt is gone.
/explicit/#how-much\tHow much is it?\tIt costs a lot of money, paid over many years.
/removed/
/removed/#when-do-you-pay\tWhen do you pay?\tWe pay every June and December, into your bank account.
"""


@dataclass(frozen=True)
class CheckRun:
    code: int
    lines: list[str]

    def about(self, path: str) -> list[str]:
        return [line for line in self.lines if line.startswith(f"docs/{path}:")]


def run_check(capsys: pytest.CaptureFixture[str], *args: str) -> CheckRun:
    code = check_main([*args, "--today", TODAY])
    return CheckRun(code=code, lines=capsys.readouterr().out.splitlines())


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("check")
    for relative, text in ARTICLES.items():
        target = folder / "docs" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    (folder / "published-links.txt").write_text(LEDGER, encoding="utf-8")
    (folder / "data").mkdir()
    (folder / "data" / "laws.yml").write_text(LAWS, encoding="utf-8")
    return write_config(folder, folder / "docs")


@pytest.fixture(scope="module")
def report(fixture_site: Path) -> CheckRun:
    # One run of the real check, build included, over every fixture article.
    result = subprocess.run(
        [sys.executable, "-m", "scripts.check_content", "--today", TODAY,
         "--config", str(fixture_site), "--ledger", str(fixture_site.parent / "published-links.txt")],
        cwd=fixture_site.parent, capture_output=True, text=True, env=_env(),
    )
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return CheckRun(code=result.returncode, lines=result.stdout.splitlines())


def _env() -> dict[str, str]:
    import os

    return {**os.environ, "PYTHONPATH": str(ROOT)}


def test_clean_articles_give_no_message(report: CheckRun) -> None:
    for path in ("clean.md", "law-changes/clean-law.md", "index.md", "explicit.md"):
        assert report.about(path) == [], report.about(path)


def test_an_error_makes_the_exit_status_1(report: CheckRun) -> None:
    assert report.code == 1


def test_errors_come_first_then_warnings_then_reviews_then_the_summary(report: CheckRun) -> None:
    errors = [i for i, line in enumerate(report.lines) if " — " in line and _is_error(line)]
    warnings = [i for i, line in enumerate(report.lines) if " — " in line and not _is_error(line)]
    assert errors and warnings and max(errors) < min(warnings)
    reviews = [i for i, line in enumerate(report.lines) if "review due since" in line]
    assert reviews == warnings[-len(reviews):]
    assert re.fullmatch(r"\d+ errors, \d+ warnings in 21 articles \(3 due for review\): fix the errors first\.( .*)?",
                        report.lines[-1]), report.lines[-1]


WARNING_WORDS = ("aim for", "more than 30", "filler", "review due", "no # title", "no ledger", "placeholder")


def _is_error(line: str) -> bool:
    return not any(word in line for word in WARNING_WORDS)


@pytest.mark.parametrize(
    "expected",
    [
        "docs/no-front-matter.md:1: the file has no front matter — start it with a line ---, then title:, "
        "description:, last_reviewed: and tags:, then a line ---",
        "docs/never-closed.md:1: the front matter is never closed — add a line with only --- after the last field (tags:)",
        "docs/bad-yaml.md:3: the front matter is not valid YAML (mapping values are not allowed here) — put quotes "
        'around a value with a colon in it, e.g. title: "Tax: what to declare"',
        "docs/fields.md:1: the front matter has no title — add title: the article's title, as in its # heading",
        "docs/fields.md:2: description is 174 characters long; the limit is 160 — shorten it to one plain sentence",
        "docs/fields.md:3: last_reviewed '2026-13-01' is not a real date — write it as YYYY-MM-DD, e.g. last_reviewed: 2026-11-23",
        "docs/fields.md:4: tags must be a list of words — write them as tags: [royalties, radio play, royalites]",
        "docs/future.md:4: last_reviewed 2027-01-05 is in the future — use the date the facts were checked, 2026-11-23 at the latest",
        "docs/law-changes/no-status.md:2: a law or AI article needs law: naming its record — add law: with one of: "
        "test_bill, old_bill, all (or add a record to data/laws.yml)",
        "docs/law-changes/no-status.md:13: a law or AI article needs a ## Sources section — add ## Sources at the end, "
        "with - [Title](https://...) — Publisher, date for each source",
        "docs/ai/bad-status.md:6: law 'maybe' is not a record in data/laws.yml — use one of: test_bill, old_bill, all",
        "docs/law-changes/by-hand.md:7: status is typed on the page, but it comes from the law record — delete the "
        "status: line; change it in data/laws.yml under test_bill",
        'docs/law-changes/by-hand.md:15: "not law": this sentence states where the Test Bill stands by hand — write '
        '{{ laws.test_bill.now }} instead (and {{ law_news("test_bill") }} for its dates), so it changes when data/laws.yml does',
        'docs/law-changes/by-hand.md:17: "As of": this sentence states where the Test Bill stands by hand — write '
        '{{ laws.test_bill.now }} instead (and {{ law_news("test_bill") }} for its dates), so it changes when data/laws.yml does',
        "data/laws.yml:14: old_bill: review due since 2026-08-01 (last checked 2026-05-01; this record is checked every "
        "3 months) — search for news on it, update status, now, summary and as_of if anything changed, then set checked to today",
        "docs/ai/bad-status.md:16: ## Sources lists no links — add each source as - [Title](https://...) — Publisher, date",
        'docs/headings.md:11: heading "Payment dates" is not a question — reword it as the question a creator would ask, '
        'ending in "?" (only "Sources" and "See also" may be other headings)',
        'docs/headings.md:19: heading "Who pays me?" has the same anchor #who-pays-me as the heading on line 15 — '
        "reword one of them, so each question has its own link",
        'docs/headings.md:23: heading "Who collects?{#who}" needs a space before "{" — write it as "## Who collects? {#who}"',
        "docs/hard.md:7: reading level is grade 31.3; the limit is 10 — split long sentences and use everyday words; "
        "the longest start on line 13",
        "docs/medium.md:7: reading level is grade 9.1; aim for 8 or lower — split long sentences and use everyday words",
        'docs/hard.md:13: a sentence of 33 words (more than 30) — split "Notwithstanding contractual stipulations, administrative '
        'organisations distribute remuneration proportionally,…" into two',
        'docs/filler.md:13: "As per" is filler creators dislike — write "under" or "according to"',
        'docs/filler.md:15: "Please be patient" is filler creators dislike — say when they will hear from us instead',
        "docs/links.md:15: the link 'missing.md' goes to a page that does not exist — check the path: links are "
        "relative to this file and end in .md, e.g. ../help/contact.md",
        "docs/links.md:17: the link 'clean.md#who-pays' goes to an anchor that clean.md does not have — "
        "did you mean 'clean.md#who-pays-me'?",
        "docs/links.md:19: the link 'help/contact' is not a link to an article — link to the article's .md file "
        "(e.g. ../help/contact.md) or write a full https:// address",
        "docs/links.md:21: the link '/index.md' starts with / — use 'index.md'",
        "published-links.txt:4: the published page /gone/ no longer exists — if you moved gone.md, add  "
        "'gone.md': 'new/path.md'  under redirect_maps in mkdocs.yml; if you deleted it, redirect it there to the closest page",
        'docs/removed.md:1: the published link /removed/#when-do-you-pay ("When do you pay?") no longer lands on a question — '
        "if you renamed or removed that question, add  anchor_redirects: {when-do-you-pay: where-is-my-money}  "
        "to the front matter, naming the question that answers it now",
        "docs/bad-redirect.md:6: anchor_redirects sends '#old' to '#nowhere', but no heading on this page has the "
        "anchor '#nowhere' — name an anchor that is on this page, e.g. who-can-join",
        "docs/old.md:4: review due since 2026-09-15 (last reviewed 2025-09-15; articles are reviewed every 12 months) — "
        "check the facts and sources, then set last_reviewed to the day you checked",
        "docs/law-changes/old-law.md:4: review due since 2026-11-01 (last reviewed 2026-05-01; law and AI articles are "
        "reviewed every 6 months) — check the facts and sources, then set last_reviewed to the day you checked",
    ],
)
def test_each_defect_gives_its_exact_message(report: CheckRun, expected: str) -> None:
    assert expected in report.lines, "\n".join(report.lines)


BROKEN = {
    "index.md": FRONT.format(title="Macros") + "# Macros\n\nWrite to {{ contact.email }} or {{ org.nme }}.\n\n"
                                               "Also {{ org.name \n",
    "bytes.md": (FRONT.format(title="Bytes") + "# Bytes\n\nCaf\xe9 music.\n").encode("latin-1"),
}


@pytest.fixture(scope="module")
def broken_report(tmp_path_factory: pytest.TempPathFactory) -> CheckRun:
    """Files MkDocs itself cannot build: the check still names each file and line."""
    folder = tmp_path_factory.mktemp("broken")
    (folder / "docs").mkdir()
    for relative, content in BROKEN.items():
        target = folder / "docs" / relative
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    config = write_config(folder, folder / "docs")
    result = subprocess.run(
        [sys.executable, "-m", "scripts.check_content", "--today", TODAY, "--config", str(config),
         "--ledger", str(folder / "published-links.txt")],
        cwd=folder, capture_output=True, text=True, env=_env(),
    )
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    return CheckRun(code=result.returncode, lines=result.stdout.splitlines())


@pytest.mark.parametrize(
    "expected",
    [
        "docs/bytes.md:9: the file is not saved as UTF-8 text (byte 0xe9) — save it as UTF-8 in your editor "
        "(File > Save with encoding)",
        "docs/index.md:9: {{ org.nme }} is not one of our settings — use one of: {{ org.name }}, {{ org.full_name }}",
        "docs/index.md:11: this line has a {{, {% or {## that cannot be read (unexpected end of template, expected "
        "'end of print statement'.) — write settings as {{ org.name }}; do not type {{ or {% in plain text",
        "mkdocs.yml:1: the site did not build — fix the errors above, then run make check again; "
        "`make site` shows MkDocs' full output",
    ],
)
def test_files_mkdocs_cannot_read_are_named_with_their_line(broken_report: CheckRun, expected: str) -> None:
    assert broken_report.code == 1
    assert any(line.startswith(expected) for line in broken_report.lines), "\n".join(broken_report.lines)


def test_one_file_can_be_checked_without_a_build(fixture_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = run_check(capsys, "--config", str(fixture_site), "--no-build", str(fixture_site.parent / "docs" / "filler.md"))
    assert run.code == 0
    assert [line.split(": ", 1)[0] for line in run.lines[:-1]] == ["docs/filler.md:13", "docs/filler.md:15"]
    assert run.lines[-1] == "0 errors, 2 warnings in 1 article."


def test_an_unreadable_site_configuration_is_one_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: [unclosed\n", encoding="utf-8")
    run = run_check(capsys, "--config", str(config))
    assert run.code == 1
    assert len(run.lines) == 1 and run.lines[0].startswith(f"{config}:1: the site configuration cannot be read (")


def test_the_real_articles_have_no_errors(capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings()
    # Today, not TODAY: the real articles and law records carry the dates they were checked.
    code = check_main(["--config", str(settings.mkdocs_config), "--ledger", str(settings.ledger_file)])
    run = CheckRun(code=code, lines=capsys.readouterr().out.splitlines())
    errors = [line for line in run.lines if " — " in line and _is_error(line)]
    assert run.code == 0, "\n".join(errors)
