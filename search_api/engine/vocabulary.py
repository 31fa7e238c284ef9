"""The creators' vocabulary: groups of words that mean the same thing to a creator.

Read from `vocabulary.txt` (editors maintain it). A query phrase that matches a member
of a group becomes a *concept* whose alternatives are every member of that group.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from search_api.engine.analysis import stems

VOCABULARY_FILE = Path(__file__).with_name("vocabulary.txt")


class VocabularyError(ValueError):
    """A line of the vocabulary file cannot be used; the message names the line."""


@dataclass(frozen=True)
class Concept:
    """One idea in a query: the words as typed, and what else would say the same."""

    typed: tuple[str, ...]  # stems as the person typed them
    alternatives: tuple[tuple[str, ...], ...]  # other members, as stem sequences


@dataclass(frozen=True)
class Vocabulary:
    groups: tuple[tuple[tuple[str, ...], ...], ...]
    members: dict[tuple[str, ...], frozenset[int]]  # stem sequence -> group numbers
    longest: int
    phrases: tuple[str, ...] = ()  # every member as the editors wrote it

    def concepts(self, query_stems: list[str]) -> list[Concept]:
        """Split stems into concepts, longest vocabulary phrase first, left to right."""
        found: list[Concept] = []
        i = 0
        while i < len(query_stems):
            for size in range(min(self.longest, len(query_stems) - i), 0, -1):
                key = tuple(query_stems[i:i + size])
                groups = self.members.get(key)
                if groups:
                    others = {m for g in groups for m in self.groups[g] if m != key}
                    found.append(Concept(typed=key, alternatives=tuple(sorted(others))))
                    i += size
                    break
            else:
                found.append(Concept(typed=(query_stems[i],), alternatives=()))
                i += 1
        return found

    def group_ids(self, members: tuple[str, ...]) -> list[str]:
        """Stable names of the groups a member belongs to (named by each group's first member)."""
        return sorted({"_".join(self.groups[g][0]) for g in self.members.get(members, ())})

    def ideas(self, text_stems: list[str]) -> list[str]:
        """The group names found in a text, once per occurrence: indexed at build time."""
        found: list[str] = []
        for concept in self.concepts(text_stems):
            found += self.group_ids(concept.typed)
        return found

    def knows(self, stem: str) -> bool:
        return any(stem in member for member in self.members)


def inflections(word: str) -> list[str]:
    """Common English endings of a word, so "flip" also covers "flipped" and "flipping".

    The stemmer joins most of these already, but not all ("flipped" stems to "flipp").
    """
    if " " in word or not word.isalpha() or len(word) < 3:
        return []
    forms = [word + "s", word + "es", word + "ed", word + "ing", word + "er"]
    if word.endswith("e"):
        forms += [word + "d", word[:-1] + "ing"]
    if word.endswith("y"):
        forms += [word[:-1] + "ies", word[:-1] + "ied"]
    if word[-1] not in "aeiouwxy" and word[-2] in "aeiou":
        forms += [word + word[-1] + "ed", word + word[-1] + "ing", word + word[-1] + "er"]
    return forms


def parse(text: str, source: str = "vocabulary.txt") -> Vocabulary:
    groups: list[tuple[tuple[str, ...], ...]] = []
    members: dict[tuple[str, ...], set[int]] = {}
    written: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        phrases = [p.strip() for p in line.split(",") if p.strip()]
        written.extend(phrases)
        if len(phrases) < 2:
            raise VocabularyError(f"{source}:{number}: a group needs at least two words separated by commas")
        group: list[tuple[str, ...]] = []
        for phrase in phrases:
            key = tuple(stems(phrase))
            if not key:
                raise VocabularyError(
                    f"{source}:{number}: '{phrase}' is only common words; use a word that says what it is about"
                )
            if key not in group:
                group.append(key)
            for form in inflections(phrase.lower()):
                variant = tuple(stems(form))
                if variant and variant not in group:
                    group.append(variant)
        for key in group:
            members.setdefault(key, set()).add(len(groups))
        groups.append(tuple(group))
    return Vocabulary(
        groups=tuple(groups),
        members={k: frozenset(v) for k, v in members.items()},
        longest=max((len(k) for k in members), default=1),
        phrases=tuple(written),
    )


def load(path: Path = VOCABULARY_FILE) -> Vocabulary:
    source = f"search_api/engine/{path.name}" if path == VOCABULARY_FILE else str(path)
    return parse(path.read_text(encoding="utf-8"), source=source)
