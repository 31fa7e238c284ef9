"""A private copy of the site's configuration for a docs folder of the test's own."""

from __future__ import annotations

import re
from pathlib import Path

from search_api.settings import ROOT, Settings


def write_config(folder: Path, docs_dir: Path, redirect_maps: dict[str, str] | None = None) -> Path:
    """mkdocs.yml in `folder`: the real configuration, building `docs_dir` with our theme overrides."""
    text = Settings().mkdocs_config.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^docs_dir: .*$", f"docs_dir: {docs_dir}", text)
    text = re.sub(r"(?m)^(\s*custom_dir:) .*$", rf"\1 {ROOT / 'overrides'}", text)
    text = re.sub(r"(?m)^(\s*module_name:) (.*)$", lambda m: f"{m.group(1)} {ROOT / m.group(2).strip()}", text)
    if redirect_maps:
        lines = "".join(f"\n        '{old}': '{new}'" for old, new in redirect_maps.items())
        text = text.replace("      redirect_maps: {}", "      redirect_maps:" + lines, 1)
    config = folder / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config
