"""Per-client limits on the API: requests a minute, and the size of a request body.

Both are ASGI middlewares that answer before the app runs, so every endpoint under
/api/ is covered, including ones added later. The counts live in the process: with
several workers each keeps its own, so a client may get up to WORKERS times the limit;
that is still a few hundred a minute, and a reverse proxy can limit in front.
"""

from __future__ import annotations

import json
import math
import threading
import time
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_PREFIX = "/api/"
MCP_PATH = "/mcp"  # the assistants' endpoint (api/mcp_server.py): the same limits as the API


def is_limited(path: str) -> bool:
    """Whether the rate and body limits (and no-store) cover `path`: the API and /mcp."""
    return path.startswith(API_PREFIX) or path == MCP_PATH or path.startswith(MCP_PATH + "/")


MAX_TRACKED_CLIENTS = 10_000  # past this, clients with a full allowance are forgotten
MAX_BODY_BYTES = 64 * 1024  # the largest honest request (a feedback comment) is under 4 KiB
# Chatwoot's webhook for an e-mail carries the mail's HTML and text in content_attributes.
CHATWOOT_BODY_BYTES = 1024 * 1024


def peer(scope: Scope) -> str:
    """The client's address. Behind TRUSTED_PROXIES, uvicorn's ProxyHeadersMiddleware (outermost,
    see middleware.py) has already put the forwarded client here, read from the right."""
    return scope["client"][0] if scope.get("client") else "unknown"


@dataclass
class _Allowance:
    tokens: float
    updated: float


class RateLimiter:
    """A token bucket per client: `per_minute` requests at once, refilled at per_minute/60 a second."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self.per_second = per_minute / 60
        self.clients: dict[str, _Allowance] = {}
        self._lock = threading.Lock()  # sync routes call it from the thread pool

    def wait_s(self, client: str, now: float) -> float:
        """Take one request from `client`'s allowance: 0 if allowed, else seconds until it would be."""
        with self._lock:
            return self._take(client, now)

    def _take(self, client: str, now: float) -> float:
        allowance = self.clients.get(client)
        if allowance is None:
            if len(self.clients) >= MAX_TRACKED_CLIENTS:
                self._forget_idle(now)
            allowance = self.clients[client] = _Allowance(float(self.per_minute), now)
        allowance.tokens = min(self.per_minute, allowance.tokens + (now - allowance.updated) * self.per_second)
        allowance.updated = now
        if allowance.tokens >= 1:
            allowance.tokens -= 1
            return 0.0
        return (1 - allowance.tokens) / self.per_second

    def _forget_idle(self, now: float) -> None:
        for client, allowance in list(self.clients.items()):
            if allowance.tokens + (now - allowance.updated) * self.per_second >= self.per_minute:
                del self.clients[client]


async def _send_error(send: Send, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
    body = json.dumps({"detail": detail}).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class RateLimit:
    """ASGI middleware: 429 with Retry-After once a client has used its allowance on /api/."""

    def __init__(self, app: ASGIApp, per_minute: int) -> None:
        self.app = app
        self.limiter = RateLimiter(per_minute)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_limited(scope["path"]):
            await self.app(scope, receive, send)
            return
        wait_s = self.limiter.wait_s(peer(scope), time.monotonic())
        if wait_s <= 0:
            await self.app(scope, receive, send)
            return
        retry_after = max(1, math.ceil(wait_s))
        await _send_error(
            send, 429,
            f"Too many requests from your address: the limit is {self.limiter.per_minute} a minute. "
            f"Try again in {retry_after} s.",
            {"Retry-After": str(retry_after)},
        )


class BodyLimit:
    """ASGI middleware: 413 for a request body over `max_bytes` on /api/, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES,
                 larger: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = larger or {}  # path -> its own limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_limited(scope["path"]):
            await self.app(scope, receive, send)
            return
        max_bytes = self.larger.get(scope["path"], self.max_bytes)
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            await _send_error(send, 413, self._message(max_bytes))
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    raise _TooLarge
            return message

        async def noted_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, noted_send)
        except _TooLarge:
            if not started:
                await _send_error(send, 413, self._message(max_bytes))

    def _message(self, max_bytes: int) -> str:
        return f"The request body is larger than {max_bytes // 1024} KiB."


class _TooLarge(Exception):
    """Raised inside the app's receive when a streamed body passes the limit."""
