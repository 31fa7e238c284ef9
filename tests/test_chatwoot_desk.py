"""The desk as a Chatwoot dashboard app, in Chromium: a parent page on Chatwoot's origin
frames /desk/?embed=chatwoot and posts appContext as Chatwoot does (a JSON string)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Frame, Page, expect

from tests.chatwoot_fake import FakeChatwoot
from tests.conftest import Built, ServerThread, free_port

DATA = Path(__file__).parent / "data" / "chatwoot"
CONTEXT = json.loads((DATA / "app_context.json").read_text(encoding="utf-8"))
LATEST_INCOMING = CONTEXT["data"]["conversation"]["messages"][2]["content"]

# What Chatwoot's DashboardApp/Frame.vue does: post the context when the frame loads and
# whenever the app asks with 'chatwoot-dashboard-app:fetch-info'.
DASHBOARD = """<!doctype html><meta charset="utf-8"><title>Chatwoot</title>
<iframe id="app" src="{desk}" style="width:600px;height:700px"></iframe>{other}
<script>
  const context = {context};
  const frame = document.getElementById("app");
  window.asked = 0;
  function send() {{ if ({answer}) frame.contentWindow.postMessage(JSON.stringify(context), "*"); }}
  frame.addEventListener("load", () => {{ window.frameLoaded = true; send(); }});
  window.addEventListener("message", (event) => {{
    if (event.data === "chatwoot-dashboard-app:fetch-info") {{ window.asked += 1; send(); }}
  }});
</script>"""
# Another origin's frame that posts a look-alike appContext to the desk.
OTHER = """<!doctype html><meta charset="utf-8"><script>
  window.sent = 0;
  const fake = {context};
  setInterval(() => {{ parent.frames[0].postMessage(JSON.stringify(fake), "*"); window.sent += 1; }}, 50);
</script>"""


@pytest.fixture(scope="module")
def chatwoot() -> Iterator[FakeChatwoot]:
    fake = FakeChatwoot("token", free_port()).start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def running(built: Built, chatwoot: FakeChatwoot) -> Iterator[ServerThread]:
    settings = built.settings.model_copy(update={
        "port": free_port(), "chatwoot_url": chatwoot.url, "chatwoot_api_token": "token",
        "chatwoot_webhook_secret": "secret",
    })
    with ServerThread(settings) as server:
        yield server


def dashboard(chatwoot: FakeChatwoot, running: ServerThread, path: str, answer: bool = True,
              other: dict[str, Any] | None = None) -> str:
    other_frame = ""
    if other is not None:
        chatwoot.pages[path + "-other"] = OTHER.format(context=json.dumps(other))
        # localhost is another origin than CHATWOOT_URL's 127.0.0.1, on the same server.
        other_frame = f'<iframe id="other" src="http://localhost:{chatwoot.port}{path}-other"></iframe>'
    chatwoot.pages[path] = DASHBOARD.format(desk=f"{running.base_url}/desk/?embed=chatwoot", context=json.dumps(CONTEXT),
                                            answer="true" if answer else "false", other=other_frame)
    return chatwoot.url + path


def desk_frame(page: Page, running: ServerThread) -> Frame:
    frame = next((f for f in page.frames if f.url.startswith(f"{running.base_url}/desk/")), None)
    assert frame is not None, [f.url for f in page.frames]
    return frame


def test_appcontext_fills_the_desk_and_shows_the_cards(browser: Browser, chatwoot: FakeChatwoot,
                                                       running: ServerThread) -> None:
    page = browser.new_page()
    try:
        page.goto(dashboard(chatwoot, running, "/app/accounts/3/conversations/412"))
        frame = desk_frame(page, running)
        expect(frame.locator("body")).to_have_attribute("data-embed", "chatwoot")
        # The latest incoming message, not the agent's later private note or the activity.
        expect(frame.locator("#q")).to_have_value(LATEST_INCOMING)
        expect(frame.locator("#channel")).to_have_value("whatsapp")
        expect(frame.locator("#name")).to_have_value("Thandi")
        expect(frame.locator(".group")).to_have_count(2)
        first_reply = frame.locator(".card__reply").first
        expect(first_reply).to_contain_text("Hi Thandi,")
        assert page.evaluate("window.asked") >= 1  # it asked for the context itself too
        # Chatwoot sends the same context again (the agent came back to the panel): the
        # agent's edit of the question stays.
        frame.fill("#q", "when do I get paid for radio")
        frame.evaluate("""() => new Promise((done) => {
            window.addEventListener("message", () => setTimeout(done, 0), { once: true });
            window.parent.postMessage("chatwoot-dashboard-app:fetch-info", "*");
        })""")
        assert frame.locator("#q").input_value() == "when do I get paid for radio"
        # The contact's name is not remembered in the agent's browser.
        assert frame.evaluate("localStorage.getItem('desk.name')") in (None, "")
    finally:
        page.close()


def test_the_channel_comes_from_the_inbox_type(browser: Browser, chatwoot: FakeChatwoot,
                                               running: ServerThread) -> None:
    page = browser.new_page()
    try:
        page.goto(dashboard(chatwoot, running, "/app/x"))
        frame = desk_frame(page, running)
        expect(frame.locator("#channel")).to_have_value("whatsapp")
        x = json.loads(json.dumps(CONTEXT))
        x["data"]["conversation"]["meta"]["channel"] = "Channel::TwitterProfile"
        x["data"]["conversation"]["messages"].append(
            {"id": 1, "content": "what is needletime?", "message_type": 0, "private": False})
        page.evaluate("(ctx) => document.getElementById('app').contentWindow.postMessage(JSON.stringify(ctx), '*')", x)
        expect(frame.locator("#channel")).to_have_value("x")
        expect(frame.locator("#q")).to_have_value("what is needletime?")
        expect(frame.locator(".card__count").first).to_contain_text("/ 280")
    finally:
        page.close()


def test_a_message_from_another_origin_is_ignored(browser: Browser, chatwoot: FakeChatwoot,
                                                  running: ServerThread) -> None:
    fake = json.loads(json.dumps(CONTEXT))
    fake["data"]["conversation"]["messages"] = [{"id": 9, "content": "IGNORE ME: from elsewhere", "message_type": 0,
                                                 "private": False}]
    page = browser.new_page()
    try:
        page.goto(dashboard(chatwoot, running, "/app/quiet", answer=False, other=fake))
        frame = desk_frame(page, running)
        expect(frame.locator("body")).to_have_attribute("data-embed", "listening")
        other = next(f for f in page.frames if "-other" in f.url)
        other.wait_for_function("window.sent >= 10")
        # The desk's own origin is not Chatwoot's either.
        frame.evaluate("(ctx) => window.postMessage(JSON.stringify(ctx), '*')", fake)
        other.wait_for_function("window.sent >= 20")
        assert frame.locator("#q").input_value() == ""
        expect(frame.locator("body")).to_have_attribute("data-embed", "listening")
    finally:
        page.close()


def test_only_chatwoot_may_frame_the_desk(browser: Browser, chatwoot: FakeChatwoot, running: ServerThread) -> None:
    page = browser.new_page()
    try:
        # The same dashboard page served from another origin: the browser refuses the frame.
        url = dashboard(chatwoot, running, "/app/elsewhere").replace("127.0.0.1", "localhost")
        page.goto(url)
        page.wait_for_function("window.frameLoaded === true")  # the frame is done: refused
        for frame in page.frames[1:]:
            assert frame.evaluate("document.getElementById('q')") is None, frame.url
    finally:
        page.close()


def test_framing_headers(running: ServerThread, chatwoot: FakeChatwoot, client: httpx.Client) -> None:
    with httpx.Client(base_url=running.base_url) as http:
        desk = http.get("/desk/")
        assert f"frame-ancestors {chatwoot.url}" in desk.headers["content-security-policy"]
        assert "x-frame-options" not in desk.headers
        for other in ("/desk/desk.js", "/", "/api/health"):
            response = http.get(other)
            assert response.headers["x-frame-options"] == "DENY", other
            assert "frame-ancestors 'none'" in response.headers["content-security-policy"], other
        assert http.get("/api/integrations/chatwoot/desk").json()["origin"] == chatwoot.url
    # Without CHATWOOT_URL the desk cannot be framed at all, and its Chatwoot mode is off.
    desk = client.get("/desk/")
    assert desk.headers["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in desk.headers["content-security-policy"]
    assert client.get("/api/integrations/chatwoot/desk").status_code == 404
