"""Security headers on every response, and the order of all the middlewares.

The Content-Security-Policy allows only our own origin: pages load nothing from
other sites, run no inline script except the few Material writes into every page
(allowed by their hashes, see static_site.py), and cannot be framed.
"""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from search_api.api.limits import CHATWOOT_BODY_BYTES, BodyLimit, RateLimit, is_limited
from search_api.api.logs import AccessLog
from search_api.settings import Settings


def content_security_policy(script_hashes: Iterable[str] = ()) -> str:
    """The policy for any response; `script_hashes` ('sha256-...') allow known inline scripts."""
    scripts = " ".join(["'self'", *(f"'{h}'" for h in sorted(set(script_hashes)))])
    return "; ".join([
        "default-src 'self'",
        f"script-src {scripts}",
        "style-src 'self'",
        # Material's and Swagger UI's stylesheets draw their icons as data: SVGs.
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


DEFAULT_POLICY = content_security_policy()
HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
)


# The desk page (and only the page: its scripts and styles need no framing).
DESK_PAGES = frozenset({"/desk/", "/desk/index.html"})


class SecurityHeaders:
    """ASGI middleware: the headers above on every response; a response's own CSP is kept.

    With `framed_by` (CHATWOOT_URL's origin) the desk page alone may be framed by it, as a
    Chatwoot dashboard app: its policy says `frame-ancestors <origin>` and it sends no
    X-Frame-Options (which cannot name an origin). Every other response stays unframable.
    """

    def __init__(self, app: ASGIApp, framed_by: str = "") -> None:
        self.app = app
        self.framed_by = framed_by.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_api = is_limited(scope["path"])  # the API and /mcp
        framed = bool(self.framed_by) and scope["path"] in DESK_PAGES

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [h for h in HEADERS if h[0] not in present and not (framed and h[0] == b"x-frame-options")]
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", DEFAULT_POLICY.encode()))
                if framed:  # the page's own policy (its script hashes), framable by Chatwoot only
                    headers = [(name, value.replace(b"frame-ancestors 'none'", b"frame-ancestors " + self.framed_by))
                               if name.lower() == b"content-security-policy" else (name, value)
                               for name, value in headers]
                if is_api and b"cache-control" not in present:
                    # Answers hold what people pasted: no shared cache may keep them.
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def harden(app: FastAPI, settings: Settings) -> None:
    """Add every middleware, innermost first (Starlette runs the last added first)."""
    app.add_middleware(BodyLimit, larger={"/api/integrations/chatwoot": CHATWOOT_BODY_BYTES})
    if settings.rate_limit_per_minute:
        app.add_middleware(RateLimit, per_minute=settings.rate_limit_per_minute)
    if settings.cors_origins:
        # Outside the rate limit, so a browser's preflight is answered without using allowance.
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "POST"], allow_headers=["Content-Type"], max_age=600)
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    app.add_middleware(AccessLog)
    app.add_middleware(SecurityHeaders, framed_by=settings.chatwoot_origin)
    if settings.trusted_proxies:
        # Outermost: every layer inside, the rate limits included, sees the forwarded client.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(settings.trusted_proxies))
