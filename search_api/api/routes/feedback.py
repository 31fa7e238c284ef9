"""Readers' answers to "Did this answer your question?": the API behind the widget.

`GET /api/feedback?page=...` tells the widget which questions on a page take feedback
(the widget shows itself only when this answers); `POST /api/feedback` records one
answer. Nothing identifying is stored: the client address is used only in memory,
for the rate limit, and comments are scrubbed by the store.
"""

from __future__ import annotations

import logging
import math
import time
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from whoosh import query as wq
from whoosh.index import Index

from search_api.api import models
from search_api.api.deps import IndexDep, StoreDep
from search_api.api.routes import report as editors_report
from search_api.links import canonical_page
from search_api.listening.store import Feedback, FeedbackStore, StoreUnavailable
from search_api.engine.index import LiveIndex
from search_api.api.limits import RateLimiter, peer
from search_api.settings import Settings

log = logging.getLogger("search_api.api.routes.feedback")


PageParam = Annotated[str, Query(max_length=300, description="The article's path, e.g. royalties/mechanical/")]


def question_anchors(ix: Index, page: str) -> list[str]:
    """The ids of the page's questions, in the order the page shows them."""
    wanted = wq.And([wq.Term("page", page), wq.Term("kind", "question")])
    with ix.searcher() as searcher:
        found = sorted(searcher.search(wanted, limit=None), key=lambda r: r.docnum)
        return [r["anchor"] for r in found]


def has_question(ix: Index, page: str, anchor: str) -> bool:
    with ix.searcher() as searcher:
        # Question documents are keyed "page#anchor" (see engine/index.py).
        return searcher.document_number(doc_id=f"{page}#{anchor}") is not None


router = APIRouter(prefix="/api", tags=["feedback"])
# 400: FastAPI's answer to a body that is not even text ("There was an error parsing the body").
ERRORS = {code: {"model": models.ErrorMessage} for code in (400, 404, 422, 429, 503)}


@router.get("/feedback", responses={404: ERRORS[404], 503: ERRORS[503]})
def feedback_questions(page: PageParam, live: IndexDep) -> models.FeedbackQuestions:
    """The questions on one page that take feedback. The site's widget appears only when this answers."""
    path = canonical_page(page)
    ix, _ = live.get()
    anchors = question_anchors(ix, path)
    if not anchors:
        raise HTTPException(404, f"No questions on page '{page}'. Page paths look like 'royalties/mechanical/'.")
    return models.FeedbackQuestions(
        page=path, anchors=anchors, reasons=list(models.FEEDBACK_REASONS),
        max_comment_chars=models.MAX_COMMENT_CHARS,
    )


@router.post("/feedback", status_code=201, responses=ERRORS)
def post_feedback(feedback: models.FeedbackIn, request: Request, store: StoreDep,
                  live: IndexDep) -> models.FeedbackReceipt:
    """Record one answer to "Did this answer your question?" for a question on the site.

    `page` and `anchor` must name a question in the index. On No, `reason` is required.
    The comment is optional, at most 500 characters, and has e-mail addresses, phone and
    ID numbers removed before it is stored. No address, cookie or other detail is kept.
    """
    check_rate(request)
    _record(store, live, feedback)
    return models.FeedbackReceipt()


def check_rate(request: Request) -> None:
    # A stricter allowance than the API-wide one in limits.py: feedback is a write.
    limiter: RateLimiter | None = request.app.state.feedback_limiter
    if limiter is None:
        return
    wait_s = limiter.wait_s(peer(request.scope), time.monotonic())
    if wait_s > 0:
        retry_after = max(1, math.ceil(wait_s))
        raise HTTPException(
            429, f"Too much feedback from your address: the limit is {limiter.per_minute} a minute. "
                 f"Try again in {retry_after} s.", headers={"Retry-After": str(retry_after)},
        )


def _record(store: FeedbackStore, live: LiveIndex, feedback: models.FeedbackIn) -> None:
    page = canonical_page(feedback.page)
    ix, _ = live.get()
    if not has_question(ix, page, feedback.anchor):
        raise HTTPException(
            422, f"No question '#{feedback.anchor}' on page '{feedback.page}'. "
                 "Send the page path and the id of one of its question headings.",
        )
    try:
        store.add_feedback(Feedback(page=page, anchor=feedback.anchor, helpful=feedback.helpful,
                                    reason=feedback.reason, comment=feedback.comment))
    except StoreUnavailable as error:
        log.error("feedback not stored: %s", error)
        raise HTTPException(503, "Feedback cannot be stored right now; please try again later.") from error


def register_feedback(app: FastAPI, settings: Settings) -> None:
    """Add the feedback routes, the editors' report (only with ADMIN_TOKEN, like every
    admin route). Their store and search record live in AppState; the app's
    lifespan opens the store (creating or upgrading the schema) and closes both."""
    app.include_router(router)
    if settings.admin_token:
        app.include_router(editors_report.router)

