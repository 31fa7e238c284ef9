"""How uvicorn runs the app: one set of options for `make run`, production and tests."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from search_api.api.app import create_app
from search_api.api.logs import log_config
from search_api.settings import Settings

# uvicorn imports this with --factory in each worker process; settings are read there.
APP_FACTORY = "search_api.api.serving:app_from_env"


def app_from_env() -> FastAPI:
    """The app configured from the environment (each production worker calls this)."""
    return create_app(Settings())


def server_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for uvicorn.run / uvicorn.Config."""
    return {
        "host": settings.host,
        "port": settings.port,
        # Our access log (logs.py) scrubs the query string; uvicorn's would write it raw.
        "access_log": False,
        "log_config": log_config(settings.log_level),
        "log_level": settings.log_level,
        # X-Forwarded-For is read by the app, and only from TRUSTED_PROXIES (limits.py);
        # uvicorn's own handling would trust any local peer.
        "proxy_headers": False,
        "server_header": False,
        "timeout_keep_alive": 5,
        "timeout_graceful_shutdown": 10,
        # A worker must answer the supervisor's first ping within this many seconds, or it
        # is killed and started again. uvicorn's 5 s was too tight once the app imports the
        # MCP SDK (about 1.5 s alone, three times that on a loaded machine): WORKERS=2 then
        # restarted its workers forever and never served.
        "timeout_worker_healthcheck": 30,
    }
