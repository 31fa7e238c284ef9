"""`GET /api/search`: questions that answer a few words or a pasted message."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from search_api.api import models
from search_api.api.deps import ERRORS, IndexDep, Limit, QueryDep, SearchLogDep, SettingsDep, current_index
from search_api.api.logs import MAX_LOGGED_QUERY_CHARS, note_scrubbed
from search_api.engine.search import Hit, find
from search_api.links import deep_link
from search_api.listening.scrub import scrubbed_start
from search_api.settings import Settings

router = APIRouter(prefix="/api")


def _result(hit: Hit, settings: Settings) -> models.SearchResult:
    return models.SearchResult(
        title=hit.title, question=hit.question, url=deep_link(settings.public_url, hit.page, hit.anchor),
        page=hit.page, anchor=hit.anchor, answer=hit.answer, snippet=hit.snippet, score=hit.score,
    )


@router.get("/search", responses=ERRORS)
async def search_questions(
    request: Request, q: QueryDep, live: IndexDep, settings: SettingsDep, searches: SearchLogDep, limit: Limit = 5,
    prefix: Annotated[bool, Query(description=(
        "The text is still being typed (the site's search box): its last word may be the start "
        "of a word and is matched as one. Such searches are not recorded."))] = False,
) -> models.SearchResponse:
    """Questions that answer `q`, best first, each with a deep link ready to paste."""
    # In the event loop, not the thread pool: the search is in-memory work of a few
    # milliseconds, and the hop to a thread cost more than a short query's search.
    ix, _ = await current_index(live)
    outcome = find(ix, q, limit=limit, prefix=prefix)
    # One scrub of the query for both the access log and the search record.
    kept = scrubbed_start(q, MAX_LOGGED_QUERY_CHARS)
    note_scrubbed(request.state, "q", q, kept)
    if not prefix:  # half-typed words would flood the editors' report of failed searches
        searches.record("search", kept, outcome.hits, outcome.confident)
    return models.SearchResponse(
        query=q, total=len(outcome.hits), results=[_result(h, settings) for h in outcome.hits],
        suggestion=outcome.suggestion, confident=outcome.confident,
    )
