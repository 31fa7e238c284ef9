"""MkDocs plugin `anchor-redirects`: published `#anchors` keep landing on their question.

For each page it takes the ledger's question links that point at it (through any page
redirect in mkdocs-redirects' `redirect_maps`) and whose id the page no longer has, and
gives each one's id to the question it became: the one named in the page's front matter
(`anchor_redirects: {old-anchor: new-anchor}`), else the one search_api.site.anchor_aliases
finds. A link it cannot place is left for `make check` to report with the fix.
"""

from __future__ import annotations

import logging
import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from search_api.site.html import read_html
from search_api.site.anchor_aliases import add_alias_ids, page_questions, renamed_to
from search_api.links import site_path, source_page
from search_api.site.ledger import LedgerEntry, read_ledger
from search_api.settings import Settings

log = logging.getLogger("mkdocs.plugins.anchor_redirects")
MAX_MOVES = 10


def page_moves(config: MkDocsConfig) -> dict[str, str]:
    """Old site path -> new site path, from mkdocs-redirects' redirect_maps."""
    redirects = config.plugins.get("redirects")
    if redirects is None:
        return {}
    moves = {}
    for old, new in (redirects.config.get("redirect_maps") or {}).items():
        target = str(new).partition("#")[0]
        if "://" in target:
            continue  # sent off-site: no anchor of ours can land there
        moves[source_page(str(old), config.use_directory_urls)] = source_page(target, config.use_directory_urls)
    return moves


def final_page(page: str, moves: dict[str, str]) -> str:
    for _ in range(MAX_MOVES):
        if page not in moves:
            break
        page = moves[page]
    return page


def explicit_redirects(page: Page, present: set[str]) -> dict[str, str]:
    """`anchor_redirects` from the front matter, checked; problems are logged as warnings."""
    wanted = page.meta.get("anchor_redirects") or {}
    where = f"Doc file '{page.file.src_uri}'"
    if not isinstance(wanted, dict):
        log.warning(f"{where}: anchor_redirects must be lines like 'old-anchor: new-anchor'.")
        return {}
    aliases = {}
    for old, new in wanted.items():
        old, new = str(old).lstrip("#"), str(new).lstrip("#")
        if new not in present:
            log.warning(f"{where}: anchor_redirects sends '#{old}' to '#{new}', "
                        f"but no heading on this page has the anchor '#{new}'.")
        elif old not in present:
            aliases[old] = new
    return aliases


class AnchorRedirectsPlugin(BasePlugin):
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        moves = page_moves(config)
        self.by_page: dict[str, list[LedgerEntry]] = {}
        for entry in read_ledger(Settings().ledger_file):
            if entry.anchor:
                self.by_page.setdefault(final_page(entry.page, moves), []).append(entry)
        return config

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        present = set(read_html(html).ids)
        aliases = explicit_redirects(page, present)
        entries = self.by_page.get(site_path(page.url) or "", [])
        recorded = {e.anchor: e for e in entries}
        questions = page_questions(html)
        for entry in entries:
            if entry.anchor in present or entry.anchor in aliases:
                continue
            new = renamed_to(entry, questions, recorded)
            if new is None:
                log.info(f"Doc file '{page.file.src_uri}': published link {entry.link} has no question to land on.")
                continue
            aliases[entry.anchor] = new
        if not aliases:
            return html
        if page.present_anchor_ids is not None:
            page.present_anchor_ids.update(aliases)  # links to an old anchor still validate
        return add_alias_ids(html, aliases)
