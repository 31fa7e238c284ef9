"""Every setting an operator can set is in README's settings table."""

from __future__ import annotations

from pathlib import Path

from search_api.settings import Settings


def test_every_setting_is_in_the_readme() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    missing = [name.upper() for name in Settings.model_fields if f"| `{name.upper()}` |" not in readme]
    assert not missing, f"README's settings table lacks {missing}"
