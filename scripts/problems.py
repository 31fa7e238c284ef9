"""One problem the content check found, and the order editors read them in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Problem:
    path: str  # as printed, e.g. "docs/royalties/mechanical.md"
    line: int
    message: str  # "what is wrong — how to fix it"
    is_error: bool
    due: date | None = None  # set on review-due warnings, which are listed soonest first

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def error(path: str, line: int, what: str, fix: str) -> Problem:
    return Problem(path=path, line=line, message=f"{what} — {fix}", is_error=True)


def warning(path: str, line: int, what: str, fix: str, due: date | None = None) -> Problem:
    return Problem(path=path, line=line, message=f"{what} — {fix}", is_error=False, due=due)


def ordered(problems: list[Problem]) -> list[Problem]:
    """Errors by file and line, then warnings the same way, then the reviews due, soonest first."""
    def key(p: Problem) -> tuple:
        group = 0 if p.is_error else (2 if p.due else 1)
        return (group, p.due or date.min, p.path, p.line, p.message)

    return sorted(set(problems), key=key)


def summary(problems: list[Problem], articles: int) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    due = sum(p.due is not None for p in problems)
    plural = lambda n, word: f"{n} {word}{'' if n == 1 else 's'}"  # noqa: E731
    text = f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {plural(articles, 'article')}"
    if due:
        text += f" ({due} due for review)"
    return text + (": fix the errors first." if errors else ".")
