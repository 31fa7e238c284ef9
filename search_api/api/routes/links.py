"""`GET /api/links/resolve`: where an old pasted link lands today.

An agent holding a link from a reply sent years ago asks where it goes now: through a
moved page's redirect and a renamed question's old anchor, as a browser would, and
gets the current deep link with the question and its answer.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from whoosh import query as wq

from search_api.api import models
from search_api.api.deps import IndexDep
from search_api.links import deep_link, site_path
from search_api.engine.index import LiveIndex
from search_api.site.landing import Landing, land
from search_api.settings import Settings

router = APIRouter(prefix="/api")
LinkParam = Annotated[str, Query(min_length=1, max_length=2000,
                                 description="A link to the site, e.g. https://help.example/royalties/mechanical/#who-collects")]


def link_parts(url: str, public_url: str) -> tuple[str, str]:
    """(site path, anchor) of a pasted link, whichever host it names.

    Raises HTTPException 422 when the link cannot be parsed ("http://[::1").
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError as error:  # an unclosed IPv6 bracket, a host that is no address, ...
        raise HTTPException(422, f"url: {url!r} is not a link ({error}). "
                                 "Paste it as it appears in the reply, e.g. https://help.example/royalties/") from error
    path = parts.path
    base = urlsplit(public_url).path
    if base != "/" and path.startswith(base):
        path = path[len(base) - 1:]  # the site is served under a sub-path
    return path, parts.fragment


def _record(live: LiveIndex, landing: Landing) -> tuple[str, str | None, str | None]:
    """(title, question, answer) of where the link lands, from the index."""
    ix, _ = live.get()
    with ix.searcher() as searcher:
        article = searcher.document(doc_id=landing.page)
        question = searcher.document(doc_id=f"{landing.page}#{landing.anchor}") if landing.anchor else None
    title = (article or {}).get("title", "")
    if question is None or question.get("kind") != "question":
        return title, None, None
    return title, question["question"], question["answer"]


@router.get("/links/resolve", responses={404: {"model": models.ErrorMessage}, 422: {"model": models.ErrorMessage}})
def resolve_link(url: LinkParam, request: Request, live: IndexDep) -> models.ResolvedLink:
    """Where a published link lands now, following moved pages and renamed questions."""
    settings: Settings = request.app.state.settings
    path, anchor = link_parts(url, settings.public_url)
    landing = land(settings.site_dir, path, anchor)
    if landing is None:
        page = site_path(path)
        where = "this site" if page is None or land(settings.site_dir, page) is None else f"/{page}"
        raise HTTPException(404, f"The link {url} does not land on {where}"
                                 + (f": that page has no #{anchor}." if where != "this site" else ".")
                                 + " Search for the question instead.")
    title, question, answer = _record(live, landing)
    return models.ResolvedLink(
        url=url, current_url=deep_link(settings.public_url, landing.page, landing.anchor),
        page=landing.page, anchor=landing.anchor, title=title, question=question, answer=answer,
        page_moved=landing.page_moved, anchor_renamed=landing.anchor_renamed,
    )
