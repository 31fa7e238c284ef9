"""`GET /api/health`: whether the index is loaded, and how much it holds."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from search_api.api import models
from search_api.api.deps import current_index, get_index
from search_api.engine.index import IndexUnavailable

router = APIRouter(prefix="/api")


@router.get("/health", responses={503: {"model": models.Health}})
async def health(request: Request) -> JSONResponse:
    """Whether the index is loaded, and how much it holds."""
    limit = request.app.state.settings.max_query_chars
    try:
        live = request.app.state.index or await run_in_threadpool(get_index, request)
        _, manifest = await current_index(live)
    except IndexUnavailable as error:
        body = models.Health(status="degraded", max_query_chars=limit,
                             reason=f"The search index is not available: {error}")
        return JSONResponse(body.model_dump(), status_code=503)
    body = models.Health(
        status="ok", max_query_chars=limit, articles=manifest.articles, questions=manifest.questions, index_built_at=manifest.built_at,
    )
    return JSONResponse(body.model_dump())
