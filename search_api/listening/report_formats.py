"""The editors' report as plain text (terminal), HTML (browser) and CSV (spreadsheets).

Comments and searches are readers' words: they are escaped for HTML, and a CSV cell
that a spreadsheet would run as a formula gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import textwrap
from html import escape

from search_api.listening.report import FAST_REVIEW, REASON_WORDS, REVIEW_MONTHS, Report, ReviewDue, UnhelpfulQuestion

TITLE = "Editors' report"
FAILED_TITLE = "Searches that found nothing, or nothing confident"
UNHELPFUL_TITLE = 'Questions with the most "No" answers'
SUGGESTED_TITLE = "Suggested phrasings: what agents searched before copying a question"
TEXT_WIDTH = 100
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def review_rule() -> str:
    fast = " and ".join(FAST_REVIEW)
    months = sorted(set(FAST_REVIEW.values()))
    return f"last reviewed more than {REVIEW_MONTHS} months ago; {'/'.join(map(str, months))} months for {fast}"


def reasons_text(reasons: dict[str, int]) -> str:
    return ", ".join(f"{REASON_WORDS.get(r, r)} {n}" for r, n in reasons.items())


def due_text(item: ReviewDue) -> str:
    if item.due_on is None:
        return "never reviewed" if not item.last_reviewed else f"last_reviewed '{item.last_reviewed}' is not a date"
    return f"reviewed {item.last_reviewed}, due {item.due_on.isoformat()}"


def heading_text(report: Report) -> str:
    return (f"{TITLE}, {report.today.isoformat()}: searches and feedback since {report.since.isoformat()} "
            f"({report.counts['searches']:,} searches and {report.counts['feedback']:,} answers kept in all)")


# --- plain text -----------------------------------------------------------------------

def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _unhelpful_lines(item: UnhelpfulQuestion) -> list[str]:
    lines = [f"  {item.no:>4} No, {item.yes} Yes   {item.question.text}", f"              {item.question.url}",
             f"              reasons: {reasons_text(item.reasons)}"]
    for comment in item.comments:
        wrapped = textwrap.wrap(comment, TEXT_WIDTH - 18) or [""]
        lines.append(f'              - "{wrapped[0]}')
        lines += [f"                {line}" for line in wrapped[1:]]
        lines[-1] += '"'
    return lines


def render_text(report: Report) -> str:
    lines = [heading_text(report), "", FAILED_TITLE + " (most frequent first)"]
    if report.failed_searches:
        lines.append(f"  {'times':>5} {'empty':>5}  search (empty: how many times it found nothing at all)")
        lines.append(f"{'':>15}->  the nearest question we have")
    for row in report.failed_searches:
        lines.append(f"  {row.count:>5} {row.no_results:>5}  \"{_shorten(row.search, 60)}\"")
        nearest = f"{row.nearest.text}  {row.nearest.url}" if row.nearest else "(no question shares a word with it)"
        lines.append(f"{'':>15}->  {nearest}")
    if not report.failed_searches:
        lines.append("  None.")
    lines += ["", UNHELPFUL_TITLE]
    for item in report.unhelpful:
        lines += _unhelpful_lines(item)
    if not report.unhelpful:
        lines.append("  None.")
    lines += ["", SUGGESTED_TITLE]
    for row in report.suggested_phrasings:
        lines.append(f"  {row.count:>5}  \"{_shorten(row.phrasing, 60)}\"  ->  {row.question.text}")
        lines.append(f"{'':>9}add it:  {row.command}")
    if not report.suggested_phrasings:
        lines.append("  None.")
    lines += ["", f"Articles due for review: {review_rule()}"]
    for due in report.due_for_review:
        lines.append(f"  {due.page:<45} {_shorten(due.title, 40):<40}  {due_text(due)}")
    if not report.due_for_review:
        lines.append("  None.")
    return "\n".join(lines) + "\n"


# --- HTML -----------------------------------------------------------------------------

def _link(url: str, text: str) -> str:
    return f'<a href="{escape(url)}">{escape(text)}</a>'


def _failed_html(report: Report) -> list[str]:
    if not report.failed_searches:
        return ["<p>None.</p>"]
    rows = [
        f'<tr><td class="n">{row.count}</td><td class="n">{row.no_results}</td><td>{escape(row.search)}</td>'
        f"<td>{_link(row.nearest.url, row.nearest.text) if row.nearest else 'none shares a word'}</td></tr>"
        for row in report.failed_searches
    ]
    return ['<table><thead><tr><th class="n">Searches</th><th class="n">Found nothing</th><th>What people typed</th>'
            "<th>Nearest question</th></tr></thead><tbody>", *rows, "</tbody></table>"]


def _unhelpful_html(report: Report) -> list[str]:
    if not report.unhelpful:
        return ["<p>None.</p>"]
    rows = []
    for item in report.unhelpful:
        comments = "".join(f"<li>{escape(c)}</li>" for c in item.comments)
        rows.append(
            f'<tr><td class="n">{item.no}</td><td class="n">{item.yes}</td>'
            f"<td>{_link(item.question.url, item.question.text)}</td>"
            f"<td>{escape(reasons_text(item.reasons))}</td><td>{f'<ul>{comments}</ul>' if comments else ''}</td></tr>"
        )
    return ['<table><thead><tr><th class="n">No</th><th class="n">Yes</th><th>Question</th><th>Reasons</th>'
            "<th>Comments</th>"
            "</tr></thead><tbody>", *rows, "</tbody></table>"]


def _suggested_html(report: Report) -> list[str]:
    if not report.suggested_phrasings:
        return ["<p>None.</p>"]
    rows = [f'<tr><td class="n">{row.count}</td><td>{escape(row.phrasing)}</td>'
            f"<td>{_link(row.question.url, row.question.text)}</td><td><code>{escape(row.command)}</code></td></tr>"
            for row in report.suggested_phrasings]
    return ['<table><thead><tr><th class="n">Copies</th><th>What the agent searched</th><th>Question copied</th>'
            "<th>To add it (then make check, make index)</th></tr></thead><tbody>", *rows, "</tbody></table>"]


def _due_html(report: Report) -> list[str]:
    if not report.due_for_review:
        return ["<p>None.</p>"]
    rows = [f"<tr><td>{_link(d.url, d.page)}</td><td>{escape(d.title)}</td>"
            f"<td>{escape(due_text(d))}</td></tr>" for d in report.due_for_review]
    return ["<table><thead><tr><th>Page</th><th>Title</th><th>Review</th></tr></thead><tbody>",
            *rows, "</tbody></table>"]


def render_html(report: Report, assets_url: str) -> str:
    """A whole page. No inline style or script: the site's Content-Security-Policy forbids them.

    `assets_url` is the site's assets/ folder (ending in "/"), for the stylesheet and icon.
    """
    parts = [
        "<!doctype html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(TITLE)} {report.today.isoformat()}</title>",
        f'<link rel="stylesheet" href="{escape(assets_url)}stylesheets/editors-report.css">',
        f'<link rel="icon" href="{escape(assets_url)}images/favicon.png">',
        "</head>",
        '<body class="editors-report">', f"<h1>{escape(TITLE)}</h1>",
        f"<p>{escape(heading_text(report).removeprefix(TITLE + ', '))}. "
        '<a href="?format=csv">Download as CSV</a>.</p>',
        f"<h2>{escape(FAILED_TITLE)}</h2>", *_failed_html(report),
        f"<h2>{escape(UNHELPFUL_TITLE)}</h2>", *_unhelpful_html(report),
        f"<h2>{escape(SUGGESTED_TITLE)}</h2>", *_suggested_html(report),
        f"<h2>Articles due for review</h2><p>{escape(review_rule().capitalize())}.</p>",
        *_due_html(report),
        "</body>", "</html>",
    ]
    return "\n".join(parts) + "\n"


# --- CSV ------------------------------------------------------------------------------

def _cell(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def render_csv(report: Report) -> str:
    """One table for all three parts; the `section` column tells them apart."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "count", "text", "url", "detail"])
    for row in report.failed_searches:
        nearest = f"nearest: {row.nearest.text}" if row.nearest else "nearest: none"
        writer.writerow(map(_cell, ["failed_search", row.count, row.search, row.nearest.url if row.nearest else "",
                                    f"{row.no_results} found nothing; {nearest}"]))
    for item in report.unhelpful:
        detail = f"{item.yes} yes; reasons: {reasons_text(item.reasons)}"
        if item.comments:
            detail += "; comments: " + " | ".join(item.comments)
        writer.writerow(map(_cell, ["no_answers", item.no, item.question.text, item.question.url, detail]))
    for row in report.suggested_phrasings:
        writer.writerow(map(_cell, ["suggested_phrasing", row.count, row.phrasing, row.question.url,
                                    f"question: {row.question.text}; add: {row.command}"]))
    for due in report.due_for_review:
        writer.writerow(map(_cell, ["review_due", "", due.title, due.url, due_text(due)]))
    return out.getvalue()
