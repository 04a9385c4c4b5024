"""Test databases: migrated once, seeded with the demo people once, copied for each test.

Migrating (Alembic) and seeding (an Argon2 hash, a dozen people) cost seconds; a copy costs
milliseconds. A test that asks for `demo` gets a copy of the seeded template, any other test a
copy of the bare one."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy import Engine, create_engine, func, select, text, update

from waymark.db.base import Base
from waymark.db.models import User
from waymark.demo import DEMO_PASSWORD, seed_demo_data
from waymark.settings import async_url, sync_url

# The demo people's stored hashes are made with Argon2's lowest costs, so each sign-in is
# milliseconds: verification still runs Argon2 with the parameters the hash carries.
LIGHT_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def seed(url: str) -> None:
    """Seed the demo people into a migrated database, with light password hashes."""
    assert asyncio.run(seed_demo_data(async_url(url))), "seeding a new database added nobody"
    engine = create_engine(sync_url(url))
    with engine.begin() as conn:
        conn.execute(update(User).values(password_hash=LIGHT_HASHER.hash(DEMO_PASSWORD)))
    engine.dispose()


def seeded_sqlite_copy(bare: Path, folder: Path) -> Path:
    """A seeded copy of the bare template, made once."""
    path = folder / "seeded.db"
    shutil.copyfile(bare, path)
    seed(f"sqlite:///{path}")
    return path


def copy_sqlite(template: Path, folder: Path) -> str:
    path = folder / "waymark.db"
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


def schema_url(base_url: str, schema: str) -> str:
    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}options=-csearch_path%3D{schema}"


def snapshot_seed(url: str, schema: str, snapshot: str) -> list[str]:
    """Seed the schema, copy the tables that hold rows into `snapshot`, and empty them again;
    the names of those tables, in the order they can be refilled."""
    seed(url)
    engine = create_engine(sync_url(url))
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {snapshot}"))
        filled = [
            table.name
            for table in Base.metadata.sorted_tables
            if conn.scalar(select(func.count()).select_from(table))
        ]
        for name in filled:
            conn.execute(text(f"CREATE TABLE {snapshot}.{name} AS TABLE {schema}.{name}"))
    engine.dispose()
    return filled


def reset_postgres(engine: Engine, *, snapshot: str | None, filled: list[str]) -> None:
    """Empty every table; refill the seeded ones from the snapshot when asked."""
    with engine.begin() as conn:
        tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        if snapshot is not None:
            for name in filled:
                conn.execute(text(f"INSERT INTO {name} SELECT * FROM {snapshot}.{name}"))
