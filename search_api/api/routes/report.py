"""`GET /api/admin/report`: the editors' report, as HTML in a browser or CSV on request.

Like every admin route it exists only when ADMIN_TOKEN is set (404 otherwise). Besides
`Authorization: Bearer <token>` it takes the token as the password of HTTP Basic
authentication, so an editor can open the report in a browser: the browser asks for a
user name (anything) and a password (the token).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBasic, HTTPBasicCredentials, HTTPBearer
from whoosh.index import Index

from search_api.api import models
from search_api.api.deps import get_index
from search_api.api.routes.admin import token_matches
from search_api.listening.search_log import SearchLog
from search_api.listening.store import FeedbackStore, StoreUnavailable, utc_today
from search_api.listening.report import DEFAULT_ROWS, Report, build_report
from search_api.listening.report_formats import render_csv, render_html, render_text
from search_api.settings import Settings

# The report is served at /api/admin/report; the site's assets are at /assets/.
ASSETS_URL = "../../assets/"

_bearer = HTTPBearer(auto_error=False, description="ADMIN_TOKEN as `Authorization: Bearer <token>`")
_basic = HTTPBasic(auto_error=False, realm="Editors' report",
                   description="Any user name, with ADMIN_TOKEN as the password (for browsers)")


def require_report_reader(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    basic: Annotated[HTTPBasicCredentials | None, Depends(_basic)],
) -> None:
    """404 when ADMIN_TOKEN is unset; 401 (asking the browser for the token) when it is wrong or missing."""
    expected: str = request.app.state.settings.admin_token
    if not expected:
        raise HTTPException(404, "Not Found")
    presented = bearer.credentials if bearer else basic.password if basic else None
    if presented is None or not token_matches(presented, expected):
        raise HTTPException(
            401, "The report needs the admin token: as the password when the browser asks, "
                 "or as the header 'Authorization: Bearer <ADMIN_TOKEN>'.",
            headers={"WWW-Authenticate": 'Basic realm="Editors\' report", charset="UTF-8"'},
        )


ReportReaderDep = Annotated[None, Depends(require_report_reader)]
ReportFormat = Literal["html", "csv", "text"]

router = APIRouter(prefix="/api/admin", tags=["admin"])


def _loaded_index(request: Request) -> Index | None:
    # The report is still useful without the index; it only loses the nearest questions.
    try:
        ix, _ = get_index(request).get()
    except HTTPException:
        return None
    return ix


def current_report(request: Request, days: int | None, rows: int, today: date) -> Report:
    settings: Settings = request.app.state.settings
    store: FeedbackStore = request.app.state.feedback_store
    searches: SearchLog = request.app.state.search_log
    searches.flush()  # what this process was told so far is in the report
    return build_report(settings, store, _loaded_index(request), today, days=days, rows=rows)


_TEXT = {"schema": {"type": "string"}}


@router.get(
    "/report",
    response_class=Response,  # the media type is the format's, documented below
    responses={
        200: {"description": "The report: HTML, or CSV or plain text on request",
              "content": {"text/html": _TEXT, "text/csv": _TEXT, "text/plain": _TEXT}},
        401: {"model": models.ErrorMessage},
        404: {"model": models.ErrorMessage},
        503: {"model": models.ErrorMessage},
    },
)
async def editors_report(
    request: Request,
    _: ReportReaderDep,
    report_format: Annotated[ReportFormat, Query(alias="format", description="html, csv or text")] = "html",
    days: Annotated[int | None, Query(ge=1, le=3650, description="Only the last N days")] = None,
    rows: Annotated[int, Query(ge=1, le=500, description="Rows per part")] = DEFAULT_ROWS,
) -> Response:
    """Failed and low-confidence searches, the questions with the most No answers, and the
    articles due for review. HTML by default; `format=csv` for a spreadsheet."""
    today = utc_today()
    try:
        report = await run_in_threadpool(current_report, request, days, rows, today)
    except StoreUnavailable as error:
        raise HTTPException(503, f"The report cannot be read from the feedback database right now: {error}") from error
    if report_format == "csv":
        return Response(render_csv(report), media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="editors-report-{today.isoformat()}.csv"'})
    if report_format == "text":
        return PlainTextResponse(render_text(report))
    return HTMLResponse(render_html(report, ASSETS_URL))
