"""The record of searches and answers, so editors learn what people could not find.

The search routes call `SearchLog.record` once per request. A failure to record is
logged and swallowed: a reader's search must never fail because of bookkeeping.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence

from search_api.listening.store import FeedbackStore, SearchRecord
from search_api.engine.search import Hit

log = logging.getLogger("search_api.listening.search_log")


class SearchLog:
    def __init__(self, store: FeedbackStore) -> None:
        self.store = store

    def record(self, endpoint: str, query: str, hits: Sequence[Hit], confident: bool | None) -> None:
        """Write the scrubbed query, how many results it had, the top score and the confidence.

        `confident` is None only for an endpoint that does not judge confidence.
        """
        top_score = max((h.score for h in hits), default=None)
        record = SearchRecord(endpoint=endpoint, query=query, results=len(hits), top_score=top_score,
                              confident=confident)
        try:
            self.store.add_search(record)
        except (sqlite3.Error, OSError) as error:
            log.warning("search not recorded in %s: %s", self.store.path, error)

