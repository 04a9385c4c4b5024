"""Waymark's settings: one class, read from WAYMARK_* environment variables via get_settings()."""

from __future__ import annotations

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
    public_url: str = "http://127.0.0.1:8000"
    max_body_bytes: int = 256 * 1024
    token_ttl_minutes: int = 12 * 60
    token_idle_minutes: int = 30
    # How long the API waits for the pathway to confirm a command before answering 202.
    command_timeout_seconds: float = 10.0

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
    """The process's settings, read once on first use (never at import time)."""
    return Settings()
