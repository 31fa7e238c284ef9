"""Error answers: every error is one readable sentence, never FastAPI's list or a 500.

- a validation error: 422, naming the input and what to change;
- no index to search (IndexUnavailable): 503, saying what to run;
- a rebuild the content refuses (IndexBuildError): 409, naming the file and line;
  the live index keeps serving.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from search_api.engine.index import IndexBuildError, IndexUnavailable


def validation_message(error: RequestValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item.get("loc", ())[1:]) or "request"
        parts.append(f"{where}: {item.get('msg', 'invalid value')}")
    return "; ".join(parts)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def readable_422(request: Request, error: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": validation_message(error)}, status_code=422)

    @app.exception_handler(IndexUnavailable)
    async def no_index_503(request: Request, error: IndexUnavailable) -> JSONResponse:
        return JSONResponse({"detail": f"The search index is not available: {error}"}, status_code=503)

    @app.exception_handler(IndexBuildError)
    async def build_refused_409(request: Request, error: IndexBuildError) -> JSONResponse:
        # The content conflicts with a rebuild (a bad vocabulary line, a page missing
        # from the new build); fixing the file and asking again is the remedy.
        return JSONResponse({"detail": f"The new index was refused, the live one is unchanged: {error}"},
                            status_code=409)
