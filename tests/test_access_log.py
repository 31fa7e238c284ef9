"""The access log's query field when a route has scrubbed the query once already."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from search_api.api.logs import MAX_LOGGED_QUERY_CHARS, JsonLines, _without_names
from search_api.listening.scrub import Scrubbed, scrub, scrubbed_start

PASTED = "Hi, I'm Thandi Nkosi, call 082 123 4567 or thandi@example.org. When do I get paid? " * 20


def test_a_query_scrubbed_by_the_route_is_logged_as_it_and_not_scrubbed_again() -> None:
    kept = scrubbed_start(PASTED, MAX_LOGGED_QUERY_CHARS)
    raw = urlencode({"q": PASTED, "limit": "5", "extra": "me@example.com"})
    logged = _without_names(raw, {"q": (PASTED, kept)})
    assert isinstance(logged, Scrubbed) and len(logged) <= MAX_LOGGED_QUERY_CHARS
    assert logged.startswith(f"q={kept}"[:MAX_LOGGED_QUERY_CHARS])
    assert "Thandi" not in logged and "082 123 4567" not in logged
    # The formatter leaves Scrubbed text as it is, and still scrubs everything else.
    record = logging.LogRecord("search_api.access", logging.INFO, __file__, 1, "request", None, None)
    record.fields = {"query": logged, "path": "/api/x/me@example.com"}
    line = JsonLines().format(record)
    assert "[email]" in line and "me@example.com" not in line


def test_a_parameter_that_differs_from_what_the_route_scrubbed_is_scrubbed_here() -> None:
    raw = urlencode([("q", "call 0821234567"), ("q", "mail a@example.org")])
    logged = _without_names(raw, {"q": ("mail a@example.org", Scrubbed(scrub("mail a@example.org")))})
    assert logged == "q=call [phone]&q=mail [email]"
