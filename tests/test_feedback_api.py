"""POST /api/feedback, the widget's probe, the record of searches and the editors' report,
over real HTTP against the real index."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest

from search_api.listening.scrub import scrub

from .conftest import ADMIN_TOKEN, Built, ServerThread, free_port, sqlite_file

PAGE = "start-here/join/"


def anchors_of(built: Built, page: str) -> list[str]:
    return [s.anchor for s in next(p for p in built.pages if p.page == page).sections]


def feedback_rows(db: Path, anchor: str) -> list[tuple]:
    if not db.exists():
        return []
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT page, anchor, helpful, reason, comment FROM feedback WHERE anchor = ? ORDER BY id", (anchor,),
        ).fetchall()


def own_server(built: Built, db: Path, **settings: object) -> ServerThread:
    return ServerThread(built.settings.model_copy(update={"port": free_port(), "feedback_db": db, **settings}))


def test_the_probe_lists_the_questions_of_a_page_in_page_order(client: httpx.Client, built: Built) -> None:
    for page in (PAGE, "start-here/join", "/start-here/join/"):
        body = client.get("/api/feedback", params={"page": page}).json()
        assert body["page"] == PAGE
        assert body["anchors"] == anchors_of(built, PAGE)
        assert body["max_comment_chars"] == 500
        assert "wrong_or_out_of_date" in body["reasons"]


def test_the_probe_says_404_for_a_page_without_questions(client: httpx.Client) -> None:
    response = client.get("/api/feedback", params={"page": "no/such/page/"})
    assert response.status_code == 404
    assert "No questions on page" in response.json()["detail"]


def test_a_yes_is_stored_as_one_row(client: httpx.Client, built: Built) -> None:
    anchor = anchors_of(built, PAGE)[0]
    before = feedback_rows(sqlite_file(built.settings.feedback_db), anchor)
    response = client.post("/api/feedback", json={"page": PAGE, "anchor": anchor, "helpful": True})
    assert response.status_code == 201, response.text
    assert response.json() == {"recorded": True}
    assert feedback_rows(sqlite_file(built.settings.feedback_db), anchor) == before + [(PAGE, anchor, 1, None, None)]


def test_a_no_keeps_its_reason_and_its_comment_without_contact_details(client: httpx.Client, built: Built) -> None:
    anchor = anchors_of(built, PAGE)[1]
    comment = "Fee went up to R150. Call me on 082 123 4567 or thandi@example.org, ID 8001015009087"
    response = client.post("/api/feedback", json={
        "page": "start-here/join", "anchor": anchor, "helpful": False, "reason": "wrong_or_out_of_date",
        "comment": comment,
    })
    assert response.status_code == 201, response.text
    stored = feedback_rows(sqlite_file(built.settings.feedback_db), anchor)[-1]
    assert stored == (PAGE, anchor, 0, "wrong_or_out_of_date",
                      "Fee went up to R150. Call me on [phone] or [email], ID [ID number]")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"page": PAGE, "anchor": "no-such-question", "helpful": True}, "No question '#no-such-question'"),
        ({"page": "no/such/page/", "anchor": "who-can-join", "helpful": True}, "No question"),
        ({"page": PAGE, "anchor": "{first}", "helpful": False}, "reason: required when helpful is false"),
        ({"page": PAGE, "anchor": "{first}", "helpful": True, "reason": "unclear"}, "reason: only for answers"),
        ({"page": PAGE, "anchor": "{first}", "helpful": False, "reason": "rude"}, "reason: Input should be"),
        ({"page": PAGE, "anchor": "{first}", "helpful": False, "reason": "unclear", "comment": "x" * 501},
         "comment: String should have at most 500 characters"),
        ({"page": PAGE, "anchor": "{first}", "helpful": "perhaps"}, "helpful:"),
        ({"page": PAGE, "anchor": "{first}", "helpful": True, "ip": "10.0.0.1"}, "ip: Extra inputs"),
        ({"page": PAGE, "helpful": True}, "anchor: Field required"),
        ({"page": PAGE, "anchor": "", "helpful": True}, "anchor:"),
    ],
)
def test_bad_feedback_is_a_422_that_says_what_to_fix_and_stores_nothing(
    client: httpx.Client, built: Built, body: dict, message: str,
) -> None:
    first = anchors_of(built, PAGE)[0]
    body = {k: (first if v == "{first}" else v) for k, v in body.items()}
    before = feedback_rows(sqlite_file(built.settings.feedback_db), body.get("anchor") or "")
    response = client.post("/api/feedback", json=body)
    assert response.status_code == 422, response.text
    assert message in response.json()["detail"]
    assert feedback_rows(sqlite_file(built.settings.feedback_db), body.get("anchor") or "") == before


def test_a_body_that_is_not_json_is_a_422(client: httpx.Client) -> None:
    response = client.post("/api/feedback", content=b"helpful=yes", headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert "JSON" in response.json()["detail"]


def test_an_oversized_body_is_refused_before_it_is_read(client: httpx.Client, built: Built) -> None:
    body = {"page": PAGE, "anchor": anchors_of(built, PAGE)[0], "helpful": False, "reason": "unclear",
            "comment": "x" * 100_000}
    response = client.post("/api/feedback", json=body)
    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]


def test_feedback_is_rate_limited_per_client_with_retry_after(built: Built, tmp_path: Path) -> None:
    db = tmp_path / "limited.sqlite3"
    anchor = anchors_of(built, PAGE)[0]
    with own_server(built, db, feedback_per_minute=3) as running, httpx.Client(base_url=running.base_url) as http:
        codes = [http.post("/api/feedback", json={"page": PAGE, "anchor": anchor, "helpful": True})
                 for _ in range(5)]
    assert [c.status_code for c in codes] == [201, 201, 201, 429, 429]
    assert int(codes[3].headers["Retry-After"]) >= 1
    assert "limit is 3 a minute" in codes[3].json()["detail"]
    assert len(feedback_rows(db, anchor)) == 3


def search_rows(db: Path, like: str) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT endpoint, query, results, top_score, confident FROM searches WHERE query LIKE ?", (like,),
        ).fetchall()


def test_every_search_is_recorded_scrubbed_with_its_outcome(client: httpx.Client, built: Built,
                                                              server: ServerThread) -> None:
    found = client.get("/api/search", params={"q": "how do I join zebracorn@example.com"}).json()
    nothing = client.get("/api/search", params={"q": "zebracorn quixotic 0821234567"}).json()
    assert server.app.state.search_log.flush()  # records are written in batches, off the request
    assert nothing["total"] == 0
    found_rows = search_rows(sqlite_file(built.settings.feedback_db), "how do I join%")
    nothing_rows = search_rows(sqlite_file(built.settings.feedback_db), "zebracorn quixotic%")
    # The stored confidence is the one the response gave (NULL before responses carried one).
    confident = int(found["confident"]) if "confident" in found else None
    assert found_rows[-1] == ("search", "how do I join [email]", found["total"], found["results"][0]["score"],
                              confident)
    assert nothing_rows[-1] == ("search", "zebracorn quixotic [phone]", 0, None, None if confident is None else 0)


def test_every_answer_request_records_each_question_it_found(client: httpx.Client, built: Built,
                                                              server: ServerThread) -> None:
    marker = "Quokkaflap"  # a word no article has, so the records are this test's
    message = (f"Hi, I'm Thandi, call me on 082 123 4567. When do I get paid for radio? "
               f"And how do I register a {marker} song?")
    response = client.get("/api/answer", params={"q": message, "channel": "whatsapp"})
    assert response.status_code == 200, response.text
    questions = response.json()["questions"]
    assert server.app.state.search_log.flush()
    with sqlite3.connect(sqlite_file(built.settings.feedback_db)) as connection:
        rows = connection.execute(
            "SELECT query, results, confident FROM searches WHERE endpoint = 'answer' ORDER BY id DESC LIMIT ?",
            (len(questions),),
        ).fetchall()[::-1]
    assert [(q, n, c) for q, n, c in rows] == [
        (scrub(question["text"]), len(question["cards"]), int(question["confident"])) for question in questions
    ]
    assert any(marker in q for q, _, _ in rows)
    assert not any("082 123 4567" in q for q, _, _ in rows)


# --- the editors' report --------------------------------------------------------------

@dataclass(frozen=True)
class Reported:
    http: httpx.Client
    anchor: str  # the question that got a No with a comment HTML must escape


@pytest.fixture(scope="module")
def reported(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reported]:
    """A server with its own database, so other tests' searches cannot crowd the report."""
    db = tmp_path_factory.mktemp("report") / "feedback.sqlite3"
    anchor = anchors_of(built, PAGE)[2]
    with own_server(built, db) as running, httpx.Client(base_url=running.base_url, timeout=30) as http:
        http.post("/api/feedback", json={"page": PAGE, "anchor": anchor, "helpful": False, "reason": "unclear",
                                         "comment": "Mark-up <script>alert(1)</script> and =HYPERLINK(1)"})
        for _ in range(3):
            http.get("/api/search", params={"q": "Gobbledygook flibbertigibbet?"})
        http.get("/api/search", params={"q": "=WEBSERVICE(zzxq)"})
        yield Reported(http=http, anchor=anchor)


def test_the_report_needs_the_admin_token_and_asks_the_browser_for_it(client: httpx.Client) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic ZWRpdG9yOndyb25n"}):
        response = client.get("/api/admin/report", headers=headers)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Basic")
        assert "admin token" in response.json()["detail"]


def test_the_report_does_not_exist_without_an_admin_token(built: Built, tmp_path: Path) -> None:
    with own_server(built, tmp_path / "f.sqlite3", admin_token="") as running:
        response = httpx.get(f"{running.base_url}/api/admin/report", headers={"Authorization": "Bearer x"})
    assert response.status_code == 404


def test_the_report_in_the_browser_is_html_with_readers_words_escaped(built: Built, reported: Reported) -> None:
    response = reported.http.get("/api/admin/report", auth=("editor", ADMIN_TOKEN))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert "Gobbledygook flibbertigibbet?" in html
    assert f'{PAGE}#{reported.anchor}">' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    for href in re.findall(r'<link rel="(?:stylesheet|icon)" href="([^"]+)"', html):
        assert reported.http.get(urljoin(str(response.url), href)).status_code == 200, href


def test_the_report_as_csv_guards_against_spreadsheet_formulas(reported: Reported) -> None:
    response = reported.http.get("/api/admin/report", params={"format": "csv"},
                                 headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    lines = response.text.splitlines()
    assert lines[0] == "section,count,text,url,detail"
    assert lines[1].startswith("failed_search,3,Gobbledygook flibbertigibbet?,")
    assert lines[2].startswith("failed_search,1,'=WEBSERVICE(zzxq),")  # a spreadsheet shows it, never runs it
    no_row = next(line for line in lines if line.startswith("no_answers,") and f"#{reported.anchor}" in line)
    assert "<script>alert(1)</script>" in no_row


def test_report_settings_are_validated(client: httpx.Client) -> None:
    for params in ({"format": "pdf"}, {"days": 0}, {"rows": 0}):
        response = client.get("/api/admin/report", params=params, auth=("editor", ADMIN_TOKEN))
        assert response.status_code == 422, params
