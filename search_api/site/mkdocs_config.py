"""mkdocs.yml, read by MkDocs' own YAML reader (its `!ENV` tags and `INHERIT` included).

The pages show `{{ contact.email }}` and friends from `extra:`; the agent desk, the
Chatwoot bot and the MCP tools read the same block here, so they never disagree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from mkdocs.exceptions import ConfigurationError
from mkdocs.utils.yaml import yaml_load


def load_config_file(config_file: Path) -> dict[str, Any]:
    """The whole configuration as MkDocs reads it, before its plugins run; ValueError says why not."""
    try:
        with config_file.open(encoding="utf-8") as source:
            config = yaml_load(source)
    except (OSError, yaml.YAMLError, ConfigurationError) as error:
        raise ValueError(f"{config_file}: cannot read the organisation's details ({error})") from error
    return config if isinstance(config, dict) else {}


def load_extra(config_file: Path) -> dict[str, Any]:
    """The `extra:` block of an MkDocs configuration ({} when it has none)."""
    extra = load_config_file(config_file).get("extra")
    return extra if isinstance(extra, dict) else {}
