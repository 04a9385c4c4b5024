"""Many women seeded in bulk, with a realistic mix of duties in the register: for the ledger's
scale test and `bench.ledger`: executemany inserts a batch at a time, or in the tests on
PostgreSQL the same population made by the server itself (`seed_postgres`).

A share of the women (every `removed_every`-th) have a baby placed in care and are owed the duties
of the promise (named worker, advocate, contact); every woman has a conference duty. Each duty
is met (60%), open and not yet due (25%), overdue and chased by an escalation (10%) or
dropped: overdue with nobody chasing it (5%).
"""

from __future__ import annotations

import hashlib
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from waymark.db.models import Baby, Duty, Woman

BATCH = 5_000
TABLES: dict[str, Any] = {"women": Woman, "babies": Baby, "duties": Duty}
PROMISE = ("named_worker", "advocate", "contact")
Rows = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class Population:
    """Who to seed: `women` in `area`, owed by `team` (and its `worker`), as at `now`."""

    women: int
    area: str
    team: uuid.UUID
    worker: uuid.UUID | None
    now: datetime
    removed_every: int = 10
    # What each woman whose baby is in care is owed (every other woman: her conference papers).
    owed: tuple[str, ...] = ("conference_papers", *PROMISE)
    seed: int = 12


@dataclass
class Seeded:
    """What was seeded as at `now`: the women in the ledger (a baby in care) and the overdue
    duties."""

    now: datetime
    removed: set[uuid.UUID] = field(default_factory=set)
    overdue: set[uuid.UUID] = field(default_factory=set)

    def note(self, rows: Rows) -> None:
        self.removed |= {baby["woman_id"] for baby in rows["babies"]}
        self.overdue |= {duty["id"] for duty in rows["duties"] if is_overdue(duty, self.now)}


def seed(conn: Connection, population: Population) -> Seeded:
    """Insert the population through a synchronous connection (the benchmark)."""
    seeded = Seeded(population.now)
    for rows in batches(population):
        for name, model in TABLES.items():
            if rows[name]:
                conn.execute(insert(model), rows[name])
        seeded.note(rows)
    return seeded


async def seed_async(session: AsyncSession, population: Population) -> Seeded:
    """Insert the population in this session's transaction (the tests): on PostgreSQL made by
    the server itself (`seed_postgres`), else executemany inserts."""
    if (await session.connection()).dialect.name == "postgresql":
        return await seed_postgres(session, population)
    seeded = Seeded(population.now)
    for rows in batches(population):
        for name, model in TABLES.items():
            if rows[name]:
                await session.execute(insert(model), rows[name])
        seeded.note(rows)
    return seeded


def woman_id(salt: str, number: int) -> uuid.UUID:
    """The id of the `number`th woman seeded under `salt` (as `seed_postgres` makes it)."""
    return uuid.UUID(hashlib.md5(f"{salt}:{number}".encode()).hexdigest())


async def seed_postgres(session: AsyncSession, population: Population) -> Seeded:
    """The same population made by PostgreSQL in three INSERT ... SELECT statements over
    generate_series (seconds for 66,000 women, where rows sent from Python take a minute): the
    same columns, the same share of women with a baby in care and the same mix of duty states,
    drawn by the server's seeded random(). Whom it seeded is known without asking (each woman's
    id is the md5 of a salt and her number); which duties are overdue is read back."""
    salt = uuid.uuid4().hex
    params = {
        "salt": salt,
        "women": population.women,
        "every": population.removed_every,
        "area": population.area,
        "team": population.team,
        "worker": population.worker,
        "now": population.now,
        "owed": list(population.owed),
        "seed": population.seed / 1_000,
    }
    for statement in (SETSEED, WOMEN_SQL, BABIES_SQL, DUTIES_SQL):
        await session.execute(text(statement), params)
    seeded = Seeded(population.now)
    seeded.removed = {
        woman_id(salt, n) for n in range(0, population.women, population.removed_every)
    }
    overdue = await session.scalars(
        select(Duty.id).where(
            Duty.key.like(f"bulk:{salt}:%"), Duty.status == "open", Duty.due_at <= population.now
        )
    )
    seeded.overdue = set(overdue)
    return seeded


SETSEED = "SELECT setseed(:seed)"
WOMAN = "md5(:salt || ':' || n)::uuid"
WOMEN_SQL = f"""
INSERT INTO women (id, area_code, team_id, given_name, family_name, search_key, date_of_birth,
                   address, contact, edd, stage, mother_only, created_at, updated_at)
SELECT {WOMAN}, :area, :team, 'Test', 'Woman', 'woman test', DATE '1995-05-01',
       '{{}}', '{{}}', DATE '2026-06-01',
       CASE WHEN n % :every = 0 THEN 'baby_in_care' ELSE 'pre_birth' END, n % :every = 0,
       :now, :now
FROM generate_series(0, :women - 1) AS n
"""
BABIES_SQL = f"""
INSERT INTO babies (id, woman_id, number, born_at, location, placement, observe_until,
                    created_at, updated_at)
SELECT gen_random_uuid(), {WOMAN}, 1, CAST(:now AS timestamptz) - interval '40 days',
       'hospital', 'care', DATE '2026-06-01', :now, :now
FROM generate_series(0, :women - 1) AS n WHERE n % :every = 0
"""
# Met 60%, open and not yet due 25%, overdue and chased 10%, dropped 5% (`duty_state`).
DUTIES_SQL = f"""
WITH owed AS MATERIALIZED (
    SELECT {WOMAN} AS woman, kind, random() AS roll, random() AS draw,
           CAST(:now AS timestamptz) AS now
    FROM generate_series(0, :women - 1) AS n,
         unnest(CASE WHEN n % :every = 0 THEN CAST(:owed AS text[])
                     ELSE ARRAY['conference_papers'] END) AS kind
), timed AS (
    SELECT *,
           CASE WHEN roll < 0.60 THEN now - (1 + floor(draw * 199)) * interval '1 day'
                WHEN roll < 0.85 THEN now + (1 + floor(draw * 1999)) * interval '1 hour'
                ELSE now - (1 + floor(draw * 1999)) * interval '1 hour' END AS due
    FROM owed
)
INSERT INTO duties (id, key, woman_id, area_code, kind, label, owed_by_user_id,
                    owed_by_organisation_id, opened_at, due_at, status, escalation_level,
                    next_escalation_at, ended_at, created_at, updated_at)
SELECT gen_random_uuid(), 'bulk:' || :salt || ':' || woman || ':' || kind, woman, :area, kind,
       upper(left(kind, 1)) || replace(substr(kind, 2), '_', ' '),
       CASE WHEN kind = 'conference_papers' OR CAST(:worker AS uuid) IS NULL THEN NULL
            ELSE CAST(:worker AS uuid) END,
       CASE WHEN kind = 'conference_papers' OR CAST(:worker AS uuid) IS NULL
            THEN CAST(:team AS uuid) END,
       due - interval '7 days', due,
       CASE WHEN roll < 0.60 THEN 'met' ELSE 'open' END,
       CASE WHEN roll < 0.85 THEN 0 ELSE 1 END,
       CASE WHEN roll >= 0.85 AND roll < 0.95
            THEN now + (1 + floor(draw * 47)) * interval '1 hour' END,
       CASE WHEN roll < 0.60 THEN due - interval '3 hours' END,
       now, now
FROM timed
"""


def batches(population: Population) -> Iterator[Rows]:
    """The rows to insert, a batch of women (with their babies and duties) at a time; insert
    each table in `TABLES` order (women before the rows that refer to them)."""
    rnd = random.Random(population.seed)
    rows: Rows = {name: [] for name in TABLES}
    for i in range(population.women):
        _one_woman(population, rnd, removed=i % population.removed_every == 0, into=rows)
        if len(rows["women"]) == BATCH:
            yield rows
            rows = {name: [] for name in TABLES}
    if rows["women"]:
        yield rows


def is_overdue(duty: dict[str, Any], now: datetime) -> bool:
    """Open and past its due time, as the seeded rows say (what the ledger must list)."""
    return bool(duty["status"] == "open" and duty["due_at"] <= now)


def _one_woman(population: Population, rnd: random.Random, *, removed: bool, into: Rows) -> None:
    woman = uuid.uuid4()
    into["women"].append(_woman(woman, population, removed))
    kinds: tuple[str, ...] = ("conference_papers",)
    if removed:
        into["babies"].append(_baby(woman, population.now))
        kinds = population.owed
    into["duties"] += [_duty(woman, kind, population, rnd) for kind in kinds]


def duty_state(rnd: random.Random, now: datetime) -> dict[str, Any]:
    """Met 60%, open and not yet due 25%, overdue and chased 10%, dropped 5%."""
    roll = rnd.random()
    if roll < 0.60:
        due = now - timedelta(days=rnd.randrange(1, 200))
        return {"status": "met", "due_at": due, "ended_at": due - timedelta(hours=3)}
    if roll < 0.85:
        return {"status": "open", "due_at": now + timedelta(hours=rnd.randrange(1, 2000))}
    due = now - timedelta(hours=rnd.randrange(1, 2000))
    chased = now + timedelta(hours=rnd.randrange(1, 48)) if roll < 0.95 else None
    return {"status": "open", "due_at": due, "next_escalation_at": chased, "escalation_level": 1}


def _woman(ident: uuid.UUID, population: Population, removed: bool) -> dict[str, Any]:
    return {
        "id": ident,
        "area_code": population.area,
        "team_id": population.team,
        "given_name": "Test",
        "family_name": "Woman",
        "search_key": "woman test",
        "date_of_birth": date(1995, 5, 1),
        "address": {},
        "contact": {},
        "edd": date(2026, 6, 1),
        "stage": "baby_in_care" if removed else "pre_birth",
        "mother_only": removed,
        "created_at": population.now,
        "updated_at": population.now,
    }


def _baby(woman: uuid.UUID, now: datetime) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "woman_id": woman,
        "number": 1,
        "born_at": now - timedelta(days=40),
        "location": "hospital",
        "placement": "care",
        "observe_until": date(2026, 6, 1),
        "created_at": now,
        "updated_at": now,
    }


def _duty(
    woman: uuid.UUID, kind: str, population: Population, rnd: random.Random
) -> dict[str, Any]:
    state = duty_state(rnd, population.now)
    by_team = kind == "conference_papers" or population.worker is None
    return {
        "id": uuid.uuid4(),
        "key": f"bulk:{woman}:{kind}",
        "woman_id": woman,
        "area_code": population.area,
        "kind": kind,
        "label": kind.replace("_", " ").capitalize(),
        "owed_by_user_id": None if by_team else population.worker,
        "owed_by_organisation_id": population.team if by_team else None,
        "opened_at": state["due_at"] - timedelta(days=7),
        "escalation_level": 0,
        "next_escalation_at": None,
        "ended_at": None,
        "created_at": population.now,
        "updated_at": population.now,
    } | state
