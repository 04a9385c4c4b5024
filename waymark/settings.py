"""Waymark's settings: one class, read from WAYMARK_* environment variables via get_settings()."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Everything deployment-specific; defaults give the embedded single-machine setup."""

    model_config = SettingsConfigDict(env_prefix="WAYMARK_", env_file=None, extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    state_dir: Path = PROJECT_ROOT / "var"
    areas_dir: Path = PROJECT_ROOT / "areas"

    # Application database: SQLite embedded by default, PostgreSQL in production.
    database_url: str = ""
    # PostgreSQL: connections each process keeps (and as many again at a peak); size it to
    # the web workers' concurrent requests, or the Temporal worker's concurrent activities.
    database_pool_size: int = Field(default=10, ge=1)

    # Temporal: the local dev server by default; a cluster or Temporal Cloud in production.
    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    temporal_task_queue: str = "waymark"
    temporal_tls: bool = False
    temporal_api_key: str | None = None
    temporal_ui_port: int = 8233

    # Payload encryption keys as {"key-id": "<base64 32 bytes>"}; the current key encrypts.
    codec_keys: dict[str, str] = Field(default_factory=dict)
    codec_current_key_id: str | None = None

    web_host: str = "127.0.0.1"
    web_port: int = 8000
    # Web server processes (`waymark web`); each has its own database pool.
    web_workers: int = Field(default=1, ge=1)
    public_url: str = "http://127.0.0.1:8000"
    max_body_bytes: int = 256 * 1024
    token_ttl_minutes: int = 12 * 60
    token_idle_minutes: int = 30
    # How long the API waits for the pathway to confirm a command before answering 202.
    command_timeout_seconds: float = 10.0
    # Signs the pages' CSRF tokens. Development and tests make one once under state_dir
    # (like the codec keys); production refuses to start the pages without it.
    secret_key: str | None = None
    # Optional sign-in through an OpenID Connect provider (e.g. Microsoft Entra ID): on only when
    # the issuer, client id and client secret are all set. It signs in existing, active accounts
    # only (the claim named below must equal a Waymark username); no account is made from a token.
    oidc_issuer: str | None = None  # discovery at <issuer>/.well-known/openid-configuration
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    oidc_display_name: str = "Sign in with your organisation's account"
    oidc_username_claim: str = "preferred_username"  # Entra ID puts the UPN here; or "email"
    oidc_scopes: str = "openid profile email"

    # The audit trail's anchors (waymark.audit_anchor): the HMAC key (base64 of 32 bytes; made
    # once under state_dir outside production), the append-only file they are written to
    # (default state_dir/audit-anchors.jsonl), and how often the worker anchors the chain's head.
    audit_anchor_key: str | None = None
    audit_anchor_file: Path | None = None
    audit_anchor_minutes: float = 5.0

    # Delivering notices. "file" writes each message as JSON under state_dir/outbox (nothing
    # leaves the machine); "notify" sends texts, emails and letters through GOV.UK Notify;
    # "smtp" sends email through the mail server below (texts and letters through Notify when
    # a key is set, else to the file outbox).
    delivery: Literal["file", "notify", "smtp"] = "file"
    notify_api_key: str | None = None
    notify_base_url: str = "https://api.notifications.service.gov.uk"
    # Template ids by "<notice kind>:<channel>", "<channel>" as the fallback (e.g. "sms").
    notify_templates: dict[str, str] = Field(default_factory=dict)
    # The bearer token configured in Notify for delivery receipts and received texts.
    notify_callback_token: str | None = None
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_from_address: str = "waymark@localhost"
    smtp_starttls: bool = False
    # The dispatcher's rhythm, and how often a failed message is tried before a person is asked.
    delivery_interval_seconds: float = 30.0
    delivery_poll_seconds: float = 300.0
    delivery_max_attempts: int = 5
    delivery_retry_seconds: float = 60.0

    # Watching it (deploy/README.md). /metrics answers only with this bearer token when it is
    # set; in production, without a token, it is not served at all.
    metrics_token: str | None = None
    # The worker's own HTTP port for /health and /metrics (Temporal SDK metrics included); off
    # when unset, so that several workers on one machine need no ports.
    worker_host: str = "127.0.0.1"
    worker_port: int | None = None
    # Traces go by OTLP over HTTP to this collector (e.g. http://otel-collector:4318) when set.
    otlp_endpoint: str | None = None
    log_format: Literal["json", "text"] = "json"
    # Whether this web process serves /codec: off on the public replicas when an internal one
    # serves the Temporal UI (deploy/kubernetes).
    serve_codec: bool = True

    @property
    def sqlalchemy_url(self) -> str:
        """The database URL for SQLAlchemy's asyncio engine."""
        return async_url(self.database_url or f"sqlite:///{self.state_dir / 'waymark.db'}")

    @property
    def sync_sqlalchemy_url(self) -> str:
        """The database URL for synchronous tools (Alembic)."""
        return sync_url(self.database_url or f"sqlite:///{self.state_dir / 'waymark.db'}")

    @property
    def codec_keys_file(self) -> Path:
        return self.state_dir / "codec-keys.json"

    @property
    def audit_anchor_path(self) -> Path:
        return self.audit_anchor_file or self.state_dir / "audit-anchors.jsonl"


def async_url(url: str) -> str:
    """Map a plain database URL to the asyncio driver SQLAlchemy needs."""
    if url.startswith("sqlite:"):
        return "sqlite+aiosqlite:" + url.removeprefix("sqlite:")
    if url.startswith(("postgresql:", "postgres:")):
        return "postgresql+psycopg:" + url.split(":", 1)[1]
    return url


def sync_url(url: str) -> str:
    """Map a database URL to a synchronous driver (psycopg serves both modes)."""
    if url.startswith("sqlite+aiosqlite:"):
        return "sqlite:" + url.removeprefix("sqlite+aiosqlite:")
    if url.startswith(("postgresql:", "postgres:")):
        return "postgresql+psycopg:" + url.split(":", 1)[1]
    return url


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read once on first use (never at import time).

    Secrets may also come from files, one per setting, named like its variable in lower case
    (`waymark_codec_keys`) in the folder WAYMARK_SECRETS_DIR names (compose and Kubernetes
    secrets); a variable in the environment wins over a file.
    """
    secrets_dir = os.environ.get("WAYMARK_SECRETS_DIR")
    return Settings(_secrets_dir=secrets_dir) if secrets_dir else Settings()
