"""Every dependency the routes declare, as `Annotated` aliases.

A route's signature lists what it needs (`live: IndexDep, settings: SettingsDep`);
what each one is, and where it comes from, is written once, here.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request

from search_api.api import models
from search_api.api.state import AppState
from search_api.engine.index import LiveIndex
from search_api.listening.search_log import SearchLog
from search_api.listening.store import FeedbackStore
from search_api.settings import Settings

# The error answers most API routes can give, for the OpenAPI document.
ERRORS = {422: {"model": models.ErrorMessage}, 503: {"model": models.ErrorMessage}}


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_state(request: Request) -> AppState:
    return request.app.state


def get_index(request: Request) -> LiveIndex:
    """The live index, opened on first use; IndexUnavailable (a 503, errors.py) when there is none."""
    return get_state(request).live_index()


def query_text(
    request: Request,
    q: Annotated[str, Query(description="Words a person typed, or a whole pasted message")],
) -> str:
    limit = request.app.state.settings.max_query_chars
    if not q.strip():
        raise HTTPException(422, "q is empty: type a few words or paste the creator's message.")
    if len(q) > limit:
        raise HTTPException(422, f"q is {len(q):,} characters long; the limit is {limit:,}. Paste the part with the question.")
    return q


def get_store(request: Request) -> FeedbackStore:
    return request.app.state.feedback_store


def get_search_log(request: Request) -> SearchLog:
    return request.app.state.search_log


SettingsDep = Annotated[Settings, Depends(get_settings)]
StateDep = Annotated[AppState, Depends(get_state)]
IndexDep = Annotated[LiveIndex, Depends(get_index)]
QueryDep = Annotated[str, Depends(query_text)]
StoreDep = Annotated[FeedbackStore, Depends(get_store)]
SearchLogDep = Annotated[SearchLog, Depends(get_search_log)]
Limit = Annotated[int, Query(ge=1, le=50, description="How many results, 1 to 50")]
