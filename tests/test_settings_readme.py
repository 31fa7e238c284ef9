"""README's settings table against the code, as Datasette tests its docs: every setting
in Settings is documented with its real default, nothing else is, and each one is read
from the environment variable the table names."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest

from search_api.settings import ROOT, Settings

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
# | `NAME` | default | what it does |
ROWS = dict(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \| (.*?) \|", README, flags=re.M))
# Defaults the table says in words, because the value depends on where it runs.
DEFAULTS_IN_WORDS = {"site_url": "the address it serves on"}
# A valid value other than the default, for settings whose validator wants a shape.
EXAMPLES = {
    "site_url": "https://help.example.org/", "feedback_db": "sqlite:////tmp/elsewhere.sqlite3",
    "trusted_proxies": "10.0.0.0/8", "cors_origins": "https://crm.example.org",
    "chatwoot_url": "https://chat.example.org",
}


def test_every_setting_is_in_the_readme() -> None:
    missing = [name.upper() for name in Settings.model_fields if name.upper() not in ROWS]
    assert not missing, f"README's settings table lacks {missing}"


def test_the_readme_documents_no_setting_that_does_not_exist() -> None:
    assert ROWS.keys() <= {name.upper() for name in Settings.model_fields}, sorted(ROWS)


@pytest.mark.parametrize("name", list(Settings.model_fields))
def test_the_readme_gives_each_settings_real_default(name: str) -> None:
    default = Settings.model_fields[name].default
    if name in DEFAULTS_IN_WORDS:
        expected = DEFAULTS_IN_WORDS[name]
    elif default in ("", ()):
        expected = "empty"
    else:
        expected = f"`{str(default).replace(f'{ROOT}/', '')}`"  # paths as in the checkout
    assert ROWS[name.upper()] == expected


def example_value(name: str) -> str:
    """A valid value for `name` that is not its default, as the environment would hold it."""
    if name in EXAMPLES:
        return EXAMPLES[name]
    field = Settings.model_fields[name]
    kind = field.annotation
    if typing.get_origin(kind) is typing.Literal:
        return next(choice for choice in typing.get_args(kind) if choice != field.default)
    if kind is int:
        return str(field.default + 1)
    if kind is Path:
        return f"/tmp/elsewhere/{name}"
    if kind is str:
        return f"example-{name}"
    raise AssertionError(f"{name}: add a valid example value to EXAMPLES")


@pytest.mark.parametrize("name", list(Settings.model_fields))
def test_each_setting_is_read_from_its_environment_variable(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    value = example_value(name)
    monkeypatch.setenv(name.upper(), value)
    read = Settings()
    expected = Settings.model_validate({name: value})  # the same text through the same validators
    assert getattr(read, name) == getattr(expected, name) != Settings.model_fields[name].default
