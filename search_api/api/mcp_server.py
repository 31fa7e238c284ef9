"""The help centre for AI assistants: a read-only Model Context Protocol server at /mcp.

Three tools and one resource per article, over streamable HTTP, on the same server and
under the same limits as /api/ (query length here, the rate and body limits in
limits.py, the scrubbed record of searches in search_log.py):

- `search_help_centre`: a few words or a whole pasted message -> per question found, the
  questions that answer it with their one-sentence answers, deep links, the article's
  checked-on date and, for law pages, the law's status and as-of date;
- `get_article`: one article's questions, answers and links;
- `draft_reply`: the reply the agent desk gives for a channel (/api/answer);
- resources: every article's Markdown copy (the `index.html.md` beside its page).

Nothing here writes: there is no admin tool. A result that is not confident says so in
words, with the contact route, so an assistant has no reason to guess.

The transport is the official SDK's (package `mcp`). Its session manager runs in the
host app's lifespan (api/app.py), and its Host allow-list is SITE_URL's host, so
a request addressed to any other host is refused with 421.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from mcp.server import MCPServer
from mcp.server.lowlevel.helper_types import ReadResourceContents
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError
from mcp.server.transport_security import TransportSecuritySettings
from mcp.types import Resource as MCPResource
from mcp.types import ToolAnnotations
from pydantic import Field
from starlette.routing import BaseRoute
from whoosh import query as wq
from whoosh.index import Index

from search_api.api import models
from search_api.api.limits import MCP_PATH
from search_api.api.routes.desk import _NAME, MAX_NAME_CHARS
from search_api.engine.index import IndexUnavailable, LiveIndex
from search_api.engine.search import Hit, QuestionOutcome, answer_questions
from search_api.links import MARKDOWN_COPY, canonical_page, deep_link, markdown_copy_url
from search_api.listening.search_log import SearchLog
from search_api.replies.compose import Wording, compose_fallback, compose_reply
from search_api.settings import Settings

MAX_PAGE_CHARS = 300
RESULTS_PER_QUESTION = 3
READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=False, destructive_hint=False,
                            idempotent_hint=True)

INSTRUCTIONS = (
    "Reviewed answers for music creators about royalties, registering music, getting paid, copyright and "
    "the law. Search before you answer a creator's question, quote the one-sentence answer, give its deep "
    "link and the date the article was checked on, and for a law say its status and as-of date. When a "
    "result is not confident, do not guess: say so and give the contact route in the result."
)


# --- the server ---------------------------------------------------------------------------

class HelpCentreServices:
    """What the tools read: the live index, the settings, the desk's wording, the search record.

    `live_index` and `search_log` are called per request, so a reindex (new index) or a
    missing index (an error the tool reports) is seen at once.
    """

    def __init__(self, settings: Settings, wording: Wording, live_index: Callable[[], LiveIndex],
                 search_log: Callable[[], SearchLog]) -> None:
        self.settings = settings
        self.wording = wording
        self.live_index = live_index
        self.search_log = search_log

    def index(self) -> Index:
        try:
            ix, _ = self.live_index().get()
        except IndexUnavailable as error:
            raise ToolError(f"The help centre's search index is not available right now ({error}). "
                            f"{self.contact()}") from error
        return ix

    def contact(self) -> str:
        w = self.wording
        return " ".join(p for p in (w.contact, w.hours) if p)

    def not_confident(self) -> str:
        return (f"No article answers this with confidence; the results are only the nearest questions, so do not "
                f"present them as the answer. {self.wording.no_page} {self.contact()}")

    def answer(self, endpoint: str, query: str, limit: int
               ) -> tuple[list[QuestionOutcome], str | None, dict[str, dict[str, Any]]]:
        """Each question in `query` with its hits (the desk's search), each recorded scrubbed
        under `endpoint`; plus the typo suggestion and the articles' stored fields by page."""
        chars = self.settings.max_query_chars
        if not query.strip():
            raise ToolError("The query is empty: give a few words or paste the creator's whole message.")
        if len(query) > chars:
            raise ToolError(f"The query is {len(query):,} characters long; the limit is {chars:,}. "
                            "Send the part of the message with the question.")
        ix = self.index()
        found, suggestion = answer_questions(ix, query, limit=limit)
        log = self.search_log()
        for question in found:  # one record per question, as /api/answer does
            log.record(endpoint, question.text, question.outcome.hits, question.outcome.confident)
        return found, suggestion, _articles(ix)


def _articles(ix: Index) -> dict[str, dict[str, Any]]:
    with ix.searcher() as searcher:
        return {d["page"]: dict(d) for d in searcher.search(wq.Term("kind", "article"), limit=None)}


def _law(stored: dict[str, Any]) -> dict[str, str | None]:
    return {key: stored.get(key) or None for key in ("law_status", "law_as_of", "law_checked")}


class HelpCentreMCP(MCPServer):
    """MCPServer whose resource list is read from the live index on each request."""

    def __init__(self, services: HelpCentreServices) -> None:
        super().__init__(name="help-centre", title="Help centre", instructions=INSTRUCTIONS,
                         website_url=services.settings.public_url, version="1.0")
        self.services = services

    def _copy_uri(self, page: str) -> str:
        return markdown_copy_url(deep_link(self.services.settings.public_url, page))

    async def list_resources(self) -> list[MCPResource]:
        ix = self.services.index()
        return [
            MCPResource(uri=self._copy_uri(page), name=page or "home", title=doc["title"],
                        description=doc["description"] or None, mime_type="text/markdown")
            for page, doc in sorted(_articles(ix).items())
        ]

    async def read_resource(self, uri: Any, context: Any = None) -> Iterable[ReadResourceContents]:
        uri = str(uri)
        base = self.services.settings.public_url
        if not (uri.startswith(base) and uri.endswith(MARKDOWN_COPY)):
            raise ResourceNotFoundError(f"Unknown resource {uri}: resources are the articles' Markdown copies.")
        page = canonical_page(uri[len(base):-len(MARKDOWN_COPY)])
        if page not in _articles(self.services.index()):
            raise ResourceNotFoundError(f"No article at {uri}.")
        copy = (self.services.settings.site_dir / page / MARKDOWN_COPY).resolve()
        if not copy.is_relative_to(self.services.settings.site_dir.resolve()) or not copy.is_file():
            raise ResourceNotFoundError(f"No Markdown copy at {uri}: run `make index`.")
        return [ReadResourceContents(content=copy.read_text(encoding="utf-8"), mime_type="text/markdown")]


def _found(hit: Hit, article: dict[str, Any], public_url: str) -> models.McpFound:
    return models.McpFound(question=hit.question, answer=hit.answer, url=deep_link(public_url, hit.page, hit.anchor),
                 article=hit.title, checked_on=article.get("last_reviewed", ""), **_law(article))


def build_server(services: HelpCentreServices) -> HelpCentreMCP:
    server = HelpCentreMCP(services)
    settings = services.settings

    @server.tool(name="search_help_centre", title="Search the help centre", annotations=READ_ONLY)
    def search_help_centre(
        query: Annotated[str, Field(description="A few words, or a creator's whole message pasted as it is")],
        limit: Annotated[int, Field(ge=1, le=10, description="Results per question, 1 to 10")] = RESULTS_PER_QUESTION,
    ) -> models.McpSearchAnswer:
        """Find the reviewed answers to a music creator's question (royalties, registering songs, getting
        paid, copyright, law changes). A message with several questions gives one group per question.
        Quote `answer` as it is with its `url` and `checked_on`; for a law give `law_status` and
        `law_as_of`. When `confident` is false, do not answer from the results: tell the creator what
        `note` says."""
        found, suggestion, articles = services.answer("mcp-search", query, limit)
        groups = []
        for question in found:
            outcome = question.outcome
            groups.append(models.McpQuestionFound(
                text=question.text, confident=outcome.confident,
                note=None if outcome.confident else services.not_confident(),
                results=[_found(h, articles.get(h.page, {}), settings.public_url) for h in outcome.hits],
            ))
        return models.McpSearchAnswer(query=query, suggestion=suggestion, questions=groups)

    @server.tool(name="get_article", title="Read one article", annotations=READ_ONLY)
    def get_article(
        page: Annotated[str, Field(max_length=MAX_PAGE_CHARS,
                                   description="The article's path or URL, e.g. royalties/mechanical")],
    ) -> models.McpArticle:
        """One help-centre article: every question on it with its one-sentence answer and deep link, the
        date it was checked on and, for a law page, the law's status. `page` is a path from a search
        result's url (royalties/mechanical) or the url itself."""
        path = page.strip()
        if path.startswith(settings.public_url):
            path = path[len(settings.public_url):]
        path = canonical_page(path.partition("#")[0])
        ix = services.index()
        with ix.searcher() as searcher:
            docs = sorted(searcher.search(wq.Term("page", path), limit=None), key=lambda r: r.docnum)
            head = next((dict(d) for d in docs if d["kind"] == "article"), None)
            if head is None:
                raise ToolError(f"No article at '{page}'. Article paths look like 'royalties/mechanical'; "
                                "search_help_centre finds the right one, and the resources list them all.")
            questions = [models.ArticleQuestion(anchor=d["anchor"], question=d["question"], answer=d["answer"],
                                         url=deep_link(settings.public_url, path, d["anchor"]))
                         for d in docs if d["kind"] == "question"]
        url = deep_link(settings.public_url, path)
        return models.McpArticle(page=path, title=head["title"], url=url, markdown_url=markdown_copy_url(url),
                           description=head["description"], checked_on=head.get("last_reviewed", ""),
                           questions=questions, **_law(head))

    @server.tool(name="draft_reply", title="Draft a reply for a channel", annotations=READ_ONLY)
    def draft_reply(
        message: Annotated[str, Field(description="The creator's message, or a few words")],
        channel: Annotated[Literal["x", "facebook", "whatsapp", "sms", "email"],
                           Field(description="Where the reply will be sent")],
        name: Annotated[str | None, Field(description="The creator's first name, for the greeting")] = None,
        limit: Annotated[int, Field(ge=1, le=10, description="Replies per question, 1 to 10")] = 1,
    ) -> models.McpDraftedReplies:
        """Replies ready to send on a channel, the same ones the support agents' desk gives: the article's
        own answer and its deep link, sized for the channel (x: 280 with a link counted as 23; sms 320;
        facebook and whatsapp 500; email with greeting and sign-off). When `confident` is false, send
        `fallback_reply`, which says there is no article yet and how to reach a person."""
        name = " ".join((name or "").split())
        if name and (len(name) > MAX_NAME_CHARS or not _NAME.fullmatch(name)):
            raise ToolError(f"name is the creator's first name, e.g. Thandi: letters, spaces, hyphens and "
                            f"apostrophes, at most {MAX_NAME_CHARS} characters.")
        found, _, articles = services.answer("mcp-reply", message, limit)
        groups = []
        for question in found:
            outcome = question.outcome
            fallback = None
            if not outcome.confident:
                made = compose_fallback(channel, services.wording, name)
                fallback = models.ReplyPublic(text=made.text, length=made.length, limit=made.limit)
            cards = []
            for hit in outcome.hits:
                url = deep_link(settings.public_url, hit.page, hit.anchor)
                made = compose_reply(channel, hit.answer, url, services.wording, name)
                cards.append(models.McpReplyCard(question=hit.question, url=url,
                                       checked_on=articles.get(hit.page, {}).get("last_reviewed", ""),
                                       reply=models.ReplyPublic(text=made.text, length=made.length, limit=made.limit)))
            groups.append(models.McpQuestionReplies(text=question.text, confident=outcome.confident,
                                          note=None if outcome.confident else services.not_confident(),
                                          fallback_reply=fallback, cards=cards))
        return models.McpDraftedReplies(channel=channel, questions=groups)

    return server


def allowed_hosts(settings: Settings) -> tuple[list[str], list[str]]:
    """(Host values, Origin values) the transport accepts: SITE_URL's, and nothing else."""
    public = urlsplit(settings.public_url)
    host = public.netloc
    hosts = [host]
    default_port = {"http": 80, "https": 443}[public.scheme]
    if public.port in (None, default_port):
        # A client may send the default port or leave it out.
        bare = public.hostname if ":" not in (public.hostname or "") else f"[{public.hostname}]"
        hosts = sorted({host, bare, f"{bare}:{default_port}"})
    origins = [f"{public.scheme}://{host}", *settings.cors_origins]
    return hosts, origins


def mcp_routes(server: HelpCentreMCP, settings: Settings) -> list[BaseRoute]:
    """The /mcp route, for the host app's router (before the site, which answers every path).

    Stateless and JSON: a modern (2026-07-28) request is one POST anyway, and an older client
    then needs no sticky session across WORKERS; nothing here pushes to the client.
    """
    hosts, origins = allowed_hosts(settings)
    security = TransportSecuritySettings(enable_dns_rebinding_protection=True,
                                         allowed_hosts=hosts, allowed_origins=origins)
    app = server.streamable_http_app(streamable_http_path=MCP_PATH, stateless_http=True, json_response=True,
                                     transport_security=security)
    return list(app.routes)

