"""A small real HTTP server that plays Chatwoot's Application API for the tests.

It answers `POST /api/v1/accounts/{account_id}/conversations/{conversation_id}/messages`
as Chatwoot does (the `api_access_token` header, a JSON body with `content`,
`message_type` and `private`; the created message back as JSON) and records every post.
`fail_next(n)` makes the next n posts answer 503, as Chatwoot does while it restarts;
`stop()` and `start()` take the port away and give it back (connection refused).
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_MESSAGES = re.compile(r"^/api/v1/accounts/(\d+)/conversations/(\d+)/messages$")


@dataclass(frozen=True)
class Post:
    account_id: int
    conversation_id: int
    body: dict[str, Any]
    at: float = field(default_factory=time.perf_counter)

    @property
    def content(self) -> str:
        return str(self.body.get("content", ""))

    @property
    def private(self) -> bool:
        return bool(self.body.get("private"))


class FakeChatwoot:
    def __init__(self, token: str, port: int) -> None:
        self.token = token
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.posts: list[Post] = []
        self.refused: list[int] = []  # statuses answered instead of recording a post
        self._failures = 0
        self._changed = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._next_id = 100000
        self.pages: dict[str, str] = {}  # path -> HTML: Chatwoot's dashboard, framing the desk

    # --- controls -------------------------------------------------------------------------

    def start(self) -> "FakeChatwoot":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet: the tests read .posts
                pass

            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                fake._handle(self)

            def do_GET(self) -> None:  # noqa: N802
                page = fake.pages.get(self.path)
                data = (page or "not found").encode()
                self.send_response(200 if page else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def fail_next(self, count: int) -> None:
        with self._changed:
            self._failures = count

    def clear(self) -> None:
        with self._changed:
            self.posts.clear()
            self.refused.clear()
            self._failures = 0

    def wait_for(self, count: int, timeout: float = 15.0) -> list[Post]:
        """The posts once there are at least `count` (or all there are after `timeout`)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.posts) < count and time.monotonic() < deadline:
                self._changed.wait(deadline - time.monotonic())
            return list(self.posts)

    def in_conversation(self, conversation_id: int) -> list[Post]:
        with self._changed:
            return [p for p in self.posts if p.conversation_id == conversation_id]

    # --- the API --------------------------------------------------------------------------

    def _answer(self, handler: BaseHTTPRequestHandler, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length)
        match = _MESSAGES.match(handler.path)
        if not match:
            self._answer(handler, 404, {"error": "Resource could not be found"})
            return
        if handler.headers.get("api_access_token") != self.token:
            with self._changed:
                self.refused.append(401)
            self._answer(handler, 401, {"error": "You need to sign in or sign up before continuing."})
            return
        with self._changed:
            if self._failures > 0:
                self._failures -= 1
                self.refused.append(503)
                failing = True
            else:
                failing = False
        if failing:
            self._answer(handler, 503, {"error": "Service Unavailable"})
            return
        try:
            body = json.loads(raw)
        except ValueError:
            self._answer(handler, 422, {"error": "invalid JSON"})
            return
        with self._changed:
            self._next_id += 1
            message_id = self._next_id
            self.posts.append(Post(int(match[1]), int(match[2]), body))
            self._changed.notify_all()
        self._answer(handler, 200, {
            "id": message_id, "content": body.get("content"), "inbox_id": 7, "conversation_id": int(match[2]),
            "message_type": 1, "content_type": "text", "content_attributes": {}, "private": bool(body.get("private")),
            "created_at": int(time.time()), "source_id": None,
        })
