"""Structured logs: one JSON object a line, scrubbed of personal details.

Pasted messages carry names, phone numbers and e-mail addresses, and they reach the
logs through query strings and error messages. Every line passes through `scrub`
in the formatter, the one place all loggers share, before it is written; only text
that is already `Scrubbed` is not scrubbed again. The search routes scrub the query
once for both the search record and this log (`note_scrubbed`): scrubbing a pasted
message twice was a tenth of what a search cost (issue 20).
"""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from search_api.listening.scrub import Scrubbed, scrub

ACCESS_LOGGER = "search_api.access"
MAX_LOGGED_QUERY_CHARS = 500  # enough to see what was asked, not a whole essay


# Query parameters that hold a person's name whatever they contain (the desk's `name`).
NAME_PARAMETERS = frozenset({"name"})
# Query parameters that hold a secret (the Chatwoot webhook's `token`): never written.
SECRET_PARAMETERS = frozenset({"token"})


_SCRUBBED = "scrubbed_parameters"  # in the request's state: {name: (value as sent, Scrubbed)}


def note_scrubbed(state: Any, name: str, value: str, scrubbed: Scrubbed) -> None:
    """Tell the access log that query parameter `name` (sent as `value`) is `scrubbed` already."""
    noted = getattr(state, _SCRUBBED, None)
    if noted is None:
        noted = {}
        setattr(state, _SCRUBBED, noted)
    noted[name] = (value, scrubbed)


def _without_names(raw: str, scrubbed: dict[str, tuple[str, Scrubbed]] | None = None) -> str:
    """The query string as text, with name and secret parameters replaced before anything else.

    With `scrubbed` (from note_scrubbed) every part is scrubbed here and the whole is
    `Scrubbed`, so the formatter does not scrub a long pasted message a second time.
    """
    parts = []
    for key, value in parse_qsl(raw, keep_blank_values=True):
        if key in SECRET_PARAMETERS:
            value = "[secret]"
        elif key in NAME_PARAMETERS and value:
            value = "[name]"
        elif scrubbed is not None:
            noted = scrubbed.get(key)
            parts.append(f"{scrub(key)}={noted[1]}" if noted and noted[0] == value else scrub(f"{key}={value}"))
            continue
        parts.append(f"{key}={value}")
    if parts:
        joined = "&".join(parts)
        return Scrubbed(joined[:MAX_LOGGED_QUERY_CHARS]) if scrubbed is not None else joined
    text = unquote_plus(raw)
    return "[withheld]" if any(secret in text for secret in SECRET_PARAMETERS) else text


class JsonLines(logging.Formatter):
    """A record -> one JSON line; every text in it is scrubbed."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            for key, value in fields.items():
                entry[key] = scrub(value) if isinstance(value, str) and not isinstance(value, Scrubbed) else value
        if record.exc_info:
            entry["error"] = scrub(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def log_config(level: str) -> dict[str, Any]:
    """logging.config.dictConfig for our loggers and uvicorn's (also given to each worker)."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    logger = {"handlers": ["stderr"], "level": level.upper(), "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonLines}},
        "handlers": {"stderr": handler},
        "loggers": {name: dict(logger) for name in ("search_api", "uvicorn", "uvicorn.error")},
        # Every other library's warnings, as JSON lines too. The MCP SDK calls
        # logging.basicConfig when its server is made; with a root handler here that is a
        # no-op, instead of a second, plain-text handler on stderr.
        "root": {"handlers": ["stderr"], "level": "WARNING"},
    }


class AccessLog:
    """ASGI middleware: one line per request with method, path, scrubbed query, status and time.

    Uvicorn's own access log is turned off (see serving.py): it writes the raw query
    string, which is whatever a creator pasted.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.log = logging.getLogger(ACCESS_LOGGER)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.log.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client sees if the app raises before answering

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            scrubbed = (scope.get("state") or {}).get(_SCRUBBED)
            query = _without_names(scope.get("query_string", b"").decode("latin-1"), scrubbed)
            self.log.info(
                "request",
                extra={"fields": {
                    "method": scope["method"],
                    "path": scope["path"],
                    "query": query if isinstance(query, Scrubbed) else query[:MAX_LOGGED_QUERY_CHARS],
                    "status": status,
                    "ms": round((time.perf_counter() - started) * 1000, 2),
                }},
            )
