"""Request and response models: the API contract, in one place."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError


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
    suggestion: str | None = Field(
        default=None, description='The corrected query when a misspelling was corrected: "Showing results for ..."',
    )
    confident: bool = Field(default=False, description="False when nothing matches well: the results are only the nearest")


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
    max_query_chars: int = Field(description="The longest q accepted (MAX_QUERY_CHARS); the desk counts towards it")
    articles: int = 0
    questions: int = 0
    index_built_at: str | None = None
    reason: str | None = None


class ErrorMessage(BaseModel):
    detail: str


class ResolvedLink(BaseModel):
    url: str = Field(description="The link that was asked about, as given")
    current_url: str = Field(description="Where it lands now: the link to paste from today on")
    page: str = Field(description="The page it lands on, e.g. help/scams/")
    anchor: str = Field(description="The id of the question heading it lands on; empty for the top of the page")
    title: str = Field(description="The article's title")
    question: str | None = Field(default=None, description="The question it lands on; null for the top of a page")
    answer: str | None = Field(default=None, description="That question's one-sentence answer")
    page_moved: bool = Field(description="The page has moved; the old address redirects to the new one")
    anchor_renamed: bool = Field(description="The question was renamed; its old anchor still lands on it")


class Reindexed(BaseModel):
    status: str = Field(description='"ok" when the new index is live')
    articles: int
    questions: int
    index_built_at: str
    seconds: float = Field(description="How long the rebuild took")


# --- feedback: "Did this answer your question?" ---------------------------------------

FeedbackReason = Literal["unclear", "wrong_or_out_of_date", "did_not_answer", "broken_link"]
FEEDBACK_REASONS: tuple[str, ...] = get_args(FeedbackReason)
MAX_COMMENT_CHARS = 500


class DeskChoiceIn(BaseModel):
    """An agent copied a question's link or reply on the desk after searching `query`."""

    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=1, max_length=2000,
                       description="The creator's question the card answered (the desk's group text); scrubbed before it is stored")
    page: str = Field(max_length=300, description="The copied question's article, e.g. royalties/mechanical/")
    anchor: str = Field(min_length=1, max_length=200, description="The copied question's heading id")


class DeskChoiceReceipt(BaseModel):
    recorded: bool = True


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    page: str = Field(max_length=300, description="The article's path, e.g. royalties/mechanical/")
    anchor: str = Field(min_length=1, max_length=200, description="The question heading's id on that page")
    helpful: bool = Field(description="true for Yes, false for No")
    reason: FeedbackReason | None = Field(
        default=None, validate_default=True, description="Why it did not help; required when helpful is false",
    )
    comment: str | None = Field(
        default=None, max_length=MAX_COMMENT_CHARS,
        description="Optional. E-mail addresses, phone and ID numbers are removed before it is stored.",
    )

    @field_validator("reason")
    @classmethod
    def _reason_only_with_no(cls, reason: str | None, info: ValidationInfo) -> str | None:
        helpful = info.data.get("helpful")
        if helpful is False and reason is None:
            choices = ", ".join(FEEDBACK_REASONS)
            raise PydanticCustomError("reason_missing", f"required when helpful is false: one of {choices}")
        if helpful is True and reason is not None:
            raise PydanticCustomError(
                "reason_unexpected", "only for answers that did not help: leave it out when helpful is true",
            )
        return reason


class FeedbackReceipt(BaseModel):
    recorded: bool = True


class FeedbackQuestions(BaseModel):
    page: str
    anchors: list[str] = Field(description="Ids of the page's questions that take feedback, in page order")
    reasons: list[str] = Field(description="The values `reason` accepts")
    max_comment_chars: int


# --- the agent desk: a creator's message -> answers and replies to paste -------------

class ReplyPublic(BaseModel):
    text: str = Field(description="Ready to paste: greeting, the article's answer, then its link")
    length: int = Field(description="Counted the way the channel counts: on x every link counts 23")
    limit: int | None = Field(description="The channel's limit; null for e-mail, which has none")


class AnswerCard(BaseModel):
    question: str = Field(description="The question heading")
    title: str = Field(description="The article's title")
    url: str = Field(description="Absolute deep link to the question, ready to paste")
    page: str
    anchor: str
    answer: str = Field(description="The article's own one-sentence answer")
    reply: ReplyPublic


class AnsweredQuestion(BaseModel):
    text: str = Field(description="The sentence of the message it answers")
    confident: bool = Field(description="False when no page answers it well: the cards are only the nearest")
    cards: list[AnswerCard]
    fallback_reply: ReplyPublic | None = Field(
        description="When not confident: says there is no page yet and how to reach a person; else null",
    )
    english: bool = Field(
        default=True,
        description="False when the sentence has no English words: the help centre answers in English only",
    )


class AnswerResponse(BaseModel):
    query: str
    channel: str
    suggestion: str | None = Field(default=None, description="The corrected query when a misspelling was corrected")
    questions: list[AnsweredQuestion] = Field(description="One for a few words; up to three for a long message")


class WebhookAck(BaseModel):
    status: Literal["queued", "ignored", "duplicate"] = Field(
        description="queued: a note will be posted; ignored: not a creator's message; duplicate: already queued",
    )
    reason: str | None = Field(default=None, description="Why it was ignored")


class OpeningHoursState(BaseModel):
    open: bool = Field(description="Whether the team is in now")
    now: str = Field(description="The time now in the team's zone (ISO 8601)")
    closes_at: str | None = Field(description="When open: when this opening period ends")
    opens_at: str | None = Field(description="When closed: the next opening (ISO 8601); null if none within a year")
    next_open: str | None = Field(description='When closed: the next opening in words, e.g. "on Monday at 08:00"')
    hours: str = Field(description="The opening hours as the site writes them")
    timezone: str = Field(description="The team's time zone, e.g. Africa/Johannesburg")


class DeskEmbedConfig(BaseModel):
    origin: str = Field(description="CHATWOOT_URL's origin: the only one whose messages the desk reads")
    channels: dict[str, str] = Field(description="Chatwoot's inbox channel types -> the desk's channel; default for others")


# --- the MCP tools for AI assistants (api/mcp_server.py) -----------------------------

class McpFound(BaseModel):
    question: str = Field(description="The question heading on the site that answers it")
    answer: str = Field(description="The article's own one-sentence answer, to quote as it is")
    url: str = Field(description="Deep link to that question, for the creator to check")
    article: str = Field(description="The article's title")
    checked_on: str = Field(description="The date the article was last checked (YYYY-MM-DD)")
    law_status: str | None = Field(default=None, description="For a law page: proposed, passed, in force, in court or unclear")
    law_as_of: str | None = Field(default=None, description="For a law page: the date that status is known as of")
    law_checked: str | None = Field(default=None, description="For a law page: the day we last looked for newer news")


class McpQuestionFound(BaseModel):
    text: str = Field(description="The part of the query or message this answers")
    confident: bool = Field(description="False when no article answers it well: the results are only the nearest")
    note: str | None = Field(default=None, description="When not confident: what to tell the creator instead")
    results: list[McpFound]


class McpSearchAnswer(BaseModel):
    query: str
    suggestion: str | None = Field(default=None, description="The corrected query when a misspelling was corrected")
    questions: list[McpQuestionFound] = Field(description="One for a few words; up to three for a long message")


class McpArticle(BaseModel):
    page: str = Field(description="The article's path, e.g. royalties/mechanical/")
    title: str
    url: str = Field(description="The article's page")
    markdown_url: str = Field(description="The article in Markdown (the same text as the MCP resource)")
    description: str
    checked_on: str
    law_status: str | None = None
    law_as_of: str | None = None
    law_checked: str | None = None
    questions: list[ArticleQuestion]


class McpReplyCard(BaseModel):
    question: str
    url: str
    checked_on: str
    reply: ReplyPublic


class McpQuestionReplies(BaseModel):
    text: str
    confident: bool
    note: str | None = Field(default=None, description="When not confident: why there is no article reply")
    fallback_reply: ReplyPublic | None = Field(default=None, description="When not confident: the honest reply with "
                                                                   "the contact route; send this one")
    cards: list[McpReplyCard]


class McpDraftedReplies(BaseModel):
    channel: str
    questions: list[McpQuestionReplies]
