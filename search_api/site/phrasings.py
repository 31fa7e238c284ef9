"""Other ways creators ask a question, written by editors next to the `##` heading.

In the Markdown, right under the question (an HTML comment, so the page never shows it;
MkDocs keeps it in the built page, and Material's search index leaves it out):

    ## What is needletime?

    <!-- also asked:
    - what's needle time
    - radio money for the recording
    -->

Search indexes these with a weight of their own; they are never shown as the answer.
`make check` holds them to the rules (scripts/article_checks.py): a list is never empty,
and no phrasing belongs to two questions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MARKER = "also asked:"
BLOCK = re.compile(r"<!--\s*also asked:(?P<items>.*?)-->", re.S | re.I)
BLOCK_WITH_SPACE = re.compile(r"\n*[ \t]*<!--\s*also asked:.*?-->[ \t]*\n*", re.S | re.I)
_ITEM = re.compile(r"^\s*[-*]\s+(?P<text>.+?)\s*$")
_H2 = re.compile(r'<h2\b[^>]*\bid="(?P<id>[^"]+)"', re.I)
_ANY_HEADING = re.compile(r"<h[1-6]\b", re.I)


def items(block: str) -> list[str]:
    """The phrasings of one block's text: one `- ` line each, blank lines ignored."""
    return [m.group("text") for line in block.splitlines() if (m := _ITEM.match(line))]


def key(phrasing: str) -> str:
    """What makes two phrasings the same: case, punctuation and spacing aside."""
    return " ".join(re.sub(r"[^\w\s]", " ", phrasing.lower()).split())


def from_html(page_html: str) -> dict[str, tuple[str, ...]]:
    """heading id -> its phrasings, from a built page (the first block under each `##`)."""
    found: dict[str, tuple[str, ...]] = {}
    for match in _H2.finditer(page_html):
        start = match.end()
        following = _ANY_HEADING.search(page_html, start)
        end = following.start() if following else len(page_html)
        block = BLOCK.search(page_html, start, end)
        if block:
            found[match.group("id")] = tuple(items(block.group("items")))
    return found


@dataclass(frozen=True)
class Written:
    """A block as the editor wrote it in the Markdown source."""

    line: int  # where the block starts (1-based)
    end_line: int  # its closing `-->`
    phrasings: tuple[tuple[int, str], ...]  # (line, text)


def from_markdown(lines: list[str]) -> list[Written]:
    """Every `<!-- also asked:` block in a Markdown file, with line numbers."""
    blocks: list[Written] = []
    i = 0
    while i < len(lines):
        if re.match(r"^\s*<!--\s*also asked:", lines[i], re.I):
            start = i
            collected: list[tuple[int, str]] = []
            rest = re.sub(r"^\s*<!--\s*also asked:", "", lines[i], flags=re.I)
            j = i
            while True:
                text = rest if j == start else lines[j]
                closed = "-->" in text
                text = text.split("-->", 1)[0]
                match = _ITEM.match(text)
                if match:
                    collected.append((j + 1, match.group("text")))
                if closed or j + 1 >= len(lines):
                    break
                j += 1
            blocks.append(Written(line=start + 1, end_line=j + 1, phrasings=tuple(collected)))
            i = j + 1
            continue
        i += 1
    return blocks
