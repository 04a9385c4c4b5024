"""The migrations build exactly the schema the models describe (tables, columns, types,
constraint names), on SQLite and on PostgreSQL, and there is one head to upgrade to."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from waymark.db.base import Base
from waymark.db.migrate import alembic_config
from waymark.settings import sync_url


def test_one_head() -> None:
    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1


def test_the_migrated_database_matches_the_models(database_url: str) -> None:
    engine = create_engine(sync_url(database_url))
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences: list[Any] = list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()
    assert differences == []
