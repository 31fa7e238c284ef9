"""The law records: one record per tracked law, Bill or court case, read from data/laws.yml.

Every page that states where a tracked law stands takes it from here, so an editor
changes a status or a date once. The MkDocs build loads this file as the macros
plugin's module (mkdocs.yml, `module_name`): pages write `{{ laws.copyright_bill.now }}`,
`{{ law_news("copyright_bill") }}` or `{{ law_table() }}`, and a law page's front matter
says `law: copyright_bill` to get the status banner. `make check` reads the same records
(scripts/article_checks.py) to stop statuses typed by hand and to warn on stale records.
"""

# No `from __future__ import annotations`: mkdocs-macros loads this file without
# registering it in sys.modules, and dataclasses then cannot read string annotations.
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

LAWS_FILE = Path(__file__).resolve().parent.parent / "data" / "laws.yml"
LAWS_NAME = Path("data") / "laws.yml"
STATUSES = ("proposed", "passed", "in force", "in court", "unclear")
# The words after "Status:" in the banner and the tracker, one phrase per status.
STATUS_LABELS = {
    "proposed": "proposed, not law",
    "passed": "passed by lawmakers, not in force yet",
    "in force": "in force, this is the law now",
    "in court": "before a court, not settled",
    "unclear": "unclear, not settled",
}
TRACKER = "all"  # `law: all` on the tracker page: its banner covers every record
REQUIRED = ("title", "name", "where", "status", "now", "summary", "as_of", "checked", "review_months", "sources")


class LawFileError(ValueError):
    """data/laws.yml cannot be used; `line` is where the problem is."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Source:
    title: str
    url: str
    publisher: str
    date: str  # as the source shows it: "2026-06-26", "2026", "undated"


@dataclass(frozen=True)
class LawRecord:
    key: str
    line: int  # where the record starts in data/laws.yml
    title: str  # "South Africa's Copyright Amendment Bill": the tracker's first column
    name: str  # "the Copyright Amendment Bill": for sentences
    where: str
    status: str
    now: str  # one sentence: where it stands today
    summary: str  # the tracker's "Is it law today?" cell, a few short sentences
    as_of: date  # the date of the newest fact we have
    checked: date  # the day an editor last searched for anything newer
    review_months: int  # search again this often
    page: str  # the article about it, relative to docs/ ("" when none)
    mentions: tuple[str, ...]  # the names pages use for it, for `make check`
    sources: tuple[Source, ...]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def banner(self) -> str:
        return f"Status: {self.status_label}. Checked {long_date(self.checked)}."

    @property
    def news(self) -> str:
        """When our newest fact is from, and when we last looked for a newer one."""
        if self.as_of >= self.checked:
            return f"We checked this on {long_date(self.checked)}."
        return (f"Our newest news on this is from {long_date(self.as_of)}. "
                f"We checked again on {long_date(self.checked)} and found nothing newer.")


def laws_file_for(site_dir: Path) -> Path:
    """The records a site uses: data/laws.yml beside its mkdocs.yml, else this project's own."""
    own = site_dir / LAWS_NAME
    return own if own.is_file() else LAWS_FILE


def long_date(when: date) -> str:
    """3 December 2026: the one date format readers see."""
    return f"{when.day} {when.strftime('%B %Y')}"


def _as_date(value: object, line: int, field: str, key: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise LawFileError(line, f"{key}: {field} '{value}' is not a date (write it as YYYY-MM-DD)") from None


def _source(item: object, line: int, key: str) -> Source:
    if not isinstance(item, dict) or not all(str(item.get(f, "")).strip() for f in ("title", "url", "publisher", "date")):
        raise LawFileError(line, f"{key}: each source needs title, url, publisher and date")
    return Source(title=str(item["title"]), url=str(item["url"]), publisher=str(item["publisher"]), date=str(item["date"]))


def _record(key: str, fields: object, line: int) -> LawRecord:
    if not isinstance(fields, dict):
        raise LawFileError(line, f"{key}: a record is a list of fields (title:, name:, status:, ...)")
    missing = [f for f in REQUIRED if fields.get(f) in (None, "", [])]
    if missing:
        raise LawFileError(line, f"{key}: the record has no {', '.join(missing)}")
    status = str(fields["status"]).strip()
    if status not in STATUSES:
        raise LawFileError(line, f"{key}: status '{status}' is not one we show (use one of: {', '.join(STATUSES)})")
    months = fields["review_months"]
    if not isinstance(months, int) or months < 1:
        raise LawFileError(line, f"{key}: review_months must be a whole number of months, e.g. 3")
    return LawRecord(
        key=key, line=line, title=str(fields["title"]), name=str(fields["name"]), where=str(fields["where"]),
        status=status, now=str(fields["now"]).strip(), summary=str(fields["summary"]).strip(),
        as_of=_as_date(fields["as_of"], line, "as_of", key), checked=_as_date(fields["checked"], line, "checked", key),
        review_months=months, page=str(fields.get("page") or ""),
        mentions=tuple(str(m) for m in fields.get("mentions") or ()),
        sources=tuple(_source(s, line, key) for s in fields["sources"]),
    )


def load_records(path: Path = LAWS_FILE) -> dict[str, LawRecord]:
    """Every record in the file, in its order. Raises LawFileError naming the line."""
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as bad:
        mark = getattr(bad, "problem_mark", None)
        raise LawFileError(mark.line + 1 if mark else 1, f"not valid YAML ({getattr(bad, 'problem', bad)})") from None
    if not isinstance(data, dict):
        raise LawFileError(1, "the file must be a list of records, each under its key (copyright_bill: ...)")
    lines = {k.value: k.start_mark.line + 1 for k, _ in root.value} if root is not None else {}
    return {str(key): _record(str(key), fields, lines.get(key, 1)) for key, fields in data.items()}


# --- what pages and templates see ----------------------------------------------------------

def record_variables(record: LawRecord) -> dict[str, Any]:
    return {
        "key": record.key, "title": record.title, "name": record.name, "where": record.where,
        "status": record.status, "status_label": record.status_label, "now": record.now,
        "summary": record.summary, "as_of": record.as_of.isoformat(), "as_of_text": long_date(record.as_of),
        "checked": record.checked.isoformat(), "checked_text": long_date(record.checked),
        "banner": record.banner, "news": record.news, "page": record.page,
    }


def tracker_banner(records: dict[str, LawRecord]) -> str:
    oldest = min(r.checked for r in records.values())
    return f"Status: each change below has its own status. Checked {long_date(oldest)}."


def law_table(records: dict[str, LawRecord], from_page: str) -> str:
    """The tracker: one Markdown table row per record, links relative to `from_page`."""
    rows = ["| Change | Where | Status | Is it law today? | Newest news | Checked | Read more |",
            "|---|---|---|---|---|---|---|"]
    for r in records.values():
        more = f"[{r.title}]({relative_link(from_page, r.page)})" if r.page else ""
        rows.append(f"| {r.title} | {r.where} | {r.status_label.capitalize()} | {r.summary} "
                    f"| {long_date(r.as_of)} | {long_date(r.checked)} | {more} |")
    return "\n".join(rows)


def relative_link(from_page: str, target: str) -> str:
    """`target` (relative to docs/) as a link written in `from_page` (also relative to docs/)."""
    depth = from_page.count("/")
    return "../" * depth + target


def template_context(records: dict[str, LawRecord], page_path: str = "") -> dict[str, Any]:
    """The variables and macros pages may use, for the build and for `make check` alike."""
    return {
        "laws": {key: record_variables(r) for key, r in records.items()},
        "law_news": lambda key: records[key].news,
        "law_banner": lambda key: records[key].banner,
        "law_table": lambda: law_table(records, page_path),
    }


def page_law_meta(records: dict[str, LawRecord], law: str) -> dict[str, str]:
    """What a law page's banner shows (status, as_of, banner), from its `law:` front matter,
    and the record's checked date (law_checked) for the page's Markdown copy (llms_txt.py)."""
    if law == TRACKER:
        return {"status": "unclear", "as_of": max(r.as_of for r in records.values()).isoformat(),
                "law_checked": min(r.checked for r in records.values()).isoformat(),
                "law_banner": tracker_banner(records)}
    record = records[law]
    return {"status": record.status, "as_of": record.as_of.isoformat(), "law_checked": record.checked.isoformat(),
            "law_banner": record.banner}


# --- the MkDocs build (mkdocs-macros module) -----------------------------------------------

def define_env(env: Any) -> None:
    """mkdocs-macros calls this once per build: the records become variables and macros."""
    records = load_records(laws_file_for(Path(env.project_dir)))
    env.variables.update({k: v for k, v in template_context(records).items() if k == "laws"})
    env.macro(lambda key: records[key].news, "law_news")
    env.macro(lambda key: records[key].banner, "law_banner")
    env.macro(lambda: law_table(records, env.page.file.src_path), "law_table")
    env.variables["law_records"] = records


def on_pre_page_macros(env: Any) -> None:
    """A page with `law:` in its front matter gets its banner's status and dates from the record."""
    law = env.page.meta.get("law")
    records = env.variables["law_records"]
    if law is not None and (str(law) == TRACKER or str(law) in records):  # an unknown key: `make check` names it
        env.page.meta.update(page_law_meta(records, str(law)))
