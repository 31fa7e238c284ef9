"""Settings: the only code that reads environment variables."""

from __future__ import annotations

from ipaddress import ip_network
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Everything an operator can set, read once at start-up.

    Each field is read from the environment variable of the same name in upper case
    (HOST, PORT, SITE_URL, ...). A bad value fails at start-up, naming the variable.
    """

    model_config = SettingsConfigDict(frozen=True, extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    # The public address of the site; deep links are SITE_URL + page + #anchor.
    # Empty means "the address this process serves on".
    site_url: str = ""
    docs_dir: Path = ROOT / "docs"
    site_dir: Path = ROOT / "site"
    # Holds one directory per index build and a `current` symlink to the live one.
    index_dir: Path = ROOT / "var" / "index"
    mkdocs_config: Path = ROOT / "mkdocs.yml"
    # Every page and question link ever published (`make ledger`); builds keep them landing.
    ledger_file: Path = ROOT / "published-links.txt"
    # Longest accepted query: a pasted e-mail fits, a pasted book does not.
    max_query_chars: int = Field(default=8000, ge=100)
    # Readers' feedback and the record of searches: a database URL (sqlite:///path, the
    # default; postgresql://user:password@host/db for replicas) or a plain SQLite file
    # path. Created or upgraded at start-up. It holds no IP address, cookie or contact
    # detail. repr=False: a PostgreSQL URL can hold a password.
    feedback_db: str = Field(default=f"sqlite:///{ROOT / 'var' / 'feedback.sqlite3'}", repr=False)
    # Search records and feedback older than this are deleted.
    retention_days: int = Field(default=180, ge=1)
    # Feedback posts a minute from one client address; 0 turns the limit off (load tests).
    feedback_per_minute: int = Field(default=20, ge=0)
    # Opens the admin endpoints (/api/admin/...); empty means they answer 404.
    admin_token: str = Field(default="", repr=False)
    # Requests a minute one client may send to /api/; 0 turns the limit off, for the
    # project's own load tests only. A support agent pasting all morning sends far fewer.
    rate_limit_per_minute: int = Field(default=300, ge=0)
    # Reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For is
    # believed; the rate limit then keys on the address they forwarded for.
    trusted_proxies: Annotated[tuple[str, ...], NoDecode] = ()
    # Browser origins (comma-separated, e.g. https://crm.example.org) allowed to call the API.
    cors_origins: Annotated[tuple[str, ...], NoDecode] = ()
    # Server processes for `python -m scripts.serve`; 2 or more is the production start.
    workers: int = Field(default=1, ge=1, le=64)
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    # Chatwoot (the helpdesk inbox agents work in), e.g. https://chat.example.org: the
    # private notes are posted there, and the desk's dashboard-app mode accepts messages
    # only from it and may be framed only by it. With any of the three empty,
    # /api/integrations/chatwoot answers 404.
    chatwoot_url: str = ""
    # The `api_access_token` of the agent bot (or an agent) that posts the notes.
    chatwoot_api_token: str = Field(default="", repr=False)
    # The `token=` in the webhook URL pasted into Chatwoot; compared in constant time, never logged.
    chatwoot_webhook_secret: str = Field(default="", repr=False)

    @field_validator("trusted_proxies", "cors_origins", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        normal = []
        for item in value:
            try:
                network = ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"TRUSTED_PROXIES: {item!r} is not an IP address or network") from None
            # uvicorn's ProxyHeadersMiddleware takes addresses and strict networks: 10.0.0.1/8 -> 10.0.0.0/8.
            normal.append(str(network.network_address) if network.num_addresses == 1 else str(network))
        return tuple(normal)

    @field_validator("cors_origins")
    @classmethod
    def _origins(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for origin in value:
            parts = urlsplit(origin)
            if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
                raise ValueError(f"CORS_ORIGINS: {origin!r} is not an origin like https://crm.example.org")
        # Browsers send the origin without a trailing slash.
        return tuple(origin.rstrip("/") for origin in value)

    @field_validator("chatwoot_url")
    @classmethod
    def _chatwoot_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        parts = urlsplit(value)
        if value and (parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment):
            raise ValueError(f"CHATWOOT_URL: {value!r} is not an address like https://chat.example.org")
        return value

    @property
    def chatwoot_origin(self) -> str:
        """The origin Chatwoot's pages are served from ("" when CHATWOOT_URL is unset)."""
        parts = urlsplit(self.chatwoot_url)
        return f"{parts.scheme}://{parts.netloc}" if self.chatwoot_url else ""

    @property
    def chatwoot_enabled(self) -> bool:
        return bool(self.chatwoot_url and self.chatwoot_api_token and self.chatwoot_webhook_secret)

    @field_validator("feedback_db", mode="before")
    @classmethod
    def _database_url(cls, value: object) -> object:
        # A plain path (as FEEDBACK_DB was before it took URLs) is a SQLite file.
        if isinstance(value, Path) or (isinstance(value, str) and "://" not in value):
            value = str(value).strip()
            if not value:
                raise ValueError("FEEDBACK_DB is empty: give a SQLite file path or a database URL")
            return f"sqlite:///{value}"
        if isinstance(value, str) and not value.startswith(("sqlite://", "postgresql://", "postgres://",
                                                              "postgresql+psycopg://")):
            raise ValueError("FEEDBACK_DB must be sqlite:///path/to/file or postgresql://user@host/database")
        return value

    @field_validator("site_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        # urljoin drops the last path segment of a base without a trailing slash.
        value = value.strip()
        if value and not value.endswith("/"):
            value += "/"
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("SITE_URL must start with http:// or https://")
        return value

    @property
    def public_url(self) -> str:
        if self.site_url:
            return self.site_url
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        return f"http://{host}:{self.port}/"
