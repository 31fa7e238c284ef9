"""The Chatwoot integration end to end: Chatwoot's documented payloads in, notes out.

The app runs under uvicorn as in production; a small HTTP server (tests/chatwoot_fake.py)
plays Chatwoot's API and records what is posted to it. The payloads are the fixtures in
tests/data/chatwoot/ (their sources are named in its README).
"""

from __future__ import annotations

import copy
import json
import logging
import re
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from search_api.replies.compose import x_length
from tests.chatwoot_fake import FakeChatwoot
from tests.conftest import Built, ServerThread, free_port, sqlite_file

DATA = Path(__file__).parent / "data" / "chatwoot"
SECRET = "webhook-secret-3f9a1c"
API_TOKEN = "bot-token-77b2"
SAST = ZoneInfo("Africa/Johannesburg")
THURSDAY_MORNING = datetime(2026, 12, 3, 10, 0, tzinfo=SAST)
SATURDAY = datetime(2026, 12, 5, 11, 0, tzinfo=SAST)
WEBHOOK = "/api/integrations/chatwoot"


def fixture(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def chatwoot() -> Iterator[FakeChatwoot]:
    fake = FakeChatwoot(API_TOKEN, free_port()).start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def running(built: Built, chatwoot: FakeChatwoot, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerThread]:
    settings = built.settings.model_copy(update={
        "port": free_port(), "chatwoot_url": chatwoot.url, "chatwoot_api_token": API_TOKEN,
        "chatwoot_webhook_secret": SECRET, "feedback_db": tmp_path_factory.mktemp("cw") / "feedback.sqlite3",
    })
    with ServerThread(settings) as server:
        bridge = server.server.config.app.state.chatwoot
        bridge.retry_delays = (0.05, 0.1, 0.2)  # the production delays, shortened
        yield server


@pytest.fixture()
def app_state(running: ServerThread, chatwoot: FakeChatwoot) -> Iterator[Any]:
    state = running.server.config.app.state
    chatwoot.clear()
    state.clock = lambda: THURSDAY_MORNING
    yield state
    state.chatwoot.wait_idle()
    state.clock = lambda: THURSDAY_MORNING


@pytest.fixture()
def http(running: ServerThread) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=running.base_url, timeout=30) as client:
        yield client


_counter = iter(range(700000, 10**7))


def event(name: str = "message_created_whatsapp.json", **changes: Any) -> dict[str, Any]:
    """A fixture with a fresh message id (and conversation id, unless given)."""
    body = copy.deepcopy(fixture(name))
    body["id"] = next(_counter)
    body["conversation"]["id"] = changes.pop("conversation_id", next(_counter))
    if "channel" in changes:
        body["conversation"]["channel"] = changes.pop("channel")
    body.update(changes)
    return body


def send(http: httpx.Client, body: Any, token: str | None = SECRET) -> httpx.Response:
    params = {"token": token} if token is not None else {}
    content = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return http.post(WEBHOOK, params=params, content=content, headers={"Content-Type": "application/json"})


def settle(state: Any) -> None:
    assert state.chatwoot.wait_idle(), "the notes were still being made after 30 s"


def replies_in(note: str) -> list[str]:
    """Each quoted reply of a note, as the creator would get it."""
    replies, current = [], []
    for line in note.splitlines() + [""]:
        if line.startswith(">"):
            current.append(line[2:] if line.startswith("> ") else "")
        elif current:
            replies.append("\n".join(current))
            current = []
    return replies


def counts_in(note: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in re.findall(r"\((\d+)/(\d+)\)", note)]


# --- the notes --------------------------------------------------------------------------------


def test_a_two_question_whatsapp_message_gives_one_note_with_both(http: httpx.Client, app_state: Any,
                                                                   chatwoot: FakeChatwoot) -> None:
    body = event()
    response = send(http, body)
    assert response.status_code == 202 and response.json() == {"status": "queued", "reason": None}
    settle(app_state)
    posts = chatwoot.in_conversation(body["conversation"]["id"])
    assert len(posts) == 1
    note = posts[0]
    assert note.private and note.body["message_type"] == "outgoing" and note.account_id == body["account"]["id"]
    assert "**1. “When do I get paid for radio plays?”**" in note.content
    assert "**2. “Also, how do I register a song with you?”**" in note.content
    assert "WhatsApp (500 characters, plain text)" in note.content
    assert "Nothing has been sent to the creator" in note.content
    replies = replies_in(note.content)
    assert len(replies) == 4  # two cards for each question
    for reply in replies:
        assert reply.startswith("Hi Thandi,\n") and len(reply) <= 500
        assert "*" not in reply and "http" in reply
    assert all(length <= limit == 500 for length, limit in counts_in(note.content))


def test_an_x_messages_replies_fit_280(http: httpx.Client, app_state: Any, chatwoot: FakeChatwoot) -> None:
    body = event("message_created_x.json")
    assert send(http, body).status_code == 202
    settle(app_state)
    [note] = chatwoot.in_conversation(body["conversation"]["id"])
    assert "X (280 characters, plain text)" in note.content
    replies = replies_in(note.content)
    assert replies and all(x_length(reply) <= 280 for reply in replies)
    assert all(limit == 280 and length <= 280 for length, limit in counts_in(note.content))


@pytest.mark.parametrize(("channel", "extra", "named"), [
    ("Channel::FacebookPage", {}, "Facebook (500 characters"),
    ("Channel::FacebookPage", {"type": "instagram_direct_message"}, "Instagram (as Facebook: 500 characters"),
    ("Channel::Instagram", {}, "Instagram (as Facebook: 500 characters"),
    ("Channel::Sms", {}, "SMS (320 characters"),
    ("Channel::Email", {}, "e-mail (no length limit)"),
    ("Channel::WebWidget", {}, "web chat (as WhatsApp: 500 characters"),
])
def test_each_channel_gets_replies_sized_for_it(http: httpx.Client, app_state: Any, chatwoot: FakeChatwoot,
                                                channel: str, extra: dict[str, str], named: str) -> None:
    body = event(channel=channel)
    body["conversation"]["additional_attributes"] = extra
    assert send(http, body).status_code == 202
    settle(app_state)
    [note] = chatwoot.in_conversation(body["conversation"]["id"])
    assert named in note.content
    if channel == "Channel::Email":
        assert all(reply.startswith("Hi Thandi,\n\n") and reply.rstrip().endswith("team")
                   for reply in replies_in(note.content))


def test_a_question_with_no_confident_answer_says_so(http: httpx.Client, app_state: Any,
                                                     chatwoot: FakeChatwoot) -> None:
    body = event(content="Good morning. My father was a composer and he passed away in March. "
                         "Can I receive his royalties?")
    assert send(http, body).status_code == 202
    settle(app_state)
    [note] = chatwoot.in_conversation(body["conversation"]["id"])
    assert "No confident answer" in note.content
    assert "There is no page on our help centre that answers this yet." in note.content
    assert "Nearest pages, to check before you use them:" in note.content


@pytest.mark.parametrize("name", ["message_created_outgoing.json", "message_created_private.json",
                                  "message_created_bot.json", "conversation_created.json"])
def test_outgoing_private_bot_and_other_events_post_nothing(http: httpx.Client, app_state: Any,
                                                            chatwoot: FakeChatwoot, name: str) -> None:
    body = copy.deepcopy(fixture(name))
    response = send(http, body)
    assert response.status_code == 202 and response.json()["status"] == "ignored"
    assert response.json()["reason"]
    settle(app_state)
    assert chatwoot.wait_for(1, timeout=0.3) == []


def test_the_same_event_twice_posts_once(http: httpx.Client, app_state: Any, chatwoot: FakeChatwoot) -> None:
    body = event()
    assert send(http, body).json()["status"] == "queued"
    assert send(http, body).json()["status"] == "duplicate"
    settle(app_state)
    assert send(http, body).json()["status"] == "duplicate"  # a late retry, after the note
    settle(app_state)
    assert len(chatwoot.in_conversation(body["conversation"]["id"])) == 1


def test_chatwoot_down_then_up_posts_the_note_once(http: httpx.Client, app_state: Any,
                                                   chatwoot: FakeChatwoot, caplog: pytest.LogCaptureFixture) -> None:
    chatwoot.fail_next(2)  # 503 twice, as while Chatwoot restarts
    body = event()
    with caplog.at_level(logging.INFO, logger="search_api.chatwoot"):
        assert send(http, body).status_code == 202
        settle(app_state)
    assert chatwoot.refused == [503, 503]
    assert len(chatwoot.in_conversation(body["conversation"]["id"])) == 1
    assert "note posted to conversation %d on try 3" % body["conversation"]["id"] in caplog.text


def test_chatwoot_unreachable_then_back(http: httpx.Client, app_state: Any, chatwoot: FakeChatwoot) -> None:
    bridge = app_state.chatwoot
    slept: list[float] = []

    def sleep_and_restart(seconds: float) -> None:
        slept.append(seconds)
        if len(slept) == 2:
            chatwoot.start()  # back after the second try

    chatwoot.stop()  # connection refused
    bridge.sleep = sleep_and_restart
    try:
        body = event()
        assert send(http, body).status_code == 202
        settle(app_state)
    finally:
        bridge.sleep = __import__("time").sleep
        if len(slept) < 2:
            chatwoot.start()
    assert len(slept) == 2
    assert len(chatwoot.in_conversation(body["conversation"]["id"])) == 1


def test_it_gives_up_after_bounded_tries_and_logs_it(http: httpx.Client, app_state: Any, chatwoot: FakeChatwoot,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    chatwoot.fail_next(100)
    body = event()
    with caplog.at_level(logging.WARNING, logger="search_api.chatwoot"):
        assert send(http, body).status_code == 202
        settle(app_state)
    chatwoot.fail_next(0)
    assert chatwoot.refused == [503] * 4  # one try and three more, then no more
    gave_up = [r for r in caplog.records if "gave up" in r.getMessage()]
    assert len(gave_up) == 1
    message = gave_up[0].getMessage()
    assert f"conversation {body['conversation']['id']}" in message and "Chatwoot answered 503" in message
    assert body["content"] not in caplog.text
    # Nothing reached the agent, so a later delivery of the same message tries again.
    assert send(http, body).json()["status"] == "queued"
    settle(app_state)
    assert len(chatwoot.in_conversation(body["conversation"]["id"])) == 1


# --- out of hours -----------------------------------------------------------------------------


def test_out_of_hours_one_public_reply_with_the_next_opening(http: httpx.Client, app_state: Any,
                                                             chatwoot: FakeChatwoot) -> None:
    app_state.clock = lambda: SATURDAY
    conversation = next(_counter)
    first = event(conversation_id=conversation)
    assert send(http, first).status_code == 202
    settle(app_state)
    posts = chatwoot.in_conversation(conversation)
    assert [p.private for p in posts] == [True, False]  # the note, then the reply
    note, reply = posts
    assert reply.body["message_type"] == "outgoing"
    text = reply.content
    assert text.startswith("Hi Thandi,\nThis is an automatic reply: our team is not in right now.")
    assert "A person will answer you on Monday at 08:00 (South African time)." in text
    links = re.findall(r"https?://\S+", text)
    assert 1 <= len(links) <= 2 and "These pages may already help:" in text
    assert len(text) <= 500
    assert "The creator got the automatic out-of-hours reply (on Monday at 08:00)" in note.content

    # A second message in the same closure: a note for the agent, no second reply.
    second = event(conversation_id=conversation)
    assert send(http, second).status_code == 202
    settle(app_state)
    assert [p.private for p in chatwoot.in_conversation(conversation)] == [True, False, True]


def test_out_of_hours_on_x_the_reply_fits_and_keeps_the_time(http: httpx.Client, app_state: Any,
                                                             chatwoot: FakeChatwoot) -> None:
    app_state.clock = lambda: datetime(2026, 12, 4, 19, 0, tzinfo=SAST)  # Friday evening
    body = event("message_created_x.json")
    assert send(http, body).status_code == 202
    settle(app_state)
    reply = [p for p in chatwoot.in_conversation(body["conversation"]["id"]) if not p.private]
    assert len(reply) == 1
    assert "on Monday at 08:00" in reply[0].content and x_length(reply[0].content) <= 280


def test_out_of_hours_links_only_where_confident(http: httpx.Client, app_state: Any,
                                                 chatwoot: FakeChatwoot) -> None:
    app_state.clock = lambda: SATURDAY
    body = event(content="My father was a composer and he passed away in March. Can I receive his royalties?")
    assert send(http, body).status_code == 202
    settle(app_state)
    [reply] = [p for p in chatwoot.in_conversation(body["conversation"]["id"]) if not p.private]
    assert "http" not in reply.content and "These pages" not in reply.content
    assert "A person will answer you on Monday at 08:00" in reply.content


def test_in_hours_nothing_goes_to_the_creator(http: httpx.Client, app_state: Any, chatwoot: FakeChatwoot) -> None:
    body = event()
    assert send(http, body).status_code == 202
    settle(app_state)
    assert [p.private for p in chatwoot.in_conversation(body["conversation"]["id"])] == [True]


def test_opening_hours_endpoint(http: httpx.Client, app_state: Any) -> None:
    app_state.clock = lambda: SATURDAY
    body = http.get("/api/opening-hours").json()
    assert body == {
        "open": False, "now": "2026-12-05T11:00+02:00", "closes_at": None, "opens_at": "2026-12-07T08:00+02:00",
        "next_open": "on Monday at 08:00",
        "hours": "Monday to Friday, 08:00 to 17:00 (South African time), except public holidays",
        "timezone": "Africa/Johannesburg",
    }
    app_state.clock = lambda: THURSDAY_MORNING
    body = http.get("/api/opening-hours").json()
    assert body["open"] is True and body["closes_at"] == "2026-12-03T17:00+02:00" and body["next_open"] is None


# --- the door ---------------------------------------------------------------------------------


def test_a_wrong_or_missing_secret_is_refused(http: httpx.Client, app_state: Any, chatwoot: FakeChatwoot) -> None:
    body = event()
    wrong = send(http, body, token="not-the-secret")
    assert wrong.status_code == 403 and "CHATWOOT_WEBHOOK_SECRET" in wrong.json()["detail"]
    missing = send(http, body, token=None)
    assert missing.status_code == 401 and "token" in missing.json()["detail"]
    settle(app_state)
    assert chatwoot.wait_for(1, timeout=0.3) == []


@pytest.mark.parametrize(("body", "says"), [
    (b"{not json", "not JSON"),
    (b"[1, 2]", "the body must be an object"),
    (json.dumps({"id": 5, "content": "hi"}), "event is missing"),
    (json.dumps({**fixture("message_created_whatsapp.json"), "event": "push"}), "'push' is not a Chatwoot event"),
    (json.dumps({**fixture("message_created_whatsapp.json"), "id": "five"}), "id (the message's) must be a whole number"),
    (json.dumps({**fixture("message_created_whatsapp.json"), "conversation": None}), "conversation must be an object"),
    (json.dumps({**fixture("message_created_whatsapp.json"), "message_type": "sideways"}), "message_type must be"),
    (json.dumps({**fixture("message_created_whatsapp.json"), "content": 42}), "content must be text"),
])
def test_a_malformed_payload_is_422_with_a_message(http: httpx.Client, app_state: Any, body: Any, says: str) -> None:
    response = send(http, body)
    assert response.status_code == 422
    assert says in response.json()["detail"]


def test_the_secret_never_reaches_a_log_line(http: httpx.Client, app_state: Any,
                                             caplog: pytest.LogCaptureFixture) -> None:
    from search_api.api.logs import JsonLines

    with caplog.at_level(logging.DEBUG):
        send(http, event())
        send(http, event(), token="a-wrong-guess")
        settle(app_state)
    # The server's loggers (this test's own httpx client logs its URLs too).
    lines = [JsonLines().format(r) for r in caplog.records if r.name.startswith(("search_api", "uvicorn"))]
    access = [json.loads(line) for line in lines if '"search_api.access"' in line]
    assert any(entry["query"] == "token=[secret]" for entry in access)
    assert not any(SECRET in line or "a-wrong-guess" in line or API_TOKEN in line for line in lines)


def test_unset_settings_answer_404(client: httpx.Client) -> None:
    response = client.post(WEBHOOK, params={"token": SECRET}, json=fixture("message_created_whatsapp.json"))
    assert response.status_code == 404
    assert "CHATWOOT_URL" in response.json()["detail"]


def test_nothing_but_the_scrubbed_search_record_is_kept(http: httpx.Client, app_state: Any,
                                                        running: ServerThread) -> None:
    body = event(content="Hi, this is Thandi Mokoena, 060 000 0001. How do I update my bank details?")
    send(http, body)
    settle(app_state)
    assert app_state.search_log.flush()  # search records are written in batches
    db = sqlite_file(running.server.config.app.state.settings.feedback_db)
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT * FROM searches WHERE endpoint = 'chatwoot'").fetchall()
        everything = "\n".join(str(row) for table in ("searches", "feedback")
                               for row in connection.execute(f"SELECT * FROM {table}"))
    assert rows
    assert "060 000 0001" not in everything and "Mokoena" not in everything
    assert "+27600000001" not in everything  # the contact's number from the payload


def test_posts_carry_the_api_token(chatwoot: FakeChatwoot) -> None:
    # The fake refuses any post without the right api_access_token; none was refused.
    assert 401 not in chatwoot.refused


def test_a_large_email_event_is_read(http: httpx.Client, app_state: Any, chatwoot: FakeChatwoot) -> None:
    # An e-mail's webhook carries its HTML in content_attributes: past the API's usual 64 KiB.
    body = event(channel="Channel::Email", content="Hello, how do I update my bank details? Regards, Thandi")
    body["content_attributes"] = {"email": {"html_content": {"full": "<p>" + "quoted thread " * 8000 + "</p>"}}}
    assert len(json.dumps(body)) > 64 * 1024
    assert send(http, body).status_code == 202
    settle(app_state)
    assert len(chatwoot.in_conversation(body["conversation"]["id"])) == 1


def test_no_out_of_hours_reply_where_chatwoot_can_no_longer_reply(http: httpx.Client, app_state: Any,
                                                                  chatwoot: FakeChatwoot) -> None:
    app_state.clock = lambda: SATURDAY
    body = event()
    body["conversation"]["can_reply"] = False  # WhatsApp's 24-hour window has closed
    assert send(http, body).status_code == 202
    settle(app_state)
    assert [p.private for p in chatwoot.in_conversation(body["conversation"]["id"])] == [True]
