"""axe-core in the page tests: the pinned copy in tests/vendor/axe-core/, never a CDN.

axe-core 4.14.1 (npm package axe-core, MPL-2.0: tests/vendor/axe-core/LICENSE). Its
sha256 is checked before use, so a changed file fails loudly instead of testing less.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page

AXE_FILE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, plus axe's best practices (aria-dialog-name).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING = ("serious", "critical")


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        shown = ", ".join(self.targets[:3]) + (" ..." if len(self.targets) > 3 else "")
        return f"{self.impact} {self.rule} x{len(self.targets)}: {self.help} ({shown})"


def axe_source() -> str:
    data = AXE_FILE.read_bytes()
    if hashlib.sha256(data).hexdigest() != AXE_SHA256:
        raise RuntimeError(f"{AXE_FILE} is not axe-core {AXE_VERSION}: restore it from the npm package")
    return data.decode("utf-8")


def run_axe(page: Page) -> list[Violation]:
    """Every axe violation on the page as it is now (open dialogs included)."""
    # evaluate() runs as the browser's own tooling, so the page's CSP need not allow it.
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", TAGS,
    )
    return [
        Violation(rule=v["id"], impact=v["impact"] or "minor", help=v["help"],
                  targets=tuple(" ".join(map(str, n["target"])) for n in v["nodes"]))
        for v in results["violations"]
    ]


def blocking(violations: list[Violation]) -> list[Violation]:
    return [v for v in violations if v.impact in BLOCKING]
