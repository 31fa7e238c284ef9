"""Every dependency the routes declare, as `Annotated` aliases.

A route's signature lists what it needs (`live: IndexDep, settings: SettingsDep`);
what each one is, and where it comes from, is written once, here.

The dependencies FastAPI resolves are `async def`: FastAPI runs a plain `def`
dependency in the thread pool, a hop that cost more than the search itself for a
short query (issue 20). None of them blocks; the one that may load an index from disk
does that in the thread pool. The plain functions stay for code outside a request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from whoosh.index import Index

from search_api.api import models
from search_api.api.state import AppState
from search_api.engine.index import LiveIndex, Manifest
from search_api.listening.search_log import SearchLog
from search_api.listening.store import FeedbackStore
from search_api.settings import Settings

# The error answers most API routes can give, for the OpenAPI document.
ERRORS = {422: {"model": models.ErrorMessage}, 503: {"model": models.ErrorMessage}}


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_state(request: Request) -> AppState:
    return request.app.state


async def _state(request: Request) -> AppState:
    return request.app.state


def get_index(request: Request) -> LiveIndex:
    """The live index, opened on first use; IndexUnavailable (a 503, errors.py) when there is none."""
    return get_state(request).live_index()


async def current_index(live: LiveIndex) -> tuple[Index, Manifest]:
    """`live.get()` without blocking the event loop: a newly built index loads in the thread pool."""
    if live.is_current():
        return live.get()
    return await run_in_threadpool(live.get)


async def _index(request: Request) -> LiveIndex:
    live: LiveIndex | None = request.app.state.index
    return live if live is not None else await run_in_threadpool(get_index, request)


async def query_text(
    request: Request,
    q: Annotated[str, Query(description="Words a person typed, or a whole pasted message")],
) -> str:
    limit = request.app.state.settings.max_query_chars
    if not q.strip():
        raise HTTPException(422, "q is empty: type a few words or paste the creator's message.")
    if len(q) > limit:
        raise HTTPException(422, f"q is {len(q):,} characters long; the limit is {limit:,}. Paste the part with the question.")
    return q


async def get_store(request: Request) -> FeedbackStore:
    return request.app.state.feedback_store


def get_search_log(request: Request) -> SearchLog:
    return request.app.state.search_log


async def _search_log(request: Request) -> SearchLog:
    return request.app.state.search_log


SettingsDep = Annotated[Settings, Depends(get_settings)]
StateDep = Annotated[AppState, Depends(_state)]
IndexDep = Annotated[LiveIndex, Depends(_index)]
QueryDep = Annotated[str, Depends(query_text)]
StoreDep = Annotated[FeedbackStore, Depends(get_store)]
SearchLogDep = Annotated[SearchLog, Depends(_search_log)]
Limit = Annotated[int, Query(ge=1, le=50, description="How many results, 1 to 50")]
