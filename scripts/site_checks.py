"""Checks that need the built site: MkDocs' own link and anchor validation, and the ledger.

The site is built the way `make site` builds it; MkDocs' warnings are turned into
`file:line` messages with a fix, and every ledger link is followed on the result the
way a browser would (search_api.site.landing).
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from scripts.article_checks import os_relative
from scripts.problems import Problem, error
from search_api.site.anchor_aliases import page_questions, ranked
from search_api.links import source_page
from search_api.site.front_matter import FrontMatterError, parse as parse_front_matter
from search_api.site.html import read_html
from search_api.site.landing import land
from search_api.site.ledger import LedgerEntry
from search_api.links import source_file

_LEVEL = re.compile(r"^(WARNING|ERROR)\s+-\s+(.*)$")
_OTHER_LOG = re.compile(r"^(INFO|DEBUG)\s+-")
_MEAN = r"(?: Did you mean '(?P<mean>[^']+)'\?)?"
_NOT_FOUND = re.compile(rf"Doc file '(?P<src>[^']+)' contains a link '(?P<link>[^']+)', but the target(?: '[^']*')? is not found among documentation files\.{_MEAN}")
_NO_ANCHOR = re.compile(r"Doc file '(?P<src>[^']+)' contains a link '(?P<link>[^']+)', but (?:the doc '(?P<doc>[^']+)' does not contain an anchor '#[^']*'|there is no such anchor on this page)\.")
_UNRECOGNIZED = re.compile(rf"Doc file '(?P<src>[^']+)' contains an unrecognized relative link '(?P<link>[^']+)', it was left as is\.{_MEAN}")
_ABSOLUTE = re.compile(rf"Doc file '(?P<src>[^']+)' contains an absolute link '(?P<link>[^']+)', it was left as is\.{_MEAN}")
_REDIRECTS = re.compile(r"Doc file '(?P<src>[^']+)': (?P<what>anchor_redirects .*)")
_MACROS = re.compile(r"_File_: `(?P<src>[^`]+)`.*?(?:_Line (?P<line>\d+) in Markdown file:_ \*\*(?P<syntax>.*?)\*\*"
                     r"|_(?P<kind>\w+)_: (?P<what>[^\n]*))", re.S)
_ANY_DOC = re.compile(r"Doc file '(?P<src>[^']+)'")
_WORDS = re.compile(r"^\s*[A-Za-z]")  # a line of prose, not a code fence or Markdown emphasis


@dataclass(frozen=True)
class Build:
    site_dir: Path
    messages: list[str]  # MkDocs' warnings and errors, continuation lines included
    finished: bool  # every page was written (strict mode stops only after writing)
    last_words: str  # the last line MkDocs printed, for a build that broke off


def build_for_check(config_file: Path, site_dir: Path, ledger: Path) -> Build:
    """`mkdocs build` into `site_dir`, reading the anchor redirects' ledger from `ledger`."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "LEDGER_FILE": str(ledger)}
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config_file), "-d", str(site_dir)]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    return Build(
        site_dir=site_dir,
        messages=_messages(lines),
        finished=(site_dir / "search" / "search_index.json").is_file(),
        last_words=next((line.strip() for line in reversed(lines) if _WORDS.match(line)),
                        f"mkdocs exited with status {result.returncode}"),
    )


def _messages(lines: list[str]) -> list[str]:
    messages: list[str] = []
    current: list[str] | None = None
    for line in lines:
        level = _LEVEL.match(line)
        if level:
            current = [level.group(2).strip()]
            messages.append("")
        elif _OTHER_LOG.match(line) or line.startswith("Aborted with"):
            current = None
        elif current is not None:
            current.append(line)
        if current is not None:
            messages[-1] = "\n".join(current)
    return messages


def link_line(path: Path, link: str) -> int:
    """The first line of `path` that holds `link` as a link target (1 if none does)."""
    needles = (f"]({link}", f"]( {link}", f"]: {link}", f'"{link}"', f"<{link}>")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    return next((n for n, line in enumerate(lines, start=1) if any(k in line for k in needles)), 1)


def _anchor_hint(site_dir: Path, doc: str, link: str) -> str:
    anchor = link.partition("#")[2]
    built = site_dir / source_page(doc) / "index.html"
    headings = read_html(built.read_text(encoding="utf-8")).headings if built.is_file() else []
    ids = [h.id for h in headings if h.level >= 2]
    close = difflib.get_close_matches(anchor, ids, n=1, cutoff=0.4)
    target = link.partition("#")[0]
    if close:
        return f"did you mean '{target}#{close[0]}'?"
    return (f"open {doc} and copy the anchor of the question you mean "
            "(the part after # when you click the ¶ beside its heading)")


# MkDocs' message about a link -> what is wrong, the fix, and the fix when MkDocs guessed the link meant.
_LINK_RULES = (
    (_NOT_FOUND, "the link '{link}' goes to a page that does not exist",
     "check the path: links are relative to this file and end in .md, e.g. ../help/contact.md", "did you mean '{mean}'?"),
    (_UNRECOGNIZED, "the link '{link}' is not a link to an article",
     "link to the article's .md file (e.g. ../help/contact.md) or write a full https:// address", "did you mean '{mean}'?"),
    (_ABSOLUTE, "the link '{link}' starts with /",
     "link to the .md file relative to this one, e.g. ../help/contact.md", "use '{mean}'"),
)


def _link_problem(first: str, docs_dir: Path, shown: str, site_dir: Path) -> Problem | None:
    for pattern, what, fix, fix_meant in _LINK_RULES:
        if match := pattern.match(first):
            found = match.groupdict()
            chosen = fix_meant if found["mean"] else fix
            line = link_line(docs_dir / found["src"], found["link"])
            return error(shown, line, what.format(**found), chosen.format(**found))
    if match := _NO_ANCHOR.match(first):
        target = match["doc"] or match["src"]
        return error(shown, link_line(docs_dir / match["src"], match["link"]),
                     f"the link '{match['link']}' goes to an anchor that {target} does not have",
                     _anchor_hint(site_dir, target, match["link"]))
    return None


def message_problems(build: Build, docs_dir: Path, base_dir: Path, config_shown: str,
                     skip_macros_in: set[str], errors_found: bool) -> list[Problem]:
    """MkDocs' own link and anchor warnings, as `file:line: what — fix`.

    `errors_found` says the articles already have errors, which a build that broke off
    most likely broke on: then MkDocs' last words would only repeat them, less clearly.
    """
    problems = []
    for message in build.messages:
        first = message.splitlines()[0] if message else ""
        doc = _ANY_DOC.search(first)
        shown = os_relative(docs_dir / doc.group("src"), base_dir) if doc else config_shown
        if problem := _link_problem(first, docs_dir, shown, build.site_dir):
            problems.append(problem)
        elif match := _REDIRECTS.match(first):
            problems.append(error(shown, _front_matter_line(docs_dir / match["src"], "anchor_redirects"),
                                  match["what"].rstrip("."), "name an anchor that is on this page, e.g. who-can-join"))
        elif match := _MACROS.search(message):
            shown = os_relative(docs_dir / match["src"], base_dir)
            if shown not in skip_macros_in:  # the article check already named the line
                line = _body_offset(docs_dir / match["src"]) + int(match["line"] or 1)
                what = match["syntax"] or f"{match['kind']}: {match['what']}"
                problems.append(error(shown, line, f"a {{{{ setting }}}} could not be filled in ({what})",
                                      "write settings as {{ org.name }}, with the names under extra: in mkdocs.yml"))
        else:
            problems.append(error(shown, 1, f"the site build says: {first}", "fix what it names, then run make check again"))
    if not build.finished:
        detail = "" if errors_found or problems else f" ({build.last_words})"
        problems.append(error(config_shown, 1, f"the site did not build{detail}",
                              "fix the errors above, then run make check again; `make site` shows MkDocs' full output"))
    return problems


def _body_offset(path: Path) -> int:
    """How many lines the front matter takes (MkDocs numbers Markdown lines after it)."""
    try:
        return parse_front_matter(path.read_text(encoding="utf-8")).body_line - 1
    except FrontMatterError as bad:
        return bad.body_line - 1  # 0 when the block itself is missing or never closed
    except (OSError, UnicodeDecodeError):
        return 0


def _front_matter_line(path: Path, key: str) -> int:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    return next((n for n, line in enumerate(lines, start=1) if line.startswith(f"{key}:")), 1)


# --- the ledger of published links ------------------------------------------------------

def ledger_problems(entries: list[LedgerEntry], site_dir: Path, docs_dir: Path, base_dir: Path,
                    ledger_shown: str) -> list[Problem]:
    """One problem per published page that is gone and per question link that no longer lands."""
    problems, lost_pages = [], set()
    published = {e.link for e in entries}
    for entry in entries:
        if entry.page in lost_pages or land(site_dir, entry.page, entry.anchor) is not None:
            continue
        page = land(site_dir, entry.page)
        if page is None:
            lost_pages.add(entry.page)
            problems.append(_lost_page(entry, ledger_shown))
        else:
            problems.append(_lost_question(entry, page.page, site_dir, docs_dir, base_dir, ledger_shown, published))
    return problems


def _lost_page(entry: LedgerEntry, ledger_shown: str) -> Problem:
    old = f"{entry.page.rstrip('/') or 'index'}.md"
    return error(ledger_shown, entry.line, f"the published page /{entry.page} no longer exists",
                 f"if you moved {old}, add  '{old}': 'new/path.md'  under redirect_maps in mkdocs.yml; "
                 "if you deleted it, redirect it there to the closest page")


def _lost_question(entry: LedgerEntry, page: str, site_dir: Path, docs_dir: Path, base_dir: Path,
                   ledger_shown: str, published: set[str]) -> Problem:
    source = source_file(docs_dir, page)
    shown, line = (os_relative(source, base_dir), _front_matter_line(source, "anchor_redirects")) if source \
        else (ledger_shown, entry.line)
    built = site_dir / page / "index.html"
    questions = page_questions(built.read_text(encoding="utf-8")) if built.is_file() else []
    # A renamed question has a link that was never published: suggest those first.
    unpublished = [q for q in questions if f"/{page}#{q.anchor}" not in published]
    scores = ranked(entry, unpublished or questions, {})
    guess = scores[0][1] if scores else "new-anchor"
    question = f' ("{entry.question}")' if entry.question else ""
    return error(shown, line, f"the published link {entry.link}{question} no longer lands on a question",
                 f"if you renamed or removed that question, add  anchor_redirects: {{{entry.anchor}: {guess}}}  "
                 "to the front matter, naming the question that answers it now")
