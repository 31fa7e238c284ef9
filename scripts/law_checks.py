"""`make check`'s rules for the law records (data/laws.yml) and the pages that use them.

- A law or AI article names its record with `law:` in its front matter; its status and
  dates come from the record, never from the page.
- A sentence that says where a tracked law stands ("the Bill is not law", "as of June")
  must take it from the record: `{{ laws.copyright_bill.now }}`, `{{ law_news("copyright_bill") }}`.
- A record that has not been checked within its review period gets a warning.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from scripts.law_records import TRACKER, LawFileError, LawRecord, load_records
from scripts.problems import Problem, error, warning
from search_api.listening.report import add_months

if TYPE_CHECKING:
    from scripts.article_checks import Source

# Words that say where a law stands. A sentence with one of these and a tracked law's
# name states its status by hand.
_STATUS = re.compile(
    r"\b(not (yet )?(a )?law|is (now )?(a )?law|became law|in force|"
    r"(has|had|have) not (yet )?(been )?signed|not (yet )?(been )?signed|signed (it |them )?into law|"
    r"as of|newest (facts?|information|news|sources?)|still (open|pending|undecided|before)|pending|"
    r"(found|is|was) no (reliable )?(report|news)|after \d{1,2} [A-Z][a-z]+ 20\d\d)\b",
    re.I,
)
# "It is not law": a sentence that names no law speaks of the one the sentence before named.
_PRONOUN = re.compile(r"\b(it|they|them|its|their)\b", re.I)
# "the Bill", "neither Bill": on a page about one Bill, this is that Bill (never "a Bill").
_THE_BILL = re.compile(r"\b(the|this|that|these|both|neither|two|either) (copyright )?Bills?\b", re.I)
# Dates and "no news" words: on a law page, these speak of the page's own law.
_DATED = re.compile(r"\b(as of|newest|no (reliable )?(report|news)|after \d{1,2} [A-Z][a-z]+ 20\d\d)\b", re.I)
_MACRO = re.compile(r"\{\{.*?\}\}")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\[*])")
_FENCE = re.compile(r"^\s*(```|~~~)")
_NOT_PROSE = ("sources", "see also")  # sections of citations and links, dated on purpose
DEFAULT_BILL = "copyright_bill"


def read_records(path: Path, shown: str) -> tuple[dict[str, LawRecord], list[Problem]]:
    if not path.is_file():
        return {}, [error(shown, 1, "the law records file is missing",
                          "restore data/laws.yml from git; every law page takes its status from it")]
    try:
        return load_records(path), []
    except LawFileError as bad:
        return {}, [error(shown, bad.line, str(bad), "fix the record; EDITING.md lists the fields each one needs")]


def record_problems(records: dict[str, LawRecord], today: date, shown: str) -> list[Problem]:
    """Dates that cannot be right, and records whose review period has run out."""
    problems = []
    for r in records.values():
        if r.checked > today:
            problems.append(error(shown, r.line, f"{r.key}: checked {r.checked.isoformat()} is in the future",
                                  f"set checked to the day you searched for news, {today.isoformat()} at the latest"))
        if r.as_of > r.checked:
            problems.append(error(shown, r.line, f"{r.key}: as_of {r.as_of.isoformat()} is after checked {r.checked.isoformat()}",
                                  "as_of is the date of the newest fact you found, so it cannot be after the day you checked"))
        due = add_months(r.checked, r.review_months)
        if due <= today:
            problems.append(warning(
                shown, r.line, f"{r.key}: review due since {due.isoformat()} (last checked {r.checked.isoformat()}; "
                f"this record is checked every {r.review_months} months)",
                "search for news on it, update status, now, summary and as_of if anything changed, "
                "then set checked to today", due=due))
    return problems


def front_matter_problems(source: Source, records: dict[str, LawRecord]) -> list[Problem]:
    """A law page names its record with `law:`, and does not type status or as_of itself."""
    front = source.front or {}
    law = front.get("law")
    known = ", ".join([*records, TRACKER])
    problems = []
    if law is None:
        if source.is_law:
            problems.append(error(source.shown, source.key_line("title"), "a law or AI article needs law: naming its record",
                                  f"add law: with one of: {known} (or add a record to data/laws.yml)"))
        return problems
    if str(law) != TRACKER and str(law) not in records:
        problems.append(error(source.shown, source.key_line("law"), f"law '{law}' is not a record in data/laws.yml",
                              f"use one of: {known}"))
    for key in ("status", "as_of"):
        if key in front:
            problems.append(error(source.shown, source.key_line(key), f"{key} is typed on the page, but it comes from the law record",
                                  f"delete the {key}: line; change it in data/laws.yml under {law}"))
    return problems


def _mentioned(sentence: str, records: dict[str, LawRecord], page_law: str | None) -> LawRecord | None:
    for r in records.values():
        if any(re.search(rf"\b{re.escape(m)}\b", sentence, re.I) for m in r.mentions):
            return r
    if _THE_BILL.search(sentence):
        return records.get(page_law or "") if page_law in records and "bill" in page_law else records.get(DEFAULT_BILL)
    return None


def hand_status_problems(source: Source, records: dict[str, LawRecord]) -> list[Problem]:
    """Sentences that state a tracked law's status or date in the page's own words."""
    if not records:
        return []
    page_law = str((source.front or {}).get("law") or "") or None
    problems, in_fence, skipping = [], False, False
    description = (source.key_line("description"), str((source.front or {}).get("description") or ""))
    for number, line in [description, *source.body_lines()]:
        if _FENCE.match(line):
            in_fence = not in_fence
        if in_fence:
            continue
        if line.startswith("#"):
            skipping = line.lstrip("#").strip().lower() in _NOT_PROSE
            continue  # a heading is a published question: its words stay
        if skipping:
            continue
        last = None
        for sentence in _SENTENCE_END.split(_LINK.sub(r"\1", _MACRO.sub(" ", line))):
            named = _mentioned(sentence, records, page_law)
            status = _STATUS.search(sentence)
            record = named or (last if _PRONOUN.search(sentence) else None)
            if record is None and page_law in records and _DATED.search(sentence):
                record = records[page_law]
            last = named or last
            if status is None or record is None:
                continue
            problems.append(error(
                source.shown, number,
                f'"{status.group(0)}": this sentence states where {record.name} stands by hand',
                f"write {{{{ laws.{record.key}.now }}}} instead (and {{{{ law_news(\"{record.key}\") }}}} for its dates), "
                "so it changes when data/laws.yml does"))
    return problems
