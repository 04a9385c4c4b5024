"""Test databases: migrated once, seeded with the demo people once, copied for each test.

Migrating (Alembic) and seeding (an Argon2 hash, a dozen people) cost seconds; a copy costs
milliseconds. A test that asks for `demo` gets a copy of the seeded template, any other test a
copy of the bare one."""

from __future__ import annotations

import asyncio
import shutil
from dataclasses import dataclass
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


@dataclass(frozen=True)
class PostgresSchema:
    """A migrated schema of our own and, beside it, a snapshot of the demo people's rows."""

    url: str
    snapshot: str
    filled: list[str]  # the tables the snapshot holds rows for, in the order they can be refilled
    numbered: list[str]  # the schema's sequences (the audit trail's numbers)
    guarded: list[str]  # the append-only tables, whose triggers refuse DELETE


def describe(url: str, snapshot: str, filled: list[str]) -> PostgresSchema:
    in_schema = " WHERE {0}_schema = current_schema()"
    engine = create_engine(sync_url(url))
    with engine.connect() as conn:
        numbered = conn.scalars(
            text(
                "SELECT sequence_name FROM information_schema.sequences"
                + in_schema.format("sequence")
            )
        ).all()
        guarded = conn.scalars(
            text(
                "SELECT DISTINCT event_object_table FROM information_schema.triggers"
                + in_schema.format("trigger")
                + " AND event_manipulation = 'DELETE'"
            )
        ).all()
    engine.dispose()
    return PostgresSchema(url, snapshot, filled, list(numbered), list(guarded))


def reset_postgres(engine: Engine, schema: PostgresSchema, *, seeded: bool) -> None:
    """Empty every table and start its numbering again; refill the seeded ones from the
    snapshot when asked. DELETE where it may: a test's few rows go in milliseconds, where
    TRUNCATE makes a table's files anew (a fifth of a second for all of them); TRUNCATE only
    for the append-only tables, which refuse DELETE."""
    with engine.begin() as conn:
        if schema.guarded:
            conn.execute(text(f"TRUNCATE {', '.join(schema.guarded)} RESTART IDENTITY"))
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in schema.guarded:
                conn.execute(table.delete())
        for name in schema.numbered:
            conn.execute(text(f"ALTER SEQUENCE {name} RESTART"))
        if seeded:
            for name in schema.filled:
                conn.execute(text(f"INSERT INTO {name} SELECT * FROM {schema.snapshot}.{name}"))
