"""The API over real HTTP, against the real index built from the real site."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import httpx
import pytest

from .conftest import Built

QUERIES = [
    "who collects mechanicals",
    "how do I join",
    "what does needletime mean",
    "my royalties are late",
    "register a song",
]


def assert_lands_on_its_heading(client: httpx.Client, url: str) -> None:
    parts = urlsplit(url)
    page = client.get(parts.path)
    assert page.status_code == 200, f"{url} gives {page.status_code}"
    if parts.fragment:
        assert f'id="{parts.fragment}"' in page.text, f"{url}: no element with id {parts.fragment!r}"


@pytest.mark.parametrize("q", QUERIES)
def test_every_result_url_is_a_real_heading_on_a_real_page(client: httpx.Client, built: Built, q: str) -> None:
    body = client.get("/api/search", params={"q": q, "limit": 10}).json()
    assert body["results"], f"no results for {q!r}"
    assert body["total"] == len(body["results"])
    for result in body["results"]:
        assert result["url"].startswith(built.settings.site_url)
        assert result["url"].endswith(f"{result['page']}#{result['anchor']}")
        assert len(result["snippet"]) <= 300
        assert result["answer"] and result["question"]
        assert_lands_on_its_heading(client, result["url"])


def test_each_start_here_article_is_found_first_for_its_title(client: httpx.Client, built: Built) -> None:
    for page in built.pages:
        if not page.page.startswith("start-here/"):
            continue
        top = client.get("/api/search", params={"q": page.title}).json()["results"][0]
        assert top["page"] == page.page, f"{page.title!r} found {top['page']} first"


def test_article_lists_its_questions_with_links(client: httpx.Client, built: Built) -> None:
    body = client.get("/api/articles/start-here/join").json()
    page = next(p for p in built.pages if p.page == "start-here/join/")
    assert body["title"] == page.title and body["page"] == "start-here/join/"
    assert [q["anchor"] for q in body["questions"]] == [s.anchor for s in page.sections]
    assert body["tags"] == list(page.tags)
    for question in body["questions"]:
        assert_lands_on_its_heading(client, question["url"])


def test_unknown_article_is_404_with_a_message(client: httpx.Client) -> None:
    response = client.get("/api/articles/no/such/page")
    assert response.status_code == 404
    assert "No article" in response.json()["detail"]


def test_health_reports_the_index(client: httpx.Client, built: Built) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["articles"] == len(built.pages)
    assert body["questions"] == sum(len(p.sections) for p in built.pages)
    assert re.match(r"\d{4}-\d{2}-\d{2}T", body["index_built_at"])


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": ""}, "empty"),
        ({"q": "   \t\n "}, "empty"),
        ({"q": "x" * 8001}, "8,000"),
        ({"q": "royalties", "limit": 0}, "limit"),
        ({"q": "royalties", "limit": 51}, "limit"),
        ({"q": "royalties", "limit": "many"}, "limit"),
        ({}, "q"),
    ],
)
def test_bad_input_is_a_422_with_a_message(client: httpx.Client, params: dict, message: str) -> None:
    response = client.get("/api/search", params=params)
    assert response.status_code == 422
    assert message in response.json()["detail"]


@pytest.mark.parametrize(
    "q",
    ['"unclosed quote', "roy*", "who?", "title:fees", "(join", "AND", "OR NOT", "NOT royalties AND OR",
     "title: fees AND *", "\x00\x01\x1f", "🎵🎶 royalties", "ロイヤリティ", "роялти", "مستحقات", "x" * 8000,
     "a" * 3000 + " royalties", "[{}]^~\\/", "%s%n", "<script>alert(1)</script>"],
)
def test_any_text_is_read_as_words_and_never_errors(client: httpx.Client, q: str) -> None:
    response = client.get("/api/search", params={"q": q})
    assert response.status_code == 200, response.text
    assert response.json()["query"] == q


def test_the_site_and_the_api_docs_are_served(client: httpx.Client) -> None:
    assert client.get("/").status_code == 200
    assert client.get("/api/docs").status_code == 200
    assert client.get("/api/openapi.json").json()["paths"]["/api/search"]
    assert client.get("/no/such/page/").status_code == 404


@pytest.mark.parametrize("url", ["http://[::1", "https://[::1/royalties/", "http://[not-an-address]/", "//[", "http://ex\uff0fample/"])
def test_a_malformed_link_to_resolve_is_a_422_with_a_message(client: httpx.Client, url: str) -> None:
    # Found by fuzzing: the URL parser raises on these, which was a 500.
    response = client.get("/api/links/resolve", params={"url": url})
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert "not a link" in detail and url in detail, detail


@pytest.mark.parametrize("url", ["/" + "a" * 300 + "/", "https://help.example/" + "é" * 200 + "/#x"])
def test_a_link_with_a_name_too_long_for_a_file_lands_nowhere(client: httpx.Client, url: str) -> None:
    # Found by fuzzing in process: the file system refused the name (ENAMETOOLONG), a 500.
    response = client.get("/api/links/resolve", params={"url": url})
    assert response.status_code == 404, response.text
    assert "does not land on" in response.json()["detail"]
