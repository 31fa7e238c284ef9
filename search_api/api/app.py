"""The HTTP service: the built site at `/`, the API under `/api/`, the MCP endpoint at `/mcp`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from search_api.api.api_docs import register_api_docs
from search_api.api.mcp_server import HelpCentreServices, build_server, mcp_routes
from search_api.api.errors import install_error_handlers
from search_api.api.middleware import harden
from search_api.api.openapi import install_error_docs
from search_api.api.routes import articles, health, links, search
from search_api.api.routes.admin import register_admin
from search_api.api.routes.chatwoot import register_chatwoot
from search_api.api.routes.desk import register_desk
from search_api.api.routes.feedback import register_feedback
from search_api.api.state import AppState
from search_api.api.static_site import SiteFiles, built_site_url
from search_api.engine.index import IndexUnavailable, LiveIndex
from search_api.listening.store import StoreUnavailable
from search_api.settings import Settings

log = logging.getLogger("search_api")


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            state.index = LiveIndex(settings.index_dir)
        except IndexUnavailable as error:
            # Serve the site anyway; /api/health says what is wrong.
            log.error("search index unavailable: %s", error)
            state.index = None
        store = state.feedback_store
        try:
            await run_in_threadpool(store.open)  # creates or upgrades the schema
        except StoreUnavailable as error:
            # Search works without it; feedback answers 503 and the store tries again on
            # each write, so a database that comes back needs no restart.
            log.error("feedback database unavailable at start-up: %s", error)
        try:
            # The MCP transport's session manager lives as long as this app: the lifespan
            # of the app it comes in never runs once its route is ours (api/mcp_server.py).
            async with app.state.mcp.session_manager.run():
                yield
        finally:
            await run_in_threadpool(state.search_log.close)  # stores what is still queued
            store.close()

    app = FastAPI(
        title="Creator-rights help centre API",
        description="Search the help centre's questions and get deep links ready to paste.",
        version="1.0",
        docs_url=None,  # served by api_docs.py from local files
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    # One typed object instead of Starlette's free-form State: every route sees the same fields.
    state = app.state = AppState.from_settings(settings)  # type: ignore[assignment]
    install_error_handlers(app)
    for module in (search, articles, health, links):  # links: old pasted links -> where they land now
        app.include_router(module.router)
    register_admin(app, settings)
    register_feedback(app, settings)
    register_desk(app, settings)
    register_chatwoot(app, state)
    register_api_docs(app)
    _add_mcp(app, settings)  # before the site, which answers every path
    _mount_site(app, settings.site_dir, settings.public_url)
    harden(app, settings)
    install_error_docs(app)
    return app


def _add_mcp(app: FastAPI, settings: Settings) -> None:
    """The assistants' MCP endpoint at /mcp: the desk's index, wording and search record."""

    def live_index() -> LiveIndex:
        if app.state.index is None:
            app.state.index = LiveIndex(settings.index_dir)  # IndexUnavailable while it is missing
        return app.state.index

    services = HelpCentreServices(settings, app.state.desk_wording, live_index,
                                  lambda: app.state.search_log)
    app.state.mcp = build_server(services)
    app.router.routes.extend(mcp_routes(app.state.mcp, settings))


def _mount_site(app: FastAPI, site_dir: Path, public_url: str) -> None:
    if (site_dir / "index.html").is_file():
        built_for = built_site_url(site_dir)
        if built_for and built_for != public_url:
            log.warning("the site was built for %s but is served as %s: its canonical links and sitemap "
                        "name the other address; run `make index` with the same SITE_URL, HOST and PORT",
                        built_for, public_url)
        app.mount("/", SiteFiles(directory=site_dir, html=True), name="site")
        return
    log.error("no built site at %s; run `make site`", site_dir)

    @app.get("/", include_in_schema=False)
    def no_site() -> HTMLResponse:
        return HTMLResponse("<h1>The site is not built yet</h1><p>Run <code>make site</code>.</p>", status_code=503)
