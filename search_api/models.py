"""Request and response models: the API contract, in one place."""

from __future__ import annotations

from pydantic import BaseModel, Field


class SearchResult(BaseModel):
    title: str = Field(description="The article's title")
    question: str = Field(description="The question heading that answers the query")
    url: str = Field(description="Absolute deep link to the question, ready to paste")
    page: str = Field(description="The article's path on the site, e.g. royalties/mechanical/")
    anchor: str = Field(description="The question heading's id on that page")
    answer: str = Field(description="The article's own one-sentence answer")
    snippet: str = Field(description="Plain text around the matched words, at most 300 characters")
    score: float


class SearchResponse(BaseModel):
    query: str
    total: int
    results: list[SearchResult]
    suggestion: str | None = Field(default=None, description="Set when a misspelling was corrected")


class ArticleQuestion(BaseModel):
    anchor: str
    question: str
    url: str
    answer: str


class Article(BaseModel):
    page: str
    url: str
    title: str
    description: str
    last_reviewed: str
    tags: list[str]
    questions: list[ArticleQuestion]


class Health(BaseModel):
    status: str = Field(description='"ok", or "degraded" when the index cannot be used')
    articles: int = 0
    questions: int = 0
    index_built_at: str | None = None
    reason: str | None = None


class ErrorMessage(BaseModel):
    detail: str


class Reindexed(BaseModel):
    status: str = Field(description='"ok" when the new index is live')
    articles: int
    questions: int
    index_built_at: str
    seconds: float = Field(description="How long the rebuild took")
