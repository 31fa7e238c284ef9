"""MkDocs plugin `opening-hours`: `{{ contact.hours }}` is written from `extra.opening_hours`.

Listed before `macros` in mkdocs.yml, so every page, partial and reply reads the one
sentence the data gives. A bad value stops the build with its line and what is wrong.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from search_api.site import hours


class OpeningHoursPlugin(BasePlugin):
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        try:
            found = hours.load(Path(config.config_file_path))
        except hours.HoursError as error:
            raise PluginError(f"opening hours:\n{error}") from None
        filled = hours.with_hours_sentence(config.extra, found)
        config.extra["contact"] = filled.get("contact", config.extra.get("contact"))
        return config
