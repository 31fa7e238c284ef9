"""The record of searches and answers, so editors learn what people could not find.

The search routes call `SearchLog.record` once per request. It only hands the record
to a writer thread and returns: a reader's search never waits for the database and
never fails because of bookkeeping. The writer stores what has gathered in one
transaction (a batch), which costs the database a fraction of a write per search.

The record is best-effort, and says so in the log: while the database is down or full
a batch that cannot be stored is dropped with a warning, and so are records beyond
MAX_PENDING waiting for it. A process killed without shutdown loses what was still
waiting, a fraction of a second of searches. Feedback is never handled this way: a
reader's answer is stored before the API says 201 (see the feedback route).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Sequence

from search_api.engine.search import Hit
from search_api.listening.store import FeedbackStore, SearchRecord, StoreUnavailable

log = logging.getLogger("search_api.listening.search_log")

MAX_PENDING = 10_000  # records waiting for the writer; past this they are dropped
MAX_BATCH = 500  # records in one transaction
LINGER_S = 0.05  # after the first record, wait this long for more: fewer, larger transactions
WARN_EVERY_S = 30.0  # at most one warning this often about records that were not stored


class SearchLog:
    def __init__(self, store: FeedbackStore) -> None:
        self.store = store
        self._queue: queue.Queue[SearchRecord | threading.Event | None] = queue.Queue(MAX_PENDING)
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._lost = 0  # records not stored since the last warning
        self._warned_at = 0.0
        self._lost_lock = threading.Lock()

    def record(self, endpoint: str, query: str, hits: Sequence[Hit], confident: bool | None) -> None:
        """Queue the query (scrubbed by the store, unless it is `Scrubbed` already), how many
        results it had, the top score and the confidence.

        `confident` is None only for an endpoint that does not judge confidence.
        """
        top_score = max((h.score for h in hits), default=None)
        record = SearchRecord(endpoint=endpoint, query=query, results=len(hits), top_score=top_score,
                              confident=confident)
        if self._thread is None:
            self._start()
        try:
            self._queue.put_nowait(record)
        except queue.Full:
            self._lose(1, f"more than {MAX_PENDING} records waiting for the database")

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every record queued before this call is stored (or dropped)."""
        if self._thread is None:
            return True
        done = threading.Event()
        try:
            self._queue.put(done, timeout=timeout)
        except queue.Full:
            return False
        return done.wait(timeout)

    def close(self, timeout: float = 10.0) -> None:
        """Store what is queued, then stop the writer (at shutdown)."""
        thread = self._thread
        if thread is None:
            return
        self.flush(timeout)
        self._queue.put(None)
        thread.join(timeout)
        self._thread = None

    def _start(self) -> None:
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._write_batches, name="search-log", daemon=True)
                self._thread.start()

    def _write_batches(self) -> None:
        while True:
            first = self._queue.get()
            if first is not None and not isinstance(first, threading.Event):
                time.sleep(LINGER_S)
            batch: list[SearchRecord] = []
            waiting: list[threading.Event] = []
            stop = False
            item = first
            while True:
                if item is None:
                    stop = True
                elif isinstance(item, threading.Event):
                    waiting.append(item)
                else:
                    batch.append(item)
                if stop or len(batch) >= MAX_BATCH:
                    break
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            self._store(batch)
            for done in waiting:
                done.set()
            if stop:
                return

    def _store(self, batch: list[SearchRecord]) -> None:
        if not batch:
            return
        try:
            self.store.add_searches(batch)
        except StoreUnavailable as error:
            self._lose(len(batch), str(error))
        except Exception:  # the writer must outlive any one bad batch
            log.exception("search records not stored")
            self._lose(len(batch), "unexpected error")

    def _lose(self, count: int, reason: str) -> None:
        with self._lost_lock:
            self._lost += count
            now = time.monotonic()
            if now - self._warned_at < WARN_EVERY_S:
                return
            lost, self._lost, self._warned_at = self._lost, 0, now
        log.warning("%d search records not stored (the record is best-effort): %s", lost, reason)
