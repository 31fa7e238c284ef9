"""Site paths and deep links: the one place a page path is normalised.

Every URL the API returns is the site's own URL, so every layer (the index build, the
MkDocs plugin, the listening report, the HTTP routes) joins and normalises paths here.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote, urljoin

from mkdocs.structure.files import File


def site_path(path: str) -> str | None:
    """'/a/b', 'a/b/index.html', '/a/b/' -> 'a/b/'; None for a path that leaves the site."""
    path = unquote(path).replace("\\", "/")
    if "\x00" in path:
        return None
    normal = posixpath.normpath("/" + path.strip())
    if normal.endswith("/index.html"):
        normal = normal[: -len("index.html")]
    normal = normal.strip("/")
    return f"{normal}/" if normal else ""


def canonical_page(page: str) -> str:
    """'royalties/mechanical', '/royalties/mechanical/' -> 'royalties/mechanical/'."""
    return site_path(page) or ""


def deep_link(site_url: str, page: str, anchor: str = "") -> str:
    # site_url ends in "/", so urljoin keeps its whole path.
    url = urljoin(site_url, page)
    return f"{url}#{anchor}" if anchor else url


# llmstxt.org: a page's Markdown copy is its URL + ".md"; a URL without a file name
# (every page here) appends "index.html.md". Written by site/llms_txt.py.
MARKDOWN_COPY = "index.html.md"


def markdown_copy_url(page_url: str) -> str:
    """'https://site/royalties/mechanical/' -> 'https://site/royalties/mechanical/index.html.md'."""
    return urljoin(page_url.partition("#")[0], MARKDOWN_COPY)


def source_file(docs_dir: Path, page: str) -> Path | None:
    """The Markdown file behind a site path ("a/b/" -> docs/a/b.md or docs/a/b/index.md)."""
    stem = (site_path(page) or "").strip("/")
    candidates = [docs_dir / "index.md"] if not stem else [
        docs_dir / f"{stem}.md",
        docs_dir / stem / "index.md",
    ]
    return next((c for c in candidates if c.is_file()), None)


def source_page(src: str, use_directory_urls: bool = True) -> str:
    """The site path MkDocs gives a Markdown file: 'help/scams.md' -> 'help/scams/'."""
    return site_path(File(src, "", "", use_directory_urls).url) or ""
