"""The OpenAPI document tells the truth about errors, for every route, present or future.

FastAPI documents a 422 as its own list-shaped error, but our 422s are
`{"detail": "a sentence"}`; and the middlewares (limits.py) can answer any /api/
request with 429 or 413 before a route runs. Clients and the schema-driven fuzz
test read this document, so it is corrected here once instead of on each route.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from search_api.api.limits import API_PREFIX
from search_api.api.models import ErrorMessage

_ERROR_REF = {"$ref": "#/components/schemas/ErrorMessage"}
_METHODS = ("get", "put", "post", "delete", "patch", "options", "head")


def _error(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description, "content": {"application/json": {"schema": _ERROR_REF}}}
    if headers:
        response["headers"] = headers
    return response


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Rewrite `schema` in place: our 422 shape, and the 429 and 413 the middlewares send."""
    schema.setdefault("components", {}).setdefault("schemas", {})["ErrorMessage"] = ErrorMessage.model_json_schema()
    for path, item in schema.get("paths", {}).items():
        if not path.startswith(API_PREFIX):
            continue
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            if "422" in responses:
                responses["422"] = _error("The input is not valid; `detail` says what to change")
            # Documented even with RATE_LIMIT_PER_MINUTE=0: routes may keep limits of their own.
            responses["429"] = _error(
                "Too many requests from this client; wait the number of seconds in Retry-After",
                {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait"}},
            )
            if "requestBody" in operation:
                responses["413"] = _error("The request body is too large")
    return schema


def install_error_docs(app: FastAPI) -> None:
    """Make app.openapi() return the corrected document (built once, on first request)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_errors(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
