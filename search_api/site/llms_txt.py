"""MkDocs plugin `llms-txt` (search_api.site.llms_txt): /llms.txt, /llms-full.txt and a Markdown copy of every page.

For assistants that read the site instead of searching it (llmstxt.org):

- `/llms.txt`: the site's name, its summary, how to cite us, then the articles grouped
  as the menu groups them, each with its one-sentence description (and, for a law
  page, the law's status and as-of date);
- beside every page its Markdown copy at the page's URL + `index.html.md` (the form
  llmstxt.org names for a URL without a file name): the article as the editors wrote
  it, with the macros already rendered, every heading keeping its `{#anchor}`, links
  made absolute, and at the top the canonical URL, the checked-on date and, for law
  pages, the status;
- `/llms-full.txt`: every copy, in menu order, in one file;
- and in every HTML page's <head> a link to its copy and to llms.txt.

The copy starts from the Markdown the macros plugin rendered (so this plugin must come
after `macros` in mkdocs.yml); heading ids are read from the HTML Python-Markdown made,
never slugified here. A heading the plugin cannot pair with its id is a build warning,
so the strict build stops on it.
"""

from __future__ import annotations

import html
import json
import logging
import posixpath
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urljoin

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from search_api.links import MARKDOWN_COPY, markdown_copy_url
from search_api.site import phrasings
from search_api.site.html import read_html
from search_api.site.mkdocs_plugin import final_page, page_moves

log = logging.getLogger("mkdocs.plugins.llms_txt")

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*$")
_HAS_ID = re.compile(r"\{[^}]*#[\w-][^}]*\}\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
# [text](target "title") and ![alt](target): the target is what gets rewritten.
_LINK = re.compile(r'(\]\()([^)\s]+)((?:\s+"[^"]*")?\))')


class LlmsTxtConfig(Config):
    full_output = opt.Type(str, default="llms-full.txt")
    # A paragraph after the summary in llms.txt (same option name as mkdocs-llmstxt).
    markdown_description = opt.Optional(opt.Type(str))


@dataclass
class Copy:
    page: Page
    markdown: str  # rendered by macros, before our additions
    text: str = ""  # the finished copy


def _text(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value).strip()


def law_status(meta: dict) -> tuple[str, str, str]:
    """(status, as-of date, checked date) of a law page; empty for other pages.

    The law records (data/laws.yml, scripts/law_records.py) put them into page.meta
    from the page's `law:` front matter before this plugin sees the page.
    """
    return _text(meta.get("status")), _text(meta.get("as_of")), _text(meta.get("law_checked"))


def status_line(meta: dict) -> str:
    """'Law status: proposed (as of 2026-06-26, checked 2026-12-03)'; "" for other pages."""
    status, as_of, checked = law_status(meta)
    if not status:
        return ""
    dates = ", ".join(p for p in (f"as of {as_of}" if as_of else "", f"checked {checked}" if checked else "") if p)
    return f"Law status: {status}" + (f" ({dates})" if dates else "")


def heading_ids(page_html: str) -> list[str]:
    return [h.id for h in read_html(page_html).headings]


def anchor_headings(markdown: str, ids: list[str]) -> tuple[str, int]:
    """Give each ATX heading outside code its id as `{#id}`; (new text, headings seen)."""
    out, seen, fenced = [], 0, False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        match = None if fenced else _HEADING.match(line)
        if match:
            if seen < len(ids) and not _HAS_ID.search(match.group(2)):
                line = f"{match.group(1)} {match.group(2)} {{#{ids[seen]}}}"
            seen += 1
        out.append(line)
    return "\n".join(out), seen


def absolute_links(markdown: str, page: Page, files: Files, site_url: str) -> str:
    """Relative links -> absolute page URLs, so a copy read on its own still leads somewhere."""
    here = posixpath.dirname(page.file.src_uri)

    def rewrite(match: re.Match[str]) -> str:
        target = match.group(2)
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # https:, mailto:, tel:
            return match.group(0)
        path, _, anchor = target.partition("#")
        if not path:
            url = page.canonical_url or urljoin(site_url, page.url)
        else:
            linked = files.get_file_from_path(posixpath.normpath(posixpath.join(here, path)))
            if linked is None:
                return match.group(0)  # MkDocs' own validation reports it
            url = urljoin(site_url, linked.url)
        return f"{match.group(1)}{url}{'#' + anchor if anchor else ''}{match.group(3)}"

    return _LINK.sub(rewrite, markdown)


def front_matter(page: Page, page_url: str) -> str:
    meta = page.meta
    status, as_of, law_checked = law_status(meta)
    fields = [
        ("title", _text(page.title)),
        ("description", _text(meta.get("description"))),
        ("url", page_url),
        ("last_reviewed", _text(meta.get("last_reviewed"))),
        ("status", status),
        ("as_of", as_of),
        ("law_checked", law_checked),
    ]
    # JSON strings are YAML strings: quotes and colons in a title stay safe.
    lines = [f"{key}: {value if key in ('last_reviewed', 'as_of', 'law_checked') else json.dumps(value, ensure_ascii=False)}"
             for key, value in fields if value]
    return "---\n" + "\n".join(lines) + "\n---\n"


def about_line(page: Page, page_url: str) -> str:
    """The line under the title: what a reader must know before quoting the page."""
    parts = [f"Canonical page: {page_url}"]
    checked = _text(page.meta.get("last_reviewed"))
    if checked:
        parts.append(f"Article checked on {checked}")
    status = status_line(page.meta)
    if status:
        parts.append(status)
    line = "> " + ". ".join(parts) + "."
    banner = _text(page.meta.get("law_banner"))  # the banner readers see: "Status: proposed, not law. Checked ..."
    return f"{line}\n>\n> {banner}" if banner else line


def finish_copy(markdown: str, page: Page, ids: list[str], files: Files, site_url: str) -> str:
    page_url = page.canonical_url or urljoin(site_url, page.url)
    body, seen = anchor_headings(markdown, ids)
    if seen != len(ids):
        log.warning(f"Doc file '{page.file.src_uri}': its Markdown has {seen} headings but the page has "
                    f"{len(ids)} heading ids, so the Markdown copy cannot give each heading its anchor.")
    body = absolute_links(body, page, files, site_url).strip("\n")
    # The editors' "also asked" lists are for search, never for readers of the copy.
    body = phrasings.BLOCK_WITH_SPACE.sub("\n\n", body)
    lines = body.split("\n")
    # The about line goes right under the `# Title`, or first when a page has no H1.
    at = 1 if lines and lines[0].startswith("# ") else 0
    lines[at:at] = ["", about_line(page, page_url)] if at else [about_line(page, page_url), ""]
    return front_matter(page, page_url) + "\n" + "\n".join(lines) + "\n"


def menu_groups(nav: Navigation) -> list[tuple[str, list[Page]]]:
    """(group title, its pages) in menu order: one group per top-level section, and the
    top-level pages outside any section together first, under the first page's title."""
    groups: list[tuple[str, list[Page]]] = []
    loose: list[Page] = []

    def pages_of(section: Section) -> list[Page]:
        found: list[Page] = []
        for child in section.children:
            if isinstance(child, Page):
                found.append(child)
            elif isinstance(child, Section):
                found.extend(pages_of(child))
        return found

    for item in nav.items:
        if isinstance(item, Page):
            loose.append(item)
        elif isinstance(item, Section):
            groups.append((str(item.title), pages_of(item)))
    if loose:
        groups.insert(0, (str(loose[0].title), loose))
    return groups


def llms_txt(config: MkDocsConfig, groups: list[tuple[str, list[Page]]], extra_paragraph: str | None,
             full_output: str) -> str:
    site_url = config.site_url or "/"
    extra = config.extra or {}
    org = extra.get("org") or {}
    contact = extra.get("contact") or {}
    out = [f"# {config.site_name}", ""]
    if config.site_description:
        out += [f"> {config.site_description}", ""]
    name = org.get("full_name") or org.get("name") or config.site_name
    out += [
        f"Reviewed answers from {name}" + (f" ({org['country']})" if org.get("country") else "") + ". "
        "Each article is a list of questions; the first paragraph under a question is its one-sentence answer. "
        "When you quote an answer, give the question's deep link (the page URL + #anchor; every heading in the "
        "Markdown copies carries its anchor as {#anchor}) and the date the article was checked on. "
        "Law pages say whether the law is in force and as of when: say so too, and never present a proposed "
        "law as law.",
        "",
        f"Each page has a Markdown copy at its URL + {MARKDOWN_COPY} (listed below); "
        f"[{full_output}]({urljoin(site_url, full_output)}) holds them all. "
        f"To search the questions, connect an MCP client to {urljoin(site_url, 'mcp')}.",
        "",
    ]
    if contact:
        routes = ", ".join(f"{label} {contact[key]}" for key, label in
                           (("email", "e-mail"), ("whatsapp", "WhatsApp"), ("phone", "phone")) if contact.get(key))
        out += [f"When no article answers, do not guess: the creator can reach a person by {routes}"
                + (f", {contact['hours']}" if contact.get("hours") else "") + ".", ""]
    if extra_paragraph:
        out += [extra_paragraph.strip(), ""]
    for title, pages in groups:
        out += [f"## {title}", ""]
        for page in pages:
            note = _text(page.meta.get("description"))
            status = status_line(page.meta)
            if status:
                note = f"{note} {status}." if note else f"{status}."
            url = markdown_copy_url(page.canonical_url or urljoin(site_url, page.url))
            out.append(f"- [{_text(page.title)}]({url})" + (f": {note}" if note else ""))
        out.append("")
    return "\n".join(out)


def moved_copy(old_url: str, new_url: str) -> str:
    """The Markdown at a moved page's old copy address: where the article is now."""
    return (f'---\nmoved_to: {json.dumps(new_url)}\n---\n\n# This page has moved\n\n'
            f"It is now at {new_url} (in Markdown: {markdown_copy_url(new_url)}). "
            f"Cite the new address; the old one, {old_url}, redirects there.\n")


def write_moved_copies(config: MkDocsConfig, copies: dict[str, "Copy"]) -> None:
    """A short copy at each moved page's old address (mkdocs-redirects' redirect_maps), so a
    published .md link keeps leading to the article, as the old HTML address does."""
    moves = page_moves(config)
    live = {copy.page.url: copy for copy in copies.values()}
    for old in moves:
        new = final_page(old, moves)
        if old in live or new not in live:
            continue
        target = Path(config.site_dir) / old / MARKDOWN_COPY
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(moved_copy(urljoin(config.site_url, old), urljoin(config.site_url, new)), encoding="utf-8")


# rel is a set of tokens: "alternate" for readers of links, plus one more, because Material
# takes every link whose rel is exactly "alternate" for another language of the site and
# fetches a sitemap.xml beside its URL on each page load (a 404 here, and the whole
# /sitemap.xml for llms.txt: a phone's data for nothing, and console errors).
REL = "alternate markdown"


def alternate_links(page: Page, site_url: str) -> str:
    page_url = page.canonical_url or urljoin(site_url, page.url)
    return (f'<link rel="{REL}" type="text/markdown" title="This page in Markdown" '
            f'href="{html.escape(markdown_copy_url(page_url))}">'
            f'<link rel="{REL}" type="text/markdown" title="llms.txt" '
            f'href="{html.escape(urljoin(site_url, "llms.txt"))}">')


class LlmsTxtPlugin(BasePlugin[LlmsTxtConfig]):
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not config.site_url:
            raise ValueError("The llms-txt plugin needs site_url: llms.txt must give absolute links.")
        names = list(config.plugins)
        if "macros" in names and names.index("macros") > names.index("llms-txt"):
            raise ValueError("List llms-txt after macros in mkdocs.yml: its copies need the rendered Markdown.")
        self.copies: dict[str, Copy] = {}
        self.nav: Navigation | None = None
        return config

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        return nav

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        self.copies[page.file.src_uri] = Copy(page=page, markdown=markdown)
        return markdown

    def on_page_content(self, page_html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        copy = self.copies.get(page.file.src_uri)
        if copy is not None:
            copy.text = finish_copy(copy.markdown, page, heading_ids(page_html), files, config.site_url)
        return page_html

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        links = alternate_links(page, config.site_url)
        head_end = output.find("</head>")
        return output if head_end == -1 else output[:head_end] + links + output[head_end:]

    def on_post_build(self, config: MkDocsConfig) -> None:
        site_dir = Path(config.site_dir)
        for copy in self.copies.values():
            target = Path(copy.page.file.abs_dest_path)
            target.with_name(target.name + ".md").write_text(copy.text, encoding="utf-8")
        write_moved_copies(config, self.copies)
        groups = menu_groups(self.nav) if self.nav is not None else []
        (site_dir / "llms.txt").write_text(
            llms_txt(config, groups, self.config.markdown_description, self.config.full_output), encoding="utf-8")
        in_menu = [page.file.src_uri for _, pages in groups for page in pages]
        rest = [uri for uri in self.copies if uri not in in_menu]
        head = f"# {config.site_name}\n\n" + (f"> {config.site_description}\n\n" if config.site_description else "")
        full = [self.copies[uri].text for uri in in_menu + rest if uri in self.copies]
        (site_dir / self.config.full_output).write_text(head + "\n".join(full), encoding="utf-8")
