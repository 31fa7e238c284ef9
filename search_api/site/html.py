"""The one reader of built HTML: pages MkDocs wrote, and fragments of them.

Everything that looks inside the built site (the index build, the link resolver, the
MkDocs plugin, `make check`, the per-page CSP) reads it here, on the standard library's
HTML parser, so an attribute in another order or a `>` inside a value cannot fool it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_SPACE = re.compile(r"\s+")
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "source", "wbr", "area", "base", "col", "embed", "track"})
PERMALINK_CLASS = "headerlink"  # Python-Markdown's toc permalink inside each heading


def tidy(text: str) -> str:
    """Collapse white space; drop the space tags leave before punctuation ("money .")."""
    text = _SPACE.sub(" ", text).strip()
    return re.sub(r"\s+([.,;:!?)])", r"\1", text)


@dataclass
class Heading:
    level: int
    id: str
    text: str = ""  # plain text, without the permalink
    inner_ids: list[str] = field(default_factory=list)  # ids inside it: old anchors kept by the plugin
    first_paragraph: str = ""  # plain text of the first <p> before the next heading of its level or above
    open_tag_end: int = 0  # offset in the source just after the heading's start tag


@dataclass
class BuiltHtml:
    """What the site's code needs to know about one page or fragment."""

    title: str = ""
    canonical: str = ""
    ids: list[str] = field(default_factory=list)  # every id="..." in document order
    headings: list[Heading] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    inline_scripts: list[str] = field(default_factory=list)  # exact text of each <script> without src
    text: str = ""  # all the text, plain

    @property
    def redirect_target(self) -> str | None:
        """Where a page written by mkdocs-redirects sends the reader; None for a real page."""
        return self.canonical if self.title == "Redirecting..." else None

    def heading(self, anchor: str) -> Heading | None:
        return next((h for h in self.headings if h.id == anchor), None)


class _Reader(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.out = BuiltHtml()
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self._text: list[str] = []
        self._heading: Heading | None = None
        self._heading_text: list[str] = []
        self._skip_depth = 0  # inside a permalink <a>: not part of the heading's words
        self._paragraph: list[str] | None = None
        self._waiting: list[Heading] = []  # headings still looking for their first paragraph
        self._title: list[str] | None = None
        self._script: list[str] | None = None

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.out.ids.append(values["id"])
            if self._heading is not None:
                self._heading.inner_ids.append(values["id"])
        # Every tag ends a word: "<p>one</p><p>two</p>" reads "one two", not "onetwo".
        self._words(" ")
        if tag in _HEADINGS and values.get("id"):
            level = _HEADINGS[tag]
            self._waiting = [h for h in self._waiting if h.level < level]
            start_text = self.get_starttag_text() or ""
            self._heading = Heading(level=level, id=values["id"], open_tag_end=self._offset() + len(start_text))
            self._heading_text = []
        elif tag == "a" and self._heading is not None and PERMALINK_CLASS in values.get("class", "").split():
            self._skip_depth = 1
        elif tag == "a" and self._skip_depth:
            self._skip_depth += 1
        elif tag == "p" and not attrs and self._heading is None:
            # A <p> with attributes is the theme's (an admonition's title), not an answer.
            self._paragraph = []
        elif tag == "title":
            self._title = []
        elif tag == "link" and values.get("rel") == "canonical":
            self.out.canonical = values.get("href", "")
        elif tag == "script" and "src" not in values:
            self._script = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)  # <p/>, <a/>: opened and closed at once

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._skip_depth:
            self._skip_depth -= 1
        elif tag in _HEADINGS and self._heading is not None:
            self._heading.text = tidy("".join(self._heading_text))
            self.out.headings.append(self._heading)
            self._waiting.append(self._heading)
            self._heading = None
        elif tag == "p" and self._paragraph is not None:
            text = tidy("".join(self._paragraph))
            self.out.paragraphs.append(text)
            for heading in self._waiting:
                heading.first_paragraph = text
            self._waiting = []
            self._paragraph = None
        elif tag == "title" and self._title is not None:
            self.out.title = tidy("".join(self._title))
            self._title = None
        elif tag == "script" and self._script is not None:
            self.out.inline_scripts.append("".join(self._script))
            self._script = None
        self._words(" ")

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)
            return
        self._words(data)

    def _words(self, data: str) -> None:
        self._text.append(data)
        if self._heading is not None and not self._skip_depth:
            self._heading_text.append(data)
        if self._paragraph is not None:
            self._paragraph.append(data)
        if self._title is not None:
            self._title.append(data)

    def close(self) -> None:
        super().close()
        self.out.text = tidy("".join(self._text))


def read_html(source: str) -> BuiltHtml:
    """Parse a built page or a fragment of one."""
    reader = _Reader(source)
    reader.feed(source)
    reader.close()
    return reader.out


def plain_text(fragment: str) -> str:
    """HTML fragment (e.g. from the search index) -> readable plain text."""
    if "<" not in fragment and "&" not in fragment:
        return tidy(fragment)
    return read_html(fragment).text


def first_paragraph(fragment: str) -> str:
    """The first <p> of a fragment as plain text, or the whole fragment when it has none."""
    found = read_html(fragment)
    return found.paragraphs[0] if found.paragraphs else found.text
