"""Print the editors' report: searches that found nothing or nothing confident, the
questions with the most "No" answers, and the articles due for review.

Usage: python -m scripts.report [--format text|csv|html] [--days N] [--rows N]

Reads FEEDBACK_DB, the index at INDEX_DIR (to name the nearest question of each failed
search) and the articles in DOCS_DIR. It only reads: it creates no database.
"""

from __future__ import annotations

import argparse
import sys

from whoosh.index import Index

from search_api.listening.store import FeedbackStore, StoreUnavailable, utc_today
from search_api.engine.index import IndexUnavailable, LiveIndex
from search_api.listening.report import DEFAULT_ROWS, build_report
from search_api.listening.report_formats import render_csv, render_html, render_text
from search_api.settings import Settings


def open_question_index(settings: Settings) -> Index | None:
    try:
        ix, _ = LiveIndex(settings.index_dir).get()
    except IndexUnavailable as error:
        print(f"No nearest questions in this report: {error}", file=sys.stderr)
        return None
    return ix


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "))
    parser.add_argument("--format", choices=("text", "csv", "html"), default="text",
                        help="text for the terminal (default), csv for a spreadsheet, html for a browser")
    parser.add_argument("--days", type=int, metavar="N", help="only the last N days (default: all that is kept)")
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, metavar="N",
                        help=f"rows in each part (default {DEFAULT_ROWS})")
    args = parser.parse_args(argv)
    if args.days is not None and args.days < 1 or args.rows < 1:
        parser.error("--days and --rows must be at least 1")
    settings = Settings()
    store = FeedbackStore(settings.feedback_db, settings.retention_days)
    try:
        report = build_report(settings, store, open_question_index(settings), utc_today(),
                              days=args.days, rows=args.rows)
    except StoreUnavailable as error:
        print(f"The feedback database cannot be read: {error}", file=sys.stderr)
        return 1
    finally:
        store.close()
    if args.format == "csv":
        sys.stdout.write(render_csv(report))
    elif args.format == "html":
        sys.stdout.write(render_html(report, settings.public_url + "assets/"))
    else:
        sys.stdout.write(render_text(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
