"""The MCP endpoint, driven by the official SDK's own client over HTTP against the real server."""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

import anyio
import httpx
import pytest
from mcp import Client

from .conftest import Built, ServerThread, sqlite_file

CREATOR_QUESTION = "When do I get paid for my songs played on the radio?"
NONSENSE = "purple elephant quantum banana"
TOOLS = {"search_help_centre", "get_article", "draft_reply"}
_URL = re.compile(r"https?://\S+")


def call(server: ServerThread, tool: str, arguments: dict[str, Any]) -> Any:
    async def run() -> Any:
        async with Client(f"{server.base_url}/mcp") as client:
            return await client.call_tool(tool, arguments)
    return anyio.run(run)


def x_weight(text: str) -> int:
    """The X count, written out independently of reply.py: a link is 23, wide characters 2."""
    rest = _URL.sub("", unicodedata.normalize("NFC", text))
    return 23 * len(_URL.findall(text)) + sum(1 if ord(c) <= 0x10FF else 2 for c in rest)


def test_lists_read_only_tools_and_articles(server: ServerThread, built: Built) -> None:
    async def run() -> tuple[Any, Any]:
        async with Client(f"{server.base_url}/mcp") as client:
            return await client.list_tools(), await client.list_resources()
    tools, resources = anyio.run(run)
    assert {t.name for t in tools.tools} == TOOLS  # nothing that writes, no admin tool
    for tool in tools.tools:
        assert tool.description and len(tool.description) > 80, tool.name
        assert tool.annotations is not None and tool.annotations.read_only_hint, tool.name
    searchable = {p.page for p in built.pages}
    listed = {r.name for r in resources.resources}
    assert listed == {p or "home" for p in searchable}
    for resource in resources.resources:
        assert resource.mime_type == "text/markdown"
        assert str(resource.uri).endswith("/index.html.md")


def test_search_links_land_on_their_question(server: ServerThread, client: httpx.Client) -> None:
    result = call(server, "search_help_centre", {"query": CREATOR_QUESTION, "limit": 5})
    assert not result.is_error, result.content
    answer = result.structured_content
    groups = answer["questions"]
    assert groups and groups[0]["confident"] is True and groups[0]["note"] is None
    found = [r for g in groups for r in g["results"]]
    assert any("payment-dates" in r["url"] for r in found)
    for item in found:
        assert item["answer"] and item["question"] and re.fullmatch(r"\d{4}-\d{2}-\d{2}", item["checked_on"])
        url = urlsplit(item["url"])
        assert f"{url.scheme}://{url.netloc}" == server.base_url
        page = client.get(url.path)
        assert page.status_code == 200, item["url"]
        assert url.fragment and f'id="{url.fragment}"' in page.text, item["url"]


def test_search_gives_a_law_pages_status(server: ServerThread) -> None:
    result = call(server, "search_help_centre", {"query": "Is the Copyright Amendment Bill law yet?"})
    top = result.structured_content["questions"][0]["results"][0]
    assert "copyright-amendment-bill" in top["url"]
    assert top["law_status"] in {"proposed", "passed", "in force", "in court", "unclear"}
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", top["law_as_of"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", top["law_checked"])


def test_a_pasted_message_gives_one_group_per_question(server: ServerThread) -> None:
    message = ("Hi there, I hope you are well. I wrote a song with two friends last year. "
               "How do we register a song with three writers? Also, my bank changed: "
               "how do I update my bank details? Thanks so much!")
    groups = call(server, "search_help_centre", {"query": message}).structured_content["questions"]
    assert len(groups) >= 2
    assert any("register" in r["url"] for r in groups[0]["results"])
    assert any("bank-details" in r["url"] for g in groups for r in g["results"])


def test_get_article(server: ServerThread, built: Built) -> None:
    result = call(server, "get_article", {"page": "royalties/mechanical"})
    assert not result.is_error, result.content
    article = result.structured_content
    page = next(p for p in built.pages if p.page == "royalties/mechanical/")
    assert article["title"] == page.title and article["checked_on"] == page.last_reviewed
    assert [q["question"] for q in article["questions"]] == [s.question for s in page.sections]
    assert article["questions"][0]["url"] == f"{server.base_url}/royalties/mechanical/#{page.sections[0].anchor}"
    assert article["markdown_url"] == f"{server.base_url}/royalties/mechanical/index.html.md"
    # A URL from a search result works as well as a path.
    again = call(server, "get_article", {"page": article["questions"][0]["url"]})
    assert again.structured_content["page"] == "royalties/mechanical/"


def test_an_unknown_article_is_a_tool_error_that_says_what_to_do(server: ServerThread) -> None:
    result = call(server, "get_article", {"page": "royalties/no-such-page"})
    assert result.is_error
    assert "royalties/mechanical" in result.content[0].text


def test_draft_an_x_reply(server: ServerThread) -> None:
    result = call(server, "draft_reply", {"message": "who collects my mechanical royalties abroad",
                                          "channel": "x", "name": "Thandi"})
    assert not result.is_error, result.content
    group = result.structured_content["questions"][0]
    assert group["confident"] and group["fallback_reply"] is None
    reply = group["cards"][0]["reply"]
    assert reply["limit"] == 280
    assert x_weight(reply["text"]) <= 280
    assert reply["length"] == x_weight(reply["text"])
    assert reply["text"].startswith("Hi Thandi,")
    assert group["cards"][0]["url"] in reply["text"]


def test_draft_reply_gives_the_desks_replies(server: ServerThread, client: httpx.Client) -> None:
    message = "Hi, I changed banks. How do I update my bank details? Thanks, Sipho"
    for channel in ("sms", "email"):
        mcp = call(server, "draft_reply", {"message": message, "channel": channel, "name": "Sipho", "limit": 2})
        desk = client.get("/api/answer", params={"q": message, "channel": channel, "name": "Sipho", "limit": 2}).json()
        ours = [[c["reply"]["text"] for c in g["cards"]] for g in mcp.structured_content["questions"]]
        theirs = [[c["reply"]["text"] for c in g["cards"]] for g in desk["questions"]]
        assert ours == theirs and ours[0], channel


def test_nonsense_is_not_confident_and_gives_the_contact_route(server: ServerThread, built: Built) -> None:
    from search_api.replies.organisation import load_extra

    contact = load_extra(built.settings.mkdocs_config)["contact"]
    search = call(server, "search_help_centre", {"query": NONSENSE}).structured_content["questions"][0]
    assert search["confident"] is False
    assert "not" in search["note"] and contact["email"] in search["note"]
    reply = call(server, "draft_reply", {"message": NONSENSE, "channel": "whatsapp"})
    group = reply.structured_content["questions"][0]
    assert group["confident"] is False
    assert contact["email"] in group["fallback_reply"]["text"]


def test_an_over_long_query_is_a_tool_error_with_a_message(server: ServerThread, built: Built) -> None:
    limit = built.settings.max_query_chars
    result = call(server, "search_help_centre", {"query": "royalties " * (limit // 10 + 1)})
    assert result.is_error
    text = result.content[0].text
    assert f"{limit:,}" in text and "limit" in text
    # The server is still there for the next question.
    assert not call(server, "search_help_centre", {"query": "royalties"}).is_error


def test_searches_are_recorded_scrubbed(server: ServerThread, built: Built) -> None:
    import sqlite3

    call(server, "search_help_centre", {"query": "my email is thandi@example.org when am i paid"})
    assert server.app.state.search_log.flush()  # records are written in batches, off the request
    with sqlite3.connect(sqlite_file(built.settings.feedback_db)) as db:
        rows = [q for (q,) in db.execute("SELECT query FROM searches WHERE endpoint = 'mcp-search'")]
    assert rows and not any("thandi@example.org" in q for q in rows)
    assert any("when am i paid" in q for q in rows)


def test_a_foreign_host_is_refused(server: ServerThread) -> None:
    import httpx2
    from mcp.client.streamable_http import streamable_http_client

    async def connect_as(host: str) -> None:
        async with httpx2.AsyncClient(headers={"Host": host}, timeout=10) as http:
            async with Client(streamable_http_client(f"{server.base_url}/mcp", http_client=http)) as client:
                await client.list_tools()

    with pytest.raises(Exception):
        anyio.run(connect_as, "evil.example")
    anyio.run(connect_as, urlsplit(server.base_url).netloc)  # the same client with our own Host works

    # What any client sees: 421 for a foreign Host, the MCP answer for ours (a 2025 handshake).
    with httpx.Client(base_url=server.base_url) as http:
        foreign = http.post("/mcp", json=INITIALIZE, headers={**ACCEPT, "Host": "evil.example"})
        assert foreign.status_code == 421
        # A page on another site cannot drive it from a reader's browser either.
        page = http.post("/mcp", json=INITIALIZE, headers={**ACCEPT, "Origin": "https://evil.example"})
        assert page.status_code == 403
        own = http.post("/mcp", json=INITIALIZE, headers=ACCEPT)
        assert own.status_code == 200 and own.json()["result"]["serverInfo"]["name"] == "help-centre"
        assert own.headers["cache-control"] == "no-store"


INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                         "clientInfo": {"name": "test", "version": "1"}}}
ACCEPT = {"Accept": "application/json, text/event-stream"}


def test_the_mcp_endpoint_is_rate_limited(built: Built) -> None:
    from .conftest import free_port

    port = free_port()
    settings = built.settings.model_copy(update={
        "port": port, "site_url": f"http://127.0.0.1:{port}/", "rate_limit_per_minute": 3})
    with ServerThread(settings) as limited, httpx.Client(base_url=limited.base_url) as http:
        statuses = [http.post("/mcp", json=INITIALIZE, headers=ACCEPT).status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200] and statuses[-1] == 429
