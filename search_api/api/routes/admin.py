"""Admin routes under /api/admin/: they exist only when ADMIN_TOKEN is set.

Other modules protect their own admin routes with `AdminDep`, which answers 404
when no token is set (as if the route did not exist) and 401 for a wrong token.
"""

from __future__ import annotations

import hmac
import time
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from search_api.api import models
from search_api.api.state import AppState
from search_api.engine.index import LiveIndex, build_index
from search_api.site.sections import load_pages
from search_api.settings import Settings

_bearer = HTTPBearer(auto_error=False, description="The ADMIN_TOKEN setting, sent as `Authorization: Bearer <token>`")


def token_matches(provided: str, expected: str) -> bool:
    """Constant-time comparison, so response timing reveals nothing about the token."""
    return hmac.compare_digest(provided.encode("utf-8"), expected.encode("utf-8"))


def require_admin(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Let the request through only with `Authorization: Bearer <ADMIN_TOKEN>`.

    Raises 404 when ADMIN_TOKEN is unset (admin routes do not exist then) and 401
    when the token is missing or wrong.
    """
    expected: str = request.app.state.settings.admin_token
    if not expected:
        raise HTTPException(404, "Not Found")
    if credentials is None or not token_matches(credentials.credentials, expected):
        raise HTTPException(
            401, "This needs the admin token: send the header 'Authorization: Bearer <ADMIN_TOKEN>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )


AdminDep = Annotated[None, Depends(require_admin)]
ADMIN_ERRORS = {401: {"model": models.ErrorMessage}}

router = APIRouter(prefix="/api/admin", tags=["admin"])


@router.post(
    "/reindex",
    responses={**ADMIN_ERRORS, 409: {"model": models.ErrorMessage}, 503: {"model": models.ErrorMessage}},
)
def reindex(request: Request, _: AdminDep) -> models.Reindexed:
    """Rebuild the question index from the live built site and switch to it.

    Requests keep being answered from the old index until the new one has been
    written and validated; a build that fails leaves the old one live and answers
    409 naming the cause (a bad line of vocabulary.txt by file and line).
    """
    state: AppState = request.app.state
    settings, lock = state.settings, state.reindex_lock
    if not lock.acquire(blocking=False):
        raise HTTPException(409, "A rebuild is already running; try again when it has finished.")
    try:
        started = time.perf_counter()
        try:
            pages = load_pages(settings.site_dir, settings.docs_dir)
        except FileNotFoundError as error:
            raise HTTPException(503, f"No built site to index ({error.filename}); run `make site`.") from error
        build_index(pages, settings.index_dir)  # IndexBuildError: a 409 naming the cause (errors.py)
        live = _switch(state)
        _, manifest = live.get()
        return models.Reindexed(
            status="ok", articles=manifest.articles, questions=manifest.questions,
            index_built_at=manifest.built_at, seconds=round(time.perf_counter() - started, 3),
        )
    finally:
        lock.release()


def _switch(state: AppState) -> LiveIndex:
    # This process switches now; other workers switch on their next request.
    if state.index is None:
        return state.live_index()
    state.index.refresh()
    return state.index


def register_admin(app: FastAPI, settings: Settings) -> None:
    """Add the admin routes; without ADMIN_TOKEN they answer 404 and are left out of the docs."""
    app.include_router(router, include_in_schema=bool(settings.admin_token))
