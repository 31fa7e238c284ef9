"""The agent desk: `GET /api/answer` and the `/desk/` page that calls it.

`/api/answer` takes a creator's message and a channel, and gives each question in the
message its answer cards, each with a reply sized for that channel (replies/compose.py). The
page is three static files in `desk_page/`, served from our own origin.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import RedirectResponse

from search_api.api import models
from search_api.api.deps import ERRORS, IndexDep, QueryDep, SearchLogDep, SettingsDep, StoreDep
from search_api.api.routes import feedback
from search_api.links import canonical_page, deep_link
from search_api.listening.store import Choice, StoreUnavailable
from search_api.replies.compose import Channel, Wording, compose_fallback, compose_reply
from search_api.engine.search import Hit, QuestionOutcome, answer_questions
from search_api.settings import Settings
from search_api.api.static_site import SiteFiles

log = logging.getLogger("search_api.api.routes.desk")
DESK_DIR = Path(__file__).resolve().parent.parent / "desk_page"
DESK_URL = "/desk"
MAX_NAME_CHARS = 40
# The index holds English only: a sentence without a Latin letter (Arabic, emoji) cannot match.
_LATIN = re.compile(r"[A-Za-z]")
# Letters of any alphabet, with the spaces, hyphens, apostrophes and dots names have.
_NAME = re.compile(r"[^\W\d_]+(?:[ .'’-]+[^\W\d_]+)*\.?")


def get_wording(request: Request) -> Wording:
    return request.app.state.desk_wording  # read from mkdocs.yml once, in register_desk


def creator_name(
    name: Annotated[str | None, Query(description="The creator's first name, for the greeting, e.g. Thandi")] = None,
) -> str:
    name = " ".join((name or "").split())
    if name and (len(name) > MAX_NAME_CHARS or not _NAME.fullmatch(name)):
        raise HTTPException(
            422, f"name is the creator's first name, e.g. Thandi: letters, spaces, hyphens and apostrophes, "
                 f"at most {MAX_NAME_CHARS} characters.",
        )
    return name


WordingDep = Annotated[Wording, Depends(get_wording)]
NameDep = Annotated[str, Depends(creator_name)]
ChannelParam = Annotated[Channel, Query(description="Where the reply will be pasted: x, facebook, whatsapp, sms or email")]
CardsPerQuestion = Annotated[int, Query(ge=1, le=10, description="Answer cards per question, 1 to 10")]

router = APIRouter(prefix="/api")


def _card(hit: Hit, channel: str, name: str, wording: Wording, settings: Settings) -> models.AnswerCard:
    url = deep_link(settings.public_url, hit.page, hit.anchor)
    reply = compose_reply(channel, hit.answer, url, wording, name)
    return models.AnswerCard(
        question=hit.question, title=hit.title, url=url, page=hit.page, anchor=hit.anchor, answer=hit.answer,
        reply=models.ReplyPublic(text=reply.text, length=reply.length, limit=reply.limit),
    )


def _answered(found: QuestionOutcome, channel: str, name: str, wording: Wording,
              settings: Settings) -> models.AnsweredQuestion:
    outcome = found.outcome
    english = _LATIN.search(found.text) is not None
    fallback = None
    if not outcome.confident:
        reply = compose_fallback(channel, wording, name, english=english)
        fallback = models.ReplyPublic(text=reply.text, length=reply.length, limit=reply.limit)
    return models.AnsweredQuestion(
        text=found.text, confident=outcome.confident, fallback_reply=fallback, english=english,
        cards=[_card(hit, channel, name, wording, settings) for hit in outcome.hits],
    )


@router.get("/answer", responses=ERRORS)
def answer(
    q: QueryDep, channel: ChannelParam, live: IndexDep, settings: SettingsDep, wording: WordingDep,
    name: NameDep, searches: SearchLogDep, limit: CardsPerQuestion = 3,
) -> models.AnswerResponse:
    """Each question in `q` with its answer cards and a reply ready to paste on `channel`."""
    ix, _ = live.get()
    found, suggestion = answer_questions(ix, q, limit=limit)
    for question in found:
        # One record per question, so editors see which of a message's questions had no page.
        searches.record("answer", question.text, question.outcome.hits, question.outcome.confident)
    return models.AnswerResponse(
        query=q, channel=channel, suggestion=suggestion,
        questions=[_answered(f, channel, name, wording, settings) for f in found],
    )


@router.post("/desk/copied", status_code=201, responses=feedback.ERRORS)
def desk_copied(choice: models.DeskChoiceIn, request: Request, store: StoreDep, live: IndexDep) -> models.DeskChoiceReceipt:
    """Record that an agent copied a question's link or reply for a creator's question.

    The editors' report lists these as suggested phrasings of that question; nothing
    changes what search finds until an editor adds one to the Markdown. The query is
    scrubbed of e-mail addresses, phone and ID numbers before it is stored.
    """
    feedback.check_rate(request)
    page = canonical_page(choice.page)
    ix, _ = live.get()
    if not feedback.has_question(ix, page, choice.anchor):
        raise HTTPException(422, f"No question '#{choice.anchor}' on page '{choice.page}'.")
    try:
        store.add_choice(Choice(query=choice.query, page=page, anchor=choice.anchor))
    except StoreUnavailable as error:
        log.error("desk choice not stored: %s", error)
        raise HTTPException(503, "The copy cannot be recorded right now; nothing else is affected.") from error
    return models.DeskChoiceReceipt()


def register_desk(app: FastAPI, settings: Settings) -> None:
    """Add /api/answer and the /desk/ page (the reply wording is read into AppState at start-up).

    Call before the site is mounted at "/", which would otherwise answer /desk/ itself.
    """
    app.include_router(router)

    @app.get(DESK_URL, include_in_schema=False)
    def desk_without_slash() -> RedirectResponse:
        # The page's relative links to desk.js and desk.css need the trailing slash.
        return RedirectResponse(f"{DESK_URL}/", status_code=308)

    app.mount(DESK_URL, SiteFiles(directory=DESK_DIR, html=True), name="desk")
