"""What the index holds: articles and their `##` questions, as plain values.

The site layer reads them from the built site; the engine only indexes and ranks them,
so it never needs to know how a page was built.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    """One `##` question of an article: the unit an agent links to."""

    page: str  # "royalties/mechanical/" (the site's path, "" for the home page)
    anchor: str  # the heading's id in the built page
    question: str
    answer: str  # the first paragraph under the heading, plain text
    body: str  # all the section's text, plain
    asked: tuple[str, ...] = ()  # other ways creators ask it (site/phrasings.py); never shown


@dataclass(frozen=True)
class Page:
    page: str
    title: str
    description: str
    intro: str
    tags: tuple[str, ...]
    last_reviewed: str
    meta: dict[str, str] = field(default_factory=dict)
    sections: tuple[Section, ...] = ()
