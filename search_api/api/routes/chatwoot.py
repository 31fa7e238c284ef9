"""Chatwoot: `POST /api/integrations/chatwoot` (its webhook or agent bot URL) and
`GET /api/opening-hours` (is the team in, when does it next open).

The webhook answers at once: it checks the secret, reads the payload and queues the
message; api/chatwoot.py does the search and posts the note. Chatwoot's webhooks are
not signed, so the secret is the `token` in the URL; it is compared in constant time
and the access log writes it as [secret].
"""

from __future__ import annotations

import hmac
import json
import logging
import queue
from typing import Annotated

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request

from search_api.api import models
from search_api.api.chatwoot import Bridge
from search_api.api.state import AppState
from search_api.replies.chatwoot import CHANNEL_TYPES, DEFAULT_CHANNEL, Ignored, PayloadError, read_event
from search_api.settings import Settings
from search_api.site.hours import OpeningHours, in_words

log = logging.getLogger("search_api.chatwoot")
router = APIRouter(prefix="/api")
WEBHOOK_ERRORS = {code: {"model": models.ErrorMessage} for code in (401, 403, 404, 422, 503)}


def _bridge(request: Request) -> Bridge:
    bridge: Bridge | None = request.app.state.chatwoot
    if bridge is None:
        raise HTTPException(404, "The Chatwoot integration is off: set CHATWOOT_URL, CHATWOOT_API_TOKEN "
                                 "and CHATWOOT_WEBHOOK_SECRET to turn it on.")
    return bridge


@router.post("/integrations/chatwoot", responses=WEBHOOK_ERRORS, status_code=202)
async def chatwoot_webhook(
    request: Request,
    token: Annotated[str, Query(description="CHATWOOT_WEBHOOK_SECRET, as in the URL pasted into Chatwoot")] = "",
) -> models.WebhookAck:
    """Chatwoot's `message_created` event -> a private note with the answers, in the background."""
    bridge = _bridge(request)
    if not token:
        raise HTTPException(401, "token is missing: use the webhook URL with ?token=CHATWOOT_WEBHOOK_SECRET.")
    if not hmac.compare_digest(token.encode(), bridge.settings.chatwoot_webhook_secret.encode()):
        raise HTTPException(403, "token is not this server's CHATWOOT_WEBHOOK_SECRET.")
    try:
        payload = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        raise HTTPException(422, "The body is not JSON: Chatwoot sends its event as a JSON object.") from None
    try:
        event = read_event(payload)
    except PayloadError as error:
        raise HTTPException(422, f"Not a Chatwoot event this endpoint reads: {error}.") from None
    if isinstance(event, Ignored):
        log.debug("chatwoot: ignored (%s)", event.reason)
        return models.WebhookAck(status="ignored", reason=event.reason)
    try:
        queued = bridge.submit(event)
    except queue.Full:
        log.error("chatwoot: queue full; message %s in conversation %s not queued", event.message_id,
                  event.conversation_id)
        raise HTTPException(503, "Too many messages are waiting for their notes; Chatwoot may send it again.") from None
    return models.WebhookAck(status="queued" if queued else "duplicate")


@router.get("/integrations/chatwoot/desk", responses={404: {"model": models.ErrorMessage}})
def desk_embed_config(request: Request) -> models.DeskEmbedConfig:
    """What the desk's dashboard-app mode (/desk/?embed=chatwoot) needs: whose messages to read."""
    settings: Settings = request.app.state.settings
    if not settings.chatwoot_url:
        raise HTTPException(404, "The desk's Chatwoot mode is off: set CHATWOOT_URL to turn it on.")
    channels = {kind: channel for kind, (channel, _) in CHANNEL_TYPES.items()}
    return models.DeskEmbedConfig(origin=settings.chatwoot_origin, channels={**channels, "default": DEFAULT_CHANNEL[0]})


@router.get("/opening-hours", responses={404: {"model": models.ErrorMessage}})
def opening_hours(request: Request) -> models.OpeningHoursState:
    """Whether the team is in now, and when it next opens (from extra.opening_hours)."""
    hours: OpeningHours | None = request.app.state.opening_hours
    if hours is None:
        raise HTTPException(404, "No opening hours are set: add extra.opening_hours to mkdocs.yml.")
    state = hours.state(request.app.state.clock())
    return models.OpeningHoursState(
        open=state.open, now=state.now.isoformat(timespec="minutes"),
        closes_at=state.closes_at.isoformat(timespec="minutes") if state.closes_at else None,
        opens_at=state.opens_at.isoformat(timespec="minutes") if state.opens_at else None,
        next_open=in_words(state.opens_at, state.now) if state.opens_at else None,
        hours=hours.sentence(), timezone=hours.timezone.key,
    )


def register_chatwoot(app: FastAPI, state: AppState) -> None:
    """Add both routes; the bridge exists only with all three CHATWOOT_ settings.

    `state.clock` gives "now" to both (tests set it to a Monday morning or a Sunday).
    """
    if state.settings.chatwoot_enabled:
        bridge = Bridge(state.settings, index=state.live_index, searches=lambda: state.search_log,
                        wording=state.desk_wording, hours=state.opening_hours)
        bridge.clock = lambda: state.clock()
        state.chatwoot = bridge
    app.include_router(router)
