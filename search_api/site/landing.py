"""Where a link lands on the built site, following page redirects and old anchors.

The built site is the only truth: a moved page leaves a redirect page behind
(mkdocs-redirects), and a renamed question keeps its old anchor as an extra id inside
its heading (search_api.site.mkdocs_plugin). A browser follows both; so does `land`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from search_api.links import site_path
from search_api.site.html import BuiltHtml, read_html

MAX_REDIRECTS = 10  # a redirect loop in redirect_maps must not hang a request



@dataclass(frozen=True)
class Landing:
    page: str  # the page the link ends on: "help/scams/" ("" for the home page)
    anchor: str  # the id it lands on: the heading's own id ("" for the top of the page)
    page_moved: bool  # the link went through a redirect page
    anchor_renamed: bool  # the link's anchor is an old id kept inside a renamed heading


def is_redirect_page(html: str) -> bool:
    """A page mkdocs-redirects wrote at a moved page's old path."""
    return read_html(html).redirect_target is not None


def _page_html(site_dir: Path, page: str) -> str | None:
    target = (site_dir / page / "index.html").resolve()
    try:
        if not target.is_relative_to(site_dir.resolve()) or not target.is_file():
            return None
        return target.read_text(encoding="utf-8")
    except OSError:  # a name the file system refuses (too long): no page has it
        return None


def heading_for(page: BuiltHtml, anchor: str) -> tuple[str, bool] | None:
    """(the id of the heading `anchor` lands on, whether `anchor` is an old id) or None."""
    for heading in page.headings:
        if heading.id == anchor:
            return anchor, False
        if anchor in heading.inner_ids:
            return heading.id, True
    return None


def land(site_dir: Path, page: str, anchor: str = "") -> Landing | None:
    """Follow `page#anchor` on the built site the way a browser would; None if it breaks.

    A link whose page exists but whose anchor does not is None too: the reader would
    land at the top of a long page instead of on the question.
    """
    current = site_path(page)
    moved = False
    for _ in range(MAX_REDIRECTS):
        if current is None:
            return None
        html = _page_html(site_dir, current)
        if html is None:
            return None
        built = read_html(html)
        target = built.redirect_target
        if target is None:
            break
        # Redirect pages hold a relative URL, and keep the #anchor (their script does).
        current = site_path(urljoin("/" + current, target.partition("#")[0]))
        moved = True
    else:
        return None
    if not anchor:
        return Landing(page=current, anchor="", page_moved=moved, anchor_renamed=False)
    heading = heading_for(built, anchor)
    if heading is not None:
        return Landing(page=current, anchor=heading[0], page_moved=moved, anchor_renamed=heading[1])
    if anchor in built.ids:  # an id that is not a heading
        return Landing(page=current, anchor=anchor, page_moved=moved, anchor_renamed=False)
    return None
