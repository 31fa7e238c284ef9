"""The organisation's details and reply wording, read from `extra:` in mkdocs.yml.

The site shows `{{ contact.email }}` and friends from the same `extra:` block, so the
pages and the agent desk's replies can never disagree. Read once, at start-up.

The reply wording lives under `extra.replies` and may use the same placeholders as the
articles (`{{ org.name }}`, `{{ contact.hours }}`, ...) plus `{{ name }}`, the creator's
first name, in the greeting. A placeholder that names nothing stops start-up with a
message naming the key, as a strict site build would.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from search_api.replies.compose import Wording
from search_api.site import hours
from search_api.site.mkdocs_config import load_extra as load_config_extra
NAME = "name"
# Filled per reply, not from extra: the creator's first name, the next opening in words.
PER_REPLY = {NAME: "{name}", "next_open": "{next_open}"}

DEFAULT_REPLIES: dict[str, str] = {
    "greeting": "Hi {{ name }},",
    "greeting_no_name": "Hello,",
    "link_intro": "Read more:",
    "sign_off": "Kind regards,\nThe {{ org.name }} team",
    "no_page": "There is no page on our help centre that answers this yet.",
    "english_only": "Our help centre answers in English only.",
    "contact": "Please e-mail {{ contact.email }} or WhatsApp {{ contact.whatsapp }} and a person will answer.",
    "hours": "We are open {{ contact.hours }}.",
    # The out-of-hours reply a Chatwoot bot sends (api/chatwoot.py); {{ next_open }} is
    # the next opening in words, "on Monday at 08:00".
    "out_of_hours": "This is an automatic reply: our team is not in right now. "
                    "A person will answer you {{ next_open }}.",
    "out_of_hours_links": "These pages may already help:",
}


class _Named(dict):
    """A mapping from `extra:` that knows its dotted path, so an error can name the key."""

    def __init__(self, values: Mapping[str, Any], path: str) -> None:
        super().__init__({key: _named(value, f"{path}.{key}" if path else str(key)) for key, value in values.items()})
        self.path = path


def _named(value: Any, path: str) -> Any:
    return _Named(value, path) if isinstance(value, Mapping) else value


class _MissingKey(jinja2.StrictUndefined):
    """StrictUndefined that reports the whole dotted key, e.g. contact.fax."""

    @property
    def _undefined_message(self) -> str:
        owner = self._undefined_obj
        prefix = f"{owner.path}." if isinstance(owner, _Named) and owner.path else ""
        return f"{prefix}{self._undefined_name}"


def load_extra(mkdocs_config: Path) -> dict[str, Any]:
    """The `extra:` block of an MkDocs configuration, with {{ contact.hours }} written from
    extra.opening_hours, as the site's build writes it."""
    return hours.with_hours_sentence(load_config_extra(mkdocs_config), hours.load(mkdocs_config))


# The same engine MkDocs' macros plugin renders the pages with, so `{{ org.name | upper }}`
# means the same in a reply as on the site. Replies are plain text: nothing is escaped.
_JINJA = jinja2.Environment(undefined=_MissingKey, autoescape=False, keep_trailing_newline=True)


def render(template: str, values: Mapping[str, Any], where: str) -> str:
    """`template` rendered with `values`; `{{ name }}` becomes "{name}" (and `{{ next_open }}`
    "{next_open}"), filled for each reply.

    Raises ValueError naming `where` for a key `values` does not define, or bad syntax.
    """
    try:
        return _JINJA.from_string(template).render(**_Named(values, ""), **PER_REPLY)
    except jinja2.UndefinedError as missing:
        key = str(missing)
        raise ValueError(f"{where} uses {{{{ {key} }}}}, but extra: in mkdocs.yml has no {key}") from None
    except jinja2.TemplateError as bad:
        raise ValueError(f"{where} is not valid wording ({bad}); placeholders look like {{{{ contact.email }}}}") from None


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
