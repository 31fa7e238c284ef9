"""`GET /api/articles/{page}`: one article, every question on it and its deep link."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path as PathParam
from whoosh import query as wq

from search_api.api import models
from search_api.api.deps import ERRORS, IndexDep, SettingsDep
from search_api.links import canonical_page, deep_link

router = APIRouter(prefix="/api")


@router.get("/articles/{page:path}", responses={404: {"model": models.ErrorMessage}, **ERRORS})
def article(
    page: Annotated[str, PathParam(max_length=300, description="e.g. royalties/mechanical")],
    live: IndexDep,
    settings: SettingsDep,
) -> models.Article:
    """One article with every question on it and each question's deep link."""
    path = canonical_page(page)
    ix, _ = live.get()
    with ix.searcher() as searcher:
        docs = sorted(searcher.search(wq.Term("page", path), limit=None), key=lambda r: r.docnum)
        head = next((d for d in docs if d["kind"] == "article"), None)
        if head is None:
            raise HTTPException(404, f"No article at '{page}'. Article paths look like 'royalties/mechanical'.")
        return models.Article(
            page=path, url=deep_link(settings.public_url, path), title=head["title"],
            description=head["description"], last_reviewed=head["last_reviewed"],
            tags=list(head["tag_list"]),
            questions=[
                models.ArticleQuestion(
                    anchor=d["anchor"], question=d["question"], answer=d["answer"],
                    url=deep_link(settings.public_url, path, d["anchor"]),
                )
                for d in docs if d["kind"] == "question"
            ],
        )
