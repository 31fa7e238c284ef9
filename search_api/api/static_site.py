"""The built site as static files: cache lifetimes and each page's own CSP.

Material names its bundles by content (`bundle.a5f9d56c.min.js`), so they can be
cached for a year; everything else is revalidated (ETag) so an edit shows at once.
Material writes a few small inline scripts into every page; their hashes go into
that page's Content-Security-Policy, read from the file itself, so a rebuilt site
with different scripts still passes without a restart.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os
import re

from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, Response
from starlette.staticfiles import PathLike, StaticFiles
from starlette.types import Scope

from search_api.api.middleware import content_security_policy
from search_api.site.html import read_html

FINGERPRINTED = re.compile(r"\.[0-9a-f]{8,}\.min\.(?:js|css)$")
FOREVER = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
_MAX_CACHED_PAGES = 4096


def built_site_url(site_dir: os.PathLike[str] | str) -> str | None:
    """The address the site was built for (its home page's canonical link), or None."""
    try:
        with open(os.path.join(site_dir, "index.html"), encoding="utf-8", errors="replace") as home:
            return read_html(home.read()).canonical or None
    except OSError:
        return None


def inline_script_hashes(html: str) -> tuple[str, ...]:
    """'sha256-...' of each inline script, as a browser hashes it (the exact text, UTF-8)."""
    return tuple(
        "sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        for body in read_html(html).inline_scripts
    )


class SiteFiles(StaticFiles):
    """StaticFiles with long caching for fingerprinted files and a per-page CSP.

    `versioned=True` marks a directory whose path already names its version (the
    Swagger UI assets), so every file in it is cached for a year.
    """

    def __init__(self, *args: object, versioned: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.versioned = versioned
        # Per mount, least recently used first out: the busy pages stay warm.
        self._page_policy = functools.lru_cache(maxsize=_MAX_CACHED_PAGES)(_read_policy)

    async def get_response(self, path: str, scope: Scope) -> Response:
        if path == "api" or path.startswith("api/"):
            # Not the site's 404 page or a 405: an unknown API address answers in JSON.
            raise HTTPException(404, "There is no such API endpoint; /api/docs lists them all.")
        # Not file_response: StaticFiles sends 404.html without passing through it.
        response = await super().get_response(path, scope)
        if isinstance(response, FileResponse) and response.stat_result is not None:
            self._add_headers(response, os.fspath(response.path), response.stat_result)
        return response

    def file_response(
        self, full_path: PathLike, stat_result: os.stat_result, scope: Scope, status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        if not isinstance(response, FileResponse):  # a 304 carries the headers of the file too
            self._add_headers(response, os.fspath(full_path), stat_result)
        return response

    def _add_headers(self, response: Response, path: str, stat_result: os.stat_result) -> None:
        forever = self.versioned or FINGERPRINTED.search(path) is not None
        response.headers["Cache-Control"] = FOREVER if forever else REVALIDATE
        if path.endswith(".html"):
            response.headers["Content-Security-Policy"] = self._policy(path, stat_result)

    def _policy(self, path: str, stat_result: os.stat_result) -> str:
        return self._page_policy(path, stat_result.st_mtime_ns, stat_result.st_size)


def _read_policy(path: str, mtime_ns: int, size: int) -> str:
    """The CSP of one built page; the time and size in the key make a rebuilt page read again."""
    with open(path, encoding="utf-8", errors="replace") as page:
        return content_security_policy(inline_script_hashes(page.read()))
