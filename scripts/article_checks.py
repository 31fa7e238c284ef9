"""Checks of one article's Markdown source, each problem with its line and its fix.

Front matter, `{{ settings }}`, question headings and their anchors, reading level,
long sentences, filler phrases and review dates. Links and published links need the
built site: see scripts/site_checks.py.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jinja2
import markdown

from scripts import law_checks
from scripts.law_records import LawRecord, template_context
from scripts.problems import Problem, error, warning
from scripts.readability import MAX_SENTENCE_WORDS, grade, long_sentences
from search_api.listening.report import add_months, review_months
from search_api.site import phrasings as phrasing_blocks
from search_api.site.front_matter import FrontMatterError, parse as parse_front_matter

LAW_FOLDERS = ("law-changes/", "ai/")
OTHER_HEADINGS = ("Sources", "See also")  # the only `##` headings that need not be questions
HOME_PAGE = "index.md"  # a list of links under section headings: no questions, no sentences
MAX_DESCRIPTION_CHARS = 160
WARN_GRADE, MAX_GRADE = 8.0, 10.0
FILLER = {
    r"we apologi[sz]e for any inconvenience": "say what went wrong and what happens next",
    r"please be patient": "say when they will hear from us instead",
    r"as per": 'write "under" or "according to"',
    r"i understand your frustration": "answer the question instead",
    r"kindly": 'leave it out, or write "please"',
    r"rest assured": "state the fact plainly",
}
_FILLER = [(re.compile(rf"\b{pattern}\b", re.I), fix) for pattern, fix in FILLER.items()]
_HEADING = re.compile(r"^(#{1,6})(?!#)(.*)$")
_ATTR_LIST = re.compile(r"[ ]+\{:?[ ]*([^\}\n ][^\n]*)[ ]*\}[ ]*$")  # Python-Markdown's attr_list rule
_ATTR_NO_SPACE = re.compile(r"\S\{:?[ ]*#[\w-]+[^}]*\}[ ]*$")
_EXPLICIT_ID = re.compile(r"#([\w-]+)")
_MACRO = re.compile(r"\{\{(.*?)\}\}")
_FENCE = re.compile(r"^\s*(```|~~~)")
_LINK = re.compile(r"\]\(\s*<?https?://")


# What an editor reads for each way front matter can be broken: (what is wrong, the fix).
_FRONT_MATTER_PROBLEMS = {
    "missing": lambda _: ("the file has no front matter",
                          "start it with a line ---, then title:, description:, last_reviewed: and tags:, then a line ---"),
    "unclosed": lambda _: ("the front matter is never closed", "add a line with only --- after the last field (tags:)"),
    "yaml": lambda detail: (f"the front matter is not valid YAML ({detail})",
                            'put quotes around a value with a colon in it, e.g. title: "Tax: what to declare"'),
    "not-a-mapping": lambda _: ("the front matter is not a list of fields",
                                "write one field a line, e.g. title: Mechanical royalties"),
}


@dataclass(frozen=True)
class SiteContext:
    """What every article is checked against: the site's settings and Markdown setup."""

    docs_dir: Path
    base_dir: Path  # paths are printed relative to this folder (where mkdocs.yml is)
    variables: dict[str, Any]  # what `{{ ... }}` may name: `extra:` from mkdocs.yml, and config
    jinja: jinja2.Environment
    extensions: list[Any]
    extension_configs: dict[str, Any]
    slugify: Callable[[str, str], str]
    separator: str
    today: date
    laws: dict[str, LawRecord] = field(default_factory=dict)  # data/laws.yml, by key


@dataclass(frozen=True)
class Heading:
    line: int
    level: int
    text: str  # as written, without the attribute list
    explicit_id: str | None


@dataclass(frozen=True)
class Source:
    shown: str  # the path as printed
    relative: str  # "royalties/mechanical.md", relative to docs_dir
    lines: list[str]
    front: dict[str, Any] | None  # None when the front matter is missing or broken
    body_start: int  # the first line after the front matter (1-based)

    @property
    def is_law(self) -> bool:
        return self.relative.startswith(LAW_FOLDERS)

    def key_line(self, key: str) -> int:
        """The front matter line that sets `key` (1 when it is not there)."""
        pattern = re.compile(rf"^{re.escape(key)}\s*:")
        for number, line in enumerate(self.lines[: self.body_start - 1], start=1):
            if pattern.match(line):
                return number
        return 1

    def body_lines(self) -> list[tuple[int, str]]:
        return list(enumerate(self.lines, start=1))[self.body_start - 1:]

    def body(self) -> str:
        """The body with the front matter blanked, so line numbers stay the file's."""
        return "\n" * (self.body_start - 1) + "\n".join(self.lines[self.body_start - 1:])


# --- reading the file -------------------------------------------------------------------

def read_source(path: Path, relative: str, shown: str) -> tuple[Source | None, list[Problem]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError as bad:
        line = raw[: bad.start].count(b"\n") + 1
        return None, [error(shown, line, f"the file is not saved as UTF-8 text (byte 0x{raw[bad.start]:02x})",
                            "save it as UTF-8 in your editor (File > Save with encoding)")]
    lines = text.split("\n")
    try:
        front = parse_front_matter(text)
    except FrontMatterError as bad:
        source = Source(shown, relative, lines, None, 1 if bad.kind in ("missing", "unclosed") else bad.body_line)
        return source, [error(shown, bad.line, *_FRONT_MATTER_PROBLEMS[bad.kind](bad.detail))]
    return Source(shown, relative, lines, front.data, front.body_line), []


def headings(source: Source) -> list[Heading]:
    """ATX headings outside code fences, as Python-Markdown reads them."""
    found, in_fence = [], False
    for number, line in source.body_lines():
        if _FENCE.match(line):
            in_fence = not in_fence
        if in_fence:
            continue
        match = _HEADING.match(line)
        if not match:
            continue
        text = match.group(2).rstrip().rstrip("#").strip()
        explicit = None
        attrs = _ATTR_LIST.search(text)
        if attrs:
            text = text[: attrs.start()].strip()
            id_match = _EXPLICIT_ID.search(attrs.group(1))
            explicit = id_match.group(1) if id_match else None
        found.append(Heading(line=number, level=len(match.group(1)), text=text, explicit_id=explicit))
    return found


# --- front matter ------------------------------------------------------------------------

def as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _date_field(source: Source, key: str, today: date) -> tuple[date | None, list[Problem]]:
    line = source.key_line(key)
    value = source.front.get(key) if source.front else None
    if value is None:
        return None, [error(source.shown, line, f"the front matter has no {key}",
                            f"add {key}: YYYY-MM-DD, e.g. {key}: {today.isoformat()}")]
    when = as_date(value)
    if when is None:
        return None, [error(source.shown, line, f"{key} '{value}' is not a real date",
                            f"write it as YYYY-MM-DD, e.g. {key}: {today.isoformat()}")]
    if when > today:
        return when, [error(source.shown, line, f"{key} {when.isoformat()} is in the future",
                            f"use the date the facts were checked, {today.isoformat()} at the latest")]
    return when, []


def _text_field(source: Source, key: str, example: str) -> list[Problem]:
    value = source.front.get(key) if source.front else None
    if not isinstance(value, str) or not value.strip():
        what = f"the front matter has no {key}" if value is None else f"{key} must be text"
        return [error(source.shown, source.key_line(key), what, f"add {key}: {example}")]
    return []


def front_matter_problems(source: Source, today: date) -> list[Problem]:
    if source.front is None:
        return []
    front, shown = source.front, source.shown
    problems = _text_field(source, "title", "the article's title, as in its # heading")
    problems += _text_field(source, "description", "one sentence, at most 160 characters, that answers the page")
    description = front.get("description")
    if isinstance(description, str) and len(description) > MAX_DESCRIPTION_CHARS:
        problems.append(error(shown, source.key_line("description"),
                              f"description is {len(description)} characters long; the limit is {MAX_DESCRIPTION_CHARS}",
                              "shorten it to one plain sentence"))
    problems += _date_field(source, "last_reviewed", today)[1]
    tags = front.get("tags")
    if not isinstance(tags, list) or not tags or not all(isinstance(t, (str, int, float)) and str(t).strip() for t in tags):
        what = "the front matter has no tags" if tags is None else "tags must be a list of words"
        problems.append(error(shown, source.key_line("tags"), what,
                              "write them as tags: [royalties, radio play, royalites]"))
    return problems


def review_due(source: Source, today: date) -> list[Problem]:
    reviewed = as_date(source.front.get("last_reviewed")) if source.front else None
    if reviewed is None or reviewed > today:
        return []
    months = review_months(source.relative)  # the same periods as `make report`
    due = add_months(reviewed, months)
    if due > today:
        return []
    kind = "law and AI articles" if source.is_law else "articles"
    return [warning(source.shown, source.key_line("last_reviewed"),
                    f"review due since {due.isoformat()} (last reviewed {reviewed.isoformat()}; "
                    f"{kind} are reviewed every {months} months)",
                    "check the facts and sources, then set last_reviewed to the day you checked", due=due)]


# --- settings ({{ ... }}) ------------------------------------------------------------------

def setting_names(variables: dict[str, Any], prefix: str = "") -> list[str]:
    names = []
    for key, value in variables.items():
        if isinstance(value, dict):
            names += setting_names(value, f"{prefix}{key}.")
        elif not prefix:
            continue  # top-level values (config, page) are not settings to suggest
        else:
            names.append(prefix + key)
    return names


def _context(source: Source, site: SiteContext) -> dict[str, Any]:
    front = source.front or {}
    return {**site.variables, **template_context(site.laws, source.relative),
            "page": {"meta": front, "title": front.get("title", "")}}


def macro_problems(source: Source, site: SiteContext) -> list[Problem]:
    extra = {key: value for key, value in site.variables.items() if key != "config"}
    extra["laws"] = {"KEY": {"now": "", "news": "", "summary": ""}}  # one example, not every record's fields
    names = ", ".join("{{ %s }}" % n for n in setting_names(extra))
    problems = []
    for number, line in source.body_lines():
        for match in _MACRO.finditer(line):
            expression = match.group(1).strip()
            try:
                str(site.jinja.compile_expression(expression, undefined_to_none=False)(**_context(source, site)))
            except Exception:  # jinja raises syntax, undefined and type errors alike
                problems.append(error(source.shown, number, f"{{{{ {expression} }}}} is not one of our settings",
                                      f"use one of: {names}"))
    try:
        site.jinja.parse(source.body())
    except jinja2.TemplateSyntaxError as bad:
        if any(p.line == bad.lineno for p in problems):
            return problems
        problems.append(error(source.shown, bad.lineno or 1,
                              f"this line has a {{{{, {{% or {{## that cannot be read ({bad.message})",
                              "write settings as {{ org.name }}; do not type {{ or {% in plain text"))
    return problems


def rendered_body(source: Source, site: SiteContext) -> str:
    """The body as the site will show it, settings filled in (or read as words if broken)."""
    try:
        return site.jinja.from_string(source.body()).render(**_context(source, site))
    except Exception:  # already reported by macro_problems
        return _MACRO.sub("the society", source.body())


# --- headings and anchors ------------------------------------------------------------------

def heading_problems(source: Source, found: list[Heading]) -> list[Problem]:
    problems = []
    allowed = " and ".join(f'"{h}"' for h in OTHER_HEADINGS)
    for h in found:
        raw = source.lines[h.line - 1]
        if _ATTR_NO_SPACE.search(raw) and not _ATTR_LIST.search(raw):
            brace = raw.rindex("{")
            problems.append(error(source.shown, h.line, f'heading "{raw.lstrip("#").strip()}" needs a space before "{{"',
                                  f'write it as "{raw[:brace].rstrip()} {raw[brace:].strip()}"'))
            continue
        if h.level != 2 or source.relative == HOME_PAGE:
            continue
        plain = h.text.rstrip("*_ ")
        if not plain.endswith("?") and plain.lower() not in {o.lower() for o in OTHER_HEADINGS}:
            problems.append(error(source.shown, h.line, f'heading "{h.text}" is not a question',
                                  f'reword it as the question a creator would ask, ending in "?" '
                                  f"(only {allowed} may be other headings)"))
    titles = [h for h in found if h.level == 1]
    if not titles:
        problems.append(warning(source.shown, source.body_start, "the article has no # title line",
                                "add one line: # and the title, after the front matter"))
    for extra in titles[1:]:
        problems.append(warning(source.shown, extra.line, f'a second # title line: "{extra.text}"',
                                "use ## for questions; an article has one # title"))
    if source.is_law:
        problems += _sources_problems(source, found)
    return problems


def _sources_problems(source: Source, found: list[Heading]) -> list[Problem]:
    sources = next((h for h in found if h.level == 2 and h.text.lower() == "sources"), None)
    if sources is None:
        last = max((n for n, line in enumerate(source.lines, start=1) if line.strip()), default=1)
        return [error(source.shown, last, "a law or AI article needs a ## Sources section",
                      "add ## Sources at the end, with - [Title](https://...) — Publisher, date for each source")]
    after = next((h.line for h in found if h.line > sources.line and h.level <= 2), len(source.lines) + 1)
    if not any(_LINK.search(line) for line in source.lines[sources.line: after - 1]):
        return [error(source.shown, sources.line, "## Sources lists no links",
                      "add each source as - [Title](https://...) — Publisher, date")]
    return []


def _toc_tokens(body: str, site: SiteContext) -> list[dict[str, Any]]:
    converter = markdown.Markdown(extensions=site.extensions, extension_configs=site.extension_configs)
    converter.convert(body)
    flat: list[dict[str, Any]] = []

    def walk(tokens: list[dict[str, Any]]) -> None:
        for token in tokens:
            flat.append(token)
            walk(token.get("children", []))

    walk(getattr(converter, "toc_tokens", []))
    return flat


def anchor_problems(source: Source, found: list[Heading], body: str, site: SiteContext) -> list[Problem]:
    """Two headings that would share an anchor (Python-Markdown would add _1 to the second)."""
    tokens = _toc_tokens(body, site)
    if len(tokens) != len(found):
        return []  # headings inside HTML blocks: leave them to the build
    problems, first_line = [], {}
    for heading, token in zip(found, tokens):
        wanted = heading.explicit_id or site.slugify(html.unescape(token["name"]), site.separator)
        if wanted in first_line:
            problems.append(error(source.shown, heading.line,
                                  f'heading "{heading.text}" has the same anchor #{wanted} as the heading on line {first_line[wanted]}',
                                  "reword one of them, so each question has its own link"))
        else:
            first_line[wanted] = heading.line
    return problems


# --- other phrasings of a question ------------------------------------------------------------

def phrasing_problems(source: Source, found: list[Heading]) -> list[Problem]:
    """Each `<!-- also asked:` block sits under a `##` question, lists something, once."""
    problems: list[Problem] = []
    seen_under: dict[int, int] = {}  # heading line -> the line of its first block
    seen: dict[str, int] = {}
    example = "<!-- also asked:, then one line per phrasing starting with - , then -->"
    for block in phrasing_blocks.from_markdown(source.lines):
        above = [h for h in found if h.line < block.line]
        heading = above[-1] if above else None
        if not block_closed(source, block):
            problems.append(error(source.shown, block.line, 'the "also asked" comment is never closed',
                                  "end it with a line --> after the last phrasing"))
        if heading is None or heading.level != 2 or heading.text.lower() in {o.lower() for o in OTHER_HEADINGS}:
            problems.append(error(source.shown, block.line, 'an "also asked" list that is not under a ## question',
                                  "move it right under the ## question it belongs to"))
            continue
        if heading.line in seen_under:
            problems.append(error(source.shown, block.line,
                                  f'a second "also asked" list for "{heading.text}" (the first is on line {seen_under[heading.line]})',
                                  "keep one list per question: move these phrasings into the first"))
        seen_under.setdefault(heading.line, block.line)
        if not block.phrasings:
            problems.append(error(source.shown, block.line, f'the "also asked" list under "{heading.text}" is empty',
                                  f"add the ways creators ask it, one a line ({example}), or remove the comment"))
        for line, text in block.phrasings:
            if "<" in text or "-->" in text:
                problems.append(error(source.shown, line, f'the phrasing "{text}" has a < or -->',
                                      "write it as a creator would type it, in plain words"))
            norm = phrasing_blocks.key(text)
            if norm in seen:
                problems.append(error(source.shown, line, f'the phrasing "{text}" is listed twice (first on line {seen[norm]})',
                                      "keep it under the one question it asks"))
            seen.setdefault(norm, line)
    return problems


def block_closed(source: Source, block: phrasing_blocks.Written) -> bool:
    return "-->" in source.lines[block.end_line - 1]


def shared_phrasing_problems(sources: list[Source]) -> list[Problem]:
    """A phrasing under two questions in different articles: search cannot tell them apart."""
    first: dict[str, tuple[str, int]] = {}
    problems: list[Problem] = []
    for source in sources:
        for block in phrasing_blocks.from_markdown(source.lines):
            for line, text in block.phrasings:
                norm = phrasing_blocks.key(text)
                if norm in first and first[norm][0] != source.shown:
                    where, at = first[norm]
                    problems.append(error(source.shown, line, f'the phrasing "{text}" is also under a question in {where}:{at}',
                                          "keep it under the one question it really asks, and reword or remove the other"))
                first.setdefault(norm, (source.shown, line))
    return problems


# --- wording -------------------------------------------------------------------------------

def reading_problems(text: str, shown: str, title_line: int) -> list[Problem]:
    problems = []
    level = grade(text)
    long = long_sentences(text)
    hint = "split long sentences and use everyday words"
    if long:
        hint += "; the longest start on line " + ", ".join(str(s.line) for s in sorted(long, key=lambda s: -s.words)[:3])
    if level > MAX_GRADE:
        problems.append(error(shown, title_line, f"reading level is grade {level:.1f}; the limit is {MAX_GRADE:.0f}", hint))
    elif level > WARN_GRADE:
        problems.append(warning(shown, title_line, f"reading level is grade {level:.1f}; aim for {WARN_GRADE:.0f} or lower", hint))
    for sentence in long:
        start = " ".join(sentence.text.split()[:8])
        problems.append(warning(shown, sentence.line, f"a sentence of {sentence.words} words (more than {MAX_SENTENCE_WORDS})",
                                f'split "{start}…" into two'))
    return problems


def filler_problems(source: Source) -> list[Problem]:
    problems, in_fence = [], False
    for number, line in source.body_lines():
        if _FENCE.match(line):
            in_fence = not in_fence
        for pattern, fix in _FILLER:
            match = None if in_fence else pattern.search(line)
            if match:
                problems.append(warning(source.shown, number, f'"{match.group(0)}" is filler creators dislike', fix))
    return problems


def check_article(path: Path, site: SiteContext) -> list[Problem]:
    """Every problem in one article's source, each with its line and its fix."""
    relative = path.relative_to(site.docs_dir).as_posix()
    shown = os_relative(path, site.base_dir)
    source, problems = read_source(path, relative, shown)
    if source is None:
        return problems
    problems += front_matter_problems(source, site.today)
    problems += law_checks.front_matter_problems(source, site.laws)
    problems += law_checks.hand_status_problems(source, site.laws)
    problems += review_due(source, site.today)
    macro = macro_problems(source, site)
    problems += macro
    found = headings(source)
    problems += heading_problems(source, found)
    problems += phrasing_problems(source, found)
    body = rendered_body(source, site) if not macro else _MACRO.sub("the society", source.body())
    try:
        problems += anchor_problems(source, found, body, site)
    except Exception as bad:  # Python-Markdown gave up on this file
        problems.append(error(shown, 1, f"the Markdown cannot be read ({type(bad).__name__}: {bad})",
                              "look for an unclosed ``` code block or HTML tag"))
    title_line = next((h.line for h in found if h.level == 1), source.body_start)
    problems += filler_problems(source)
    if relative != HOME_PAGE:
        problems += reading_problems("\n".join(source.lines), source.shown, title_line)
    return problems


def os_relative(path: Path, base: Path) -> str:
    """`path` relative to `base` when it is inside it, else as it is."""
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return str(path)
