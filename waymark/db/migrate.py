"""Apply the Alembic migrations: the one way any database (dev, test, production) is built."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from waymark.settings import PROJECT_ROOT


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    if url:
        config.attributes["url"] = url
    return config


def upgrade(url: str | None = None) -> None:
    """Bring the database at url (default: the configured one) to the latest revision."""
    command.upgrade(alembic_config(url), "head")
