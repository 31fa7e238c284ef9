"""The HTTP service: the built site at `/`, the API under `/api/`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated
from urllib.parse import urljoin

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Path as PathParam, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from whoosh import query as wq

from search_api import models
from search_api.admin import register_admin
from search_api.api_docs import register_api_docs
from search_api.feedback import register_feedback
from search_api.index import IndexError_, LiveIndex
from search_api.resolve import router as resolve_router
from search_api.search import Hit, find
from search_api.search_log import SearchLogDep
from search_api.openapi import install_error_docs
from search_api.security import harden
from search_api.settings import Settings
from search_api.site_files import SiteFiles

log = logging.getLogger("search_api")


def deep_link(site_url: str, page: str, anchor: str = "") -> str:
    # site_url ends in "/", so urljoin keeps its whole path.
    url = urljoin(site_url, page)
    return f"{url}#{anchor}" if anchor else url


def canonical_page(page: str) -> str:
    """'royalties/mechanical', '/royalties/mechanical/' -> 'royalties/mechanical/'."""
    page = page.strip().strip("/")
    return f"{page}/" if page else ""


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_index(request: Request) -> LiveIndex:
    live: LiveIndex | None = request.app.state.index
    if live is None:
        try:
            live = request.app.state.index = LiveIndex(request.app.state.settings.index_dir)
        except IndexError_ as error:
            raise HTTPException(503, f"The search index is not available: {error}") from error
    return live


SettingsDep = Annotated[Settings, Depends(get_settings)]
IndexDep = Annotated[LiveIndex, Depends(get_index)]
Limit = Annotated[int, Query(ge=1, le=50, description="How many results, 1 to 50")]


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


QueryDep = Annotated[str, Depends(query_text)]


def _result(hit: Hit, settings: Settings) -> models.SearchResult:
    return models.SearchResult(
        title=hit.title, question=hit.question, url=deep_link(settings.public_url, hit.page, hit.anchor),
        page=hit.page, anchor=hit.anchor, answer=hit.answer, snippet=hit.snippet, score=hit.score,
    )


router = APIRouter(prefix="/api")
ERRORS = {422: {"model": models.ErrorMessage}, 503: {"model": models.ErrorMessage}}


@router.get("/search", responses=ERRORS)
def search_questions(
    q: QueryDep, live: IndexDep, settings: SettingsDep, searches: SearchLogDep, limit: Limit = 5,
) -> models.SearchResponse:
    """Questions that answer `q`, best first, each with a deep link ready to paste."""
    ix, _ = live.get()
    outcome = find(ix, q, limit=limit)
    searches.record("search", q, outcome.hits, outcome.confident)
    return models.SearchResponse(
        query=q, total=len(outcome.hits), results=[_result(h, settings) for h in outcome.hits],
        suggestion=outcome.suggestion, confident=outcome.confident,
    )


@router.get("/articles/{page:path}", responses={404: {"model": models.ErrorMessage}, **ERRORS})
def article(
    page: Annotated[str, PathParam(max_length=300, description="e.g. royalties/mechanical")],
    live: IndexDep,
    settings: SettingsDep,
) -> models.Article:
    """One article with every question on it and each question's deep link."""
    path = canonical_page(page)
    ix, _ = live.get()
    with ix.searcher() as searcher:
        docs = sorted(searcher.search(wq.Term("page", path), limit=None), key=lambda r: r.docnum)
        head = next((d for d in docs if d["kind"] == "article"), None)
        if head is None:
            raise HTTPException(404, f"No article at '{page}'. Article paths look like 'royalties/mechanical'.")
        return models.Article(
            page=path, url=deep_link(settings.public_url, path), title=head["title"],
            description=head["description"], last_reviewed=head["last_reviewed"],
            tags=list(head["tag_list"]),
            questions=[
                models.ArticleQuestion(
                    anchor=d["anchor"], question=d["question"], answer=d["answer"],
                    url=deep_link(settings.public_url, path, d["anchor"]),
                )
                for d in docs if d["kind"] == "question"
            ],
        )


@router.get("/health", responses={503: {"model": models.Health}})
def health(request: Request) -> JSONResponse:
    """Whether the index is loaded, and how much it holds."""
    try:
        live = get_index(request)
        _, manifest = live.get()
    except (HTTPException, IndexError_) as error:
        reason = error.detail if isinstance(error, HTTPException) else str(error)
        body = models.Health(status="degraded", reason=str(reason))
        return JSONResponse(body.model_dump(), status_code=503)
    body = models.Health(
        status="ok", articles=manifest.articles, questions=manifest.questions, index_built_at=manifest.built_at,
    )
    return JSONResponse(body.model_dump())


def _validation_message(error: RequestValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item.get("loc", ())[1:]) or "request"
        parts.append(f"{where}: {item.get('msg', 'invalid value')}")
    return "; ".join(parts)


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            app.state.index = LiveIndex(settings.index_dir)
        except IndexError_ as error:
            # Serve the site anyway; /api/health says what is wrong.
            log.error("search index unavailable: %s", error)
            app.state.index = None
        yield

    app = FastAPI(
        title="Creator-rights help centre API",
        description="Search the help centre's questions and get deep links ready to paste.",
        version="1.0",
        docs_url=None,  # served by api_docs.py from local files
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.index = None

    @app.exception_handler(RequestValidationError)
    async def readable_422(request: Request, error: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _validation_message(error)}, status_code=422)

    app.include_router(router)
    app.include_router(resolve_router)  # old links -> where they land now
    register_admin(app, settings)
    register_feedback(app, settings)
    from search_api.desk import register_desk  # desk.py builds on this module's dependencies

    register_desk(app, settings)
    register_api_docs(app)
    _mount_site(app, settings.site_dir)
    harden(app, settings)
    install_error_docs(app)
    return app


def _mount_site(app: FastAPI, site_dir: Path) -> None:
    if (site_dir / "index.html").is_file():
        app.mount("/", SiteFiles(directory=site_dir, html=True), name="site")
        return
    log.error("no built site at %s; run `make site`", site_dir)

    @app.get("/", include_in_schema=False)
    def no_site() -> HTMLResponse:
        return HTMLResponse("<h1>The site is not built yet</h1><p>Run <code>make site</code>.</p>", status_code=503)
