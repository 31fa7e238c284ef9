"""Everything the app holds between requests, in one typed object: `app.state`.

Built once by `create_app` from the settings; the routes reach it through `deps.py`.
Nothing else is kept between requests, beyond the loaded index this holds.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from search_api.api.limits import RateLimiter
from search_api.engine.index import LiveIndex
from search_api.listening.search_log import SearchLog
from search_api.listening.store import FeedbackStore
from search_api.replies.compose import Wording
from search_api.replies.organisation import load_wording
from search_api.settings import Settings
from search_api.site import hours as opening
from search_api.site.hours import OpeningHours

from search_api.api.chatwoot import Bridge, utc_now


@dataclass
class AppState:
    settings: Settings
    feedback_store: FeedbackStore
    search_log: SearchLog
    desk_wording: Wording  # read from mkdocs.yml at start-up: a bad placeholder stops it
    opening_hours: OpeningHours | None
    feedback_limiter: RateLimiter | None  # stricter than the API-wide limit: feedback is a write
    reindex_lock: threading.Lock = field(default_factory=threading.Lock)
    clock: Callable[[], datetime] = utc_now  # "now" for opening hours (tests set a Monday or a Sunday)
    index: LiveIndex | None = None  # opened in the lifespan, or on first use after a failed start
    chatwoot: Bridge | None = None  # only with all three CHATWOOT_ settings

    @classmethod
    def from_settings(cls, settings: Settings) -> AppState:
        store = FeedbackStore(settings.feedback_db, settings.retention_days)
        return cls(
            settings=settings,
            feedback_store=store,
            search_log=SearchLog(store),
            desk_wording=load_wording(settings.mkdocs_config),
            opening_hours=opening.load(settings.mkdocs_config),
            feedback_limiter=RateLimiter(settings.feedback_per_minute) if settings.feedback_per_minute else None,
        )

    def live_index(self) -> LiveIndex:
        """The live index, opened on first use; IndexUnavailable (a 503, errors.py) when there is none."""
        if self.index is None:
            self.index = LiveIndex(self.settings.index_dir)
        return self.index
