"""Security headers, CORS, the per-client rate limit and the body limit, over real HTTP."""

from __future__ import annotations

import asyncio

from collections.abc import Iterator

import httpx
import pytest

from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from search_api.api.limits import MAX_BODY_BYTES
from search_api.settings import Settings

from .conftest import Built, ServerThread, free_port

ALLOWED_ORIGIN = "https://crm.example.org"


def own_server(built: Built, **changes: object) -> ServerThread:
    return ServerThread(built.settings.model_copy(update={"port": free_port(), **changes}))


@pytest.fixture(scope="module")
def cors_server(built: Built) -> Iterator[ServerThread]:
    with own_server(built, cors_origins=(ALLOWED_ORIGIN,)) as running:
        yield running


def fingerprinted_asset(built: Built) -> str:
    bundle = next((built.site_dir / "assets" / "javascripts").glob("bundle.*.min.js"))
    return "/" + bundle.relative_to(built.site_dir).as_posix()


def sample_responses(client: httpx.Client, built: Built) -> dict[str, httpx.Response]:
    return {
        "home page": client.get("/"),
        "article": client.get("/start-here/join/"),
        "asset": client.get(fingerprinted_asset(built)),
        "site 404": client.get("/no/such/page/"),
        "search": client.get("/api/search", params={"q": "join"}),
        "search 422": client.get("/api/search", params={"q": ""}),
        "api 404": client.get("/api/articles/no/such/page"),
        "health": client.get("/api/health"),
        "docs": client.get("/api/docs"),
        "openapi": client.get("/api/openapi.json"),
    }


def test_every_kind_of_response_carries_the_security_headers(client: httpx.Client, built: Built) -> None:
    for name, response in sample_responses(client, built).items():
        headers = response.headers
        assert headers.get("x-content-type-options") == "nosniff", name
        assert headers.get("referrer-policy") == "same-origin", name
        assert headers.get("x-frame-options") == "DENY", name
        policy = headers.get("content-security-policy", "")
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, f"{name}: {policy!r}"
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, name
        assert "server" not in headers, f"{name} advertises the server software"


def test_api_answers_are_never_cached_and_fingerprinted_assets_are_cached_for_a_year(
    client: httpx.Client, built: Built,
) -> None:
    responses = sample_responses(client, built)
    assert responses["search"].headers["cache-control"] == "no-store"
    assert responses["asset"].headers["cache-control"] == "public, max-age=31536000, immutable"
    assert responses["article"].headers["cache-control"] == "no-cache"
    etag = responses["article"].headers["etag"]
    assert client.get("/start-here/join/", headers={"If-None-Match": etag}).status_code == 304


def test_pages_and_json_are_gzipped_for_clients_that_accept_it(client: httpx.Client) -> None:
    for path in ("/start-here/join/", "/api/search?q=how+do+i+join", "/search/search_index.json"):
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert response.headers.get("content-encoding") == "gzip", path
        assert response.status_code == 200


def test_a_page_policy_allows_exactly_its_own_inline_scripts(client: httpx.Client) -> None:
    from search_api.api.static_site import inline_script_hashes

    page = client.get("/start-here/join/")
    hashes = inline_script_hashes(page.text)
    assert hashes, "Material writes inline scripts into every page"
    for digest in hashes:
        assert f"'{digest}'" in page.headers["content-security-policy"]


def test_cors_answers_only_the_configured_origins(cors_server: ServerThread, client: httpx.Client) -> None:
    with httpx.Client(base_url=cors_server.base_url) as http:
        preflight = {"Access-Control-Request-Method": "GET"}
        allowed = http.options("/api/search", headers={"Origin": ALLOWED_ORIGIN, **preflight})
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
        refused = http.options("/api/search", headers={"Origin": "https://evil.example", **preflight})
        assert "access-control-allow-origin" not in refused.headers
        simple = http.get("/api/search", params={"q": "join"}, headers={"Origin": ALLOWED_ORIGIN})
        assert simple.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
        other = http.get("/api/search", params={"q": "join"}, headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
    # Without CORS_ORIGINS no other origin is allowed at all.
    default = client.get("/api/search", params={"q": "join"}, headers={"Origin": ALLOWED_ORIGIN})
    assert "access-control-allow-origin" not in default.headers


def test_a_client_over_the_limit_gets_429_with_retry_after_and_others_are_served(built: Built) -> None:
    with own_server(built, rate_limit_per_minute=5) as server, httpx.Client(base_url=server.base_url) as http:
        codes = [http.get("/api/search", params={"q": f"join {i}"}).status_code for i in range(5)]
        assert codes == [200] * 5
        limited = http.get("/api/search", params={"q": "join"})
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) >= 1
        assert "limit is 5 a minute" in limited.json()["detail"]
        assert limited.headers["x-content-type-options"] == "nosniff"
        # The site itself is not limited, and the limit is per client, not global.
        assert http.get("/start-here/join/").status_code == 200
        # Not behind a trusted proxy: a forged X-Forwarded-For changes nothing.
        forged = http.get("/api/health", headers={"X-Forwarded-For": "203.0.113.9"})
        assert forged.status_code == 429


def test_behind_a_trusted_proxy_the_limit_counts_each_forwarded_client(built: Built) -> None:
    with own_server(built, rate_limit_per_minute=3, trusted_proxies=("127.0.0.1",)) as server, \
            httpx.Client(base_url=server.base_url) as http:
        def status(forwarded_for: str) -> int:
            return http.get("/api/health", headers={"X-Forwarded-For": forwarded_for}).status_code

        assert [status("203.0.113.1") for _ in range(3)] == [200] * 3
        assert status("203.0.113.1") == 429
        assert status("203.0.113.2") == 200, "another client behind the proxy has its own allowance"
        # A client cannot escape by prepending an address: the proxy appended the real one.
        assert status("198.51.100.7, 203.0.113.1") == 429


def test_client_address_reads_forwarded_for_only_from_trusted_proxies() -> None:
    # The middleware harden() puts outermost, configured from the setting as operators write it.
    trusted = Settings(trusted_proxies="10.0.0.1/8, 127.0.0.1").trusted_proxies
    assert trusted == ("10.0.0.0/8", "127.0.0.1")

    def client_address(peer: str, forwarded: str | None) -> str:
        seen: dict = {}

        async def app(scope: dict, receive: object, send: object) -> None:
            seen.update(scope)

        headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
        scope = {"type": "http", "client": (peer, 1234), "headers": headers}
        asyncio.run(ProxyHeadersMiddleware(app, trusted_hosts=list(trusted))(scope, None, None))
        return seen["client"][0]

    assert client_address("192.0.2.5", "203.0.113.1") == "192.0.2.5"
    assert client_address("127.0.0.1", "203.0.113.1") == "203.0.113.1"
    assert client_address("127.0.0.1", "203.0.113.1, 10.1.2.3") == "203.0.113.1"
    assert client_address("127.0.0.1", None) == "127.0.0.1"
    assert client_address("10.0.0.1", "10.0.0.2, 10.0.0.3") == "10.0.0.2"
    # A value our own proxy would never write is kept as an opaque key: it earns no allowance
    # beyond its own, and a client cannot forge it past the proxy (the proxy appends).
    assert client_address("127.0.0.1", "198.51.100.7, not-an-ip") == "not-an-ip"


def test_an_oversized_request_body_is_refused_with_413(client: httpx.Client) -> None:
    response = client.post("/api/admin/reindex", content=b"x" * (MAX_BODY_BYTES + 1))
    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [("TRUSTED_PROXIES", "proxy.example", "not an IP address"),
     ("CORS_ORIGINS", "crm.example.org", "not an origin"),
     ("RATE_LIMIT_PER_MINUTE", "-1", "greater than or equal to 0")],
)
def test_a_bad_setting_fails_at_start_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str,
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValueError, match=message) as error:
        Settings()
    assert variable.lower() in str(error.value).lower()
