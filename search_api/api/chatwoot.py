"""The Chatwoot bridge: a queue and one worker thread that turn creators' messages into
private notes (and, out of hours, one public reply), posted through Chatwoot's API.

The webhook route only checks, reads and queues (it answers Chatwoot in milliseconds);
the search and the posts happen here. What it keeps, all in memory and bounded:
the ids of recent messages (Chatwoot's retries post nothing twice) and the closures in
which a conversation already had its out-of-hours reply (once per closure). It never
keeps a message's text or a contact: the only record is the scrubbed search record.

Posts that fail (connection refused, a timeout, a 5xx or 429) are tried again a
bounded number of times, then logged as given up with the conversation's number and
the reason, never the text.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
import urllib.error
import urllib.request
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from search_api.engine.index import LiveIndex
from search_api.engine.search import Hit, QuestionOutcome, answer_questions
from search_api.links import deep_link
from search_api.listening.search_log import SearchLog
from search_api.replies import chatwoot as notes
from search_api.replies.compose import Wording, compose_out_of_hours
from search_api.site.hours import OpeningHours, in_words
from search_api.settings import Settings

log = logging.getLogger("search_api.chatwoot")

QUEUE_SIZE = 1000  # messages waiting for their note; past it the webhook answers 503
REMEMBERED = 10_000  # recent message ids and closures kept, oldest forgotten first
POST_TIMEOUT_S = 10.0
RETRY_DELAYS_S = (1.0, 5.0, 30.0)  # after the first try: four tries in about 40 s


class _Recent:
    """A bounded set: adding past `size` forgets the oldest. Thread-safe."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple[object, ...], None] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, key: tuple[object, ...]) -> bool:
        """True if `key` is new (and now remembered), False if it was already there."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return False
            self._items[key] = None
            while len(self._items) > self.size:
                self._items.popitem(last=False)
            return True

    def discard(self, key: tuple[object, ...]) -> None:
        with self._lock:
            self._items.pop(key, None)

    def __len__(self) -> int:
        return len(self._items)


class PostFailed(Exception):
    def __init__(self, reason: str, retry: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry = retry


@dataclass(frozen=True)
class Post:
    account_id: int
    conversation_id: int
    content: str
    private: bool
    what: str  # "note" or "out-of-hours reply", for the log


class ChatwootAPI:
    """`POST /api/v1/accounts/{account}/conversations/{id}/messages` with `api_access_token`."""

    def __init__(self, base_url: str, token: str, timeout_s: float = POST_TIMEOUT_S) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout_s = timeout_s

    def post(self, post: Post) -> None:
        url = f"{self.base_url}/api/v1/accounts/{post.account_id}/conversations/{post.conversation_id}/messages"
        body = {"content": post.content, "message_type": "outgoing", "private": post.private, "content_type": "text"}
        request = urllib.request.Request(
            url, data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json", "api_access_token": self.token},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                response.read()
        except urllib.error.HTTPError as error:
            retry = error.code >= 500 or error.code in (408, 429)
            raise PostFailed(f"Chatwoot answered {error.code}", retry) from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise PostFailed(f"Chatwoot could not be reached ({reason})", True) from None


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Bridge:
    def __init__(self, settings: Settings, index: Callable[[], LiveIndex], searches: Callable[[], SearchLog],
                 wording: Wording, hours: OpeningHours | None) -> None:
        self.settings = settings
        self.api = ChatwootAPI(settings.chatwoot_url, settings.chatwoot_api_token)
        self.index = index
        self.searches = searches
        self.wording = wording
        self.hours = hours
        self.clock: Callable[[], datetime] = utc_now
        self.retry_delays: tuple[float, ...] = RETRY_DELAYS_S
        self.sleep: Callable[[float], None] = time.sleep
        self.queue: queue.Queue[notes.Incoming] = queue.Queue(maxsize=QUEUE_SIZE)
        self.seen = _Recent(REMEMBERED)
        self.replied = _Recent(REMEMBERED)
        self._worker: threading.Thread | None = None
        self._start_lock = threading.Lock()

    # --- called by the route ---------------------------------------------------------------

    def submit(self, incoming: notes.Incoming) -> bool:
        """Queue a message for its note; False when it was already queued (a retry).

        Raises queue.Full when the worker is far behind.
        """
        key = (incoming.account_id, incoming.message_id)
        if not self.seen.add(key):
            return False
        try:
            self.queue.put_nowait(incoming)
        except queue.Full:
            self.seen.discard(key)  # Chatwoot may send it again; then it is new
            raise
        self._ensure_worker()
        return True

    def _ensure_worker(self) -> None:
        if self._worker is not None and self._worker.is_alive():
            return
        with self._start_lock:
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._run, name="chatwoot-notes", daemon=True)
                self._worker.start()

    def _run(self) -> None:
        while True:
            incoming = self.queue.get()
            try:
                self.handle(incoming)
            except Exception:  # one bad message must not stop the notes for the rest
                log.exception("chatwoot: no note for message %s in conversation %s",
                              incoming.message_id, incoming.conversation_id)
            finally:
                self.queue.task_done()

    # --- the work --------------------------------------------------------------------------

    def link_for(self, hit: Hit) -> str:
        return deep_link(self.settings.public_url, hit.page, hit.anchor)

    def handle(self, incoming: notes.Incoming) -> None:
        ix, _ = self.index().get()
        found, _ = answer_questions(ix, incoming.content, limit=notes.CARDS_PER_QUESTION)
        searches = self.searches()
        for question in found:
            searches.record("chatwoot", question.text, question.outcome.hits, question.outcome.confident)
        reply = self._out_of_hours_reply(incoming, found)
        told = f"The creator got the automatic out-of-hours reply ({reply[1]})" if reply else ""
        note = notes.compose_note(incoming, found, self.wording, self.link_for, out_of_hours=told)
        posted = self._post(Post(incoming.account_id, incoming.conversation_id, note, True, "note"))
        if not posted:
            # Nothing reached the agent: a later delivery of the same message may try again.
            self.seen.discard((incoming.account_id, incoming.message_id))
        if reply:
            post = Post(incoming.account_id, incoming.conversation_id, reply[0], False, "out-of-hours reply")
            if not self._post(post):
                self.replied.discard(reply[2])

    def _out_of_hours_reply(self, incoming: notes.Incoming, found: list[QuestionOutcome]
                            ) -> tuple[str, str, tuple[object, ...]] | None:
        """(the reply, when in words, its closure key), outside opening hours only, once a closure."""
        if self.hours is None or not incoming.can_reply:
            return None  # no hours set, or the channel no longer lets anyone reply
        state = self.hours.state(self.clock())
        if state.open or state.opens_at is None:
            return None
        key = (incoming.account_id, incoming.conversation_id, state.opens_at.isoformat())
        if not self.replied.add(key):
            return None
        when = in_words(state.opens_at, state.now)
        links = notes.confident_links(found, self.link_for)
        reply = compose_out_of_hours(incoming.channel, self.wording, when, links, incoming.first_name)
        return reply.text, when, key

    def _post(self, post: Post) -> bool:
        delays = (0.0, *self.retry_delays)
        reason = ""
        for attempt, delay in enumerate(delays, 1):
            if delay:
                self.sleep(delay)
            try:
                self.api.post(post)
                if attempt > 1:
                    log.info("chatwoot: %s posted to conversation %s on try %d", post.what, post.conversation_id,
                             attempt)
                return True
            except PostFailed as failed:
                reason = failed.reason
                if not failed.retry:
                    break
                log.warning("chatwoot: %s for conversation %s not posted on try %d of %d: %s", post.what,
                            post.conversation_id, attempt, len(delays), reason)
        log.error("chatwoot: gave up on the %s for conversation %s (account %s): %s", post.what,
                  post.conversation_id, post.account_id, reason)
        return False

    def wait_idle(self, timeout_s: float = 30.0) -> bool:
        """For scripts and tests: True once every queued message is done."""
        deadline = time.monotonic() + timeout_s
        while self.queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)
        return not self.queue.unfinished_tasks
