"""Alembic environment: runs migrations synchronously against the configured database."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

import waymark.db.models  # noqa: F401  (registers every table)
from waymark.db.base import Base as _Base
from waymark.settings import get_settings, sync_url

config = context.config
target_metadata = _Base.metadata


def _url() -> str:
    explicit = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
    return sync_url(explicit) if explicit else get_settings().sync_sqlalchemy_url


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_engine(_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
