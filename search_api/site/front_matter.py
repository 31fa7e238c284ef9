"""The one reader of an article's front matter (the YAML block between `---` lines).

The block is found by MkDocs' own rule (`mkdocs.utils.meta.YAML_RE`), so what we read
is what the build reads. `parse` says exactly what is wrong and on which line, for
editors; `read_front_matter` never fails, for the index and the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from mkdocs.utils.meta import YAML_RE


class FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader, except that a date that is not real stays text (the check names it)."""


def _date_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:  # 2026-13-01 looks like a date to YAML, and it raises
        return loader.construct_scalar(node)


FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", _date_or_text)

Problem = Literal["missing", "unclosed", "yaml", "not-a-mapping"]


class FrontMatterError(ValueError):
    def __init__(self, kind: Problem, line: int, detail: str = "", body_line: int = 1) -> None:
        super().__init__(f"line {line}: {kind} {detail}".strip())
        self.kind, self.line, self.detail = kind, line, detail
        self.body_line = body_line  # where the Markdown starts, when the block itself was found


@dataclass(frozen=True)
class FrontMatter:
    data: dict[str, Any]
    body_line: int  # the first line after the closing `---` (1-based)


def parse(text: str) -> FrontMatter:
    """The front matter of a Markdown file's text; FrontMatterError says what is wrong where."""
    text = text.replace("\r\n", "\n")
    first = text.split("\n", 1)[0]
    if first.strip() != "---":
        raise FrontMatterError("missing", 1)
    match = YAML_RE.match(text if text.endswith("\n") else text + "\n")
    if match is None:
        raise FrontMatterError("unclosed", 1)
    body_line = match.group(0).count("\n") + 1
    try:
        data = yaml.load(match.group(1), Loader=FrontMatterLoader)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as bad:
        mark = getattr(bad, "problem_mark", None)
        problem = getattr(bad, "problem", None) or str(bad).splitlines()[0]
        raise FrontMatterError("yaml", mark.line + 2 if mark is not None else 1, problem, body_line) from bad
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FrontMatterError("not-a-mapping", 2, body_line=body_line)
    return FrontMatter(data=data, body_line=body_line)


def read_front_matter(path: Path) -> dict[str, Any]:
    """The front matter of a file, or {} when it has none or it is broken (`make check` names it)."""
    try:
        return parse(path.read_text(encoding="utf-8")).data
    except (FrontMatterError, OSError, UnicodeDecodeError):
        return {}
