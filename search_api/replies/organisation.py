"""The organisation's details and reply wording, read from `extra:` in mkdocs.yml.

The site shows `{{ contact.email }}` and friends from the same `extra:` block, so the
pages and the agent desk's replies can never disagree. Read once, at start-up.

The reply wording lives under `extra.replies` and may use the same placeholders as the
articles (`{{ org.name }}`, `{{ contact.hours }}`, ...) plus `{{ name }}`, the creator's
first name, in the greeting. A placeholder that names nothing stops start-up with a
message naming the key, as a strict site build would.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from search_api.replies.compose import Wording
from search_api.site import hours

_PLACEHOLDER = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")
NAME = "name"
# Filled per reply, not from extra: the creator's first name, the next opening in words.
PER_REPLY = {NAME: "{name}", "next_open": "{next_open}"}

DEFAULT_REPLIES: dict[str, str] = {
    "greeting": "Hi {{ name }},",
    "greeting_no_name": "Hello,",
    "link_intro": "Read more:",
    "sign_off": "Kind regards,\nThe {{ org.name }} team",
    "no_page": "There is no page on our help centre that answers this yet.",
    "contact": "Please e-mail {{ contact.email }} or WhatsApp {{ contact.whatsapp }} and a person will answer.",
    "hours": "We are open {{ contact.hours }}.",
    # The out-of-hours reply a Chatwoot bot sends (api/chatwoot.py); {{ next_open }} is
    # the next opening in words, "on Monday at 08:00".
    "out_of_hours": "This is an automatic reply: our team is not in right now. "
                    "A person will answer you {{ next_open }}.",
    "out_of_hours_links": "These pages may already help:",
}


class _ConfigLoader(yaml.SafeLoader):
    """A safe loader that reads mkdocs.yml's `!ENV [NAME, default]` as its default.

    The replies never use those values (they are site settings like SITE_URL); the
    tag only has to load without error.
    """


def _env_default(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.SequenceNode):
        values = loader.construct_sequence(node)
        return values[-1] if values else None
    return None


_ConfigLoader.add_constructor("!ENV", _env_default)
# MkDocs configs may hold other `!!python/name:` tags (pymdownx); those load as None here.
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def load_extra(mkdocs_config: Path) -> dict[str, Any]:
    """The `extra:` block of an MkDocs configuration ({} when it has none)."""
    try:
        config = yaml.load(mkdocs_config.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    except (OSError, yaml.YAMLError) as error:
        raise ValueError(f"{mkdocs_config}: cannot read the organisation's details ({error})") from error
    extra = config.get("extra") if isinstance(config, dict) else None
    # {{ contact.hours }} is written from extra.opening_hours, as the site's build does.
    return hours.with_hours_sentence(extra if isinstance(extra, dict) else {}, hours.load(mkdocs_config))


def lookup(values: Mapping[str, Any], dotted: str) -> Any:
    """values["contact"]["email"] for "contact.email"; KeyError when any step is missing."""
    current: Any = values
    for key in dotted.split("."):
        if not isinstance(current, Mapping) or key not in current:
            raise KeyError(dotted)
        current = current[key]
    return current


def render(template: str, values: Mapping[str, Any], where: str) -> str:
    """`template` with each `{{ a.b }}` replaced from `values`; `{{ name }}` becomes "{name}"
    (and `{{ next_open }}` "{next_open}"), filled for each reply.

    Raises ValueError naming `where` for a placeholder `values` does not define.
    """

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if key in PER_REPLY:
            return PER_REPLY[key]  # filled per reply, in replies/compose.py
        try:
            return str(lookup(values, key))
        except KeyError:
            raise ValueError(f"{where} uses {{{{ {key} }}}}, but extra: in mkdocs.yml has no {key}") from None

    return _PLACEHOLDER.sub(fill, template)


def reply_wording(extra: Mapping[str, Any], source: str = "mkdocs.yml") -> Wording:
    """The desk's fixed reply wording: `extra.replies` over the defaults, placeholders filled."""
    configured = extra.get("replies") or {}
    if not isinstance(configured, Mapping):
        raise ValueError(f"{source}: extra.replies must be a mapping of wording, e.g. greeting: 'Hi {{{{ name }}}},'")
    unknown = sorted(set(configured) - set(DEFAULT_REPLIES))
    if unknown:
        raise ValueError(f"{source}: extra.replies has unknown key(s) {', '.join(unknown)}; "
                         f"known: {', '.join(DEFAULT_REPLIES)}")
    texts = {key: str(configured.get(key, default)) for key, default in DEFAULT_REPLIES.items()}
    return Wording(**{key: render(text, extra, f"{source}: extra.replies.{key}") for key, text in texts.items()})


def load_wording(mkdocs_config: Path) -> Wording:
    """Read mkdocs.yml once and return the reply wording; ValueError says what to fix."""
    return reply_wording(load_extra(mkdocs_config), source=str(mkdocs_config))
