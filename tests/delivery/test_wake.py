"""`waking_transaction`: the dispatcher is woken once an urgent notice is committed, and only
then: not for an ordinary notice, and not when the transaction rolls back."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import insert, select

from activities import wake
from tests.delivery.conftest import Sessions, add_woman
from waymark.db.base import utcnow
from waymark.db.models import Notice

pytestmark = pytest.mark.usefixtures("demo")
Wakes = list[list[str]]


class Refused(Exception):
    """The activity failed after writing: its transaction rolls back."""


@pytest.fixture
def wakes(monkeypatch: pytest.MonkeyPatch, sessions: Sessions) -> Wakes:
    """Each wake, with the keys of the notices committed when it came."""
    seen: Wakes = []

    async def woken() -> None:
        async with sessions() as session:
            seen.append(list(await session.scalars(select(Notice.key))))

    monkeypatch.setattr(wake, "wake_dispatcher", woken)
    return seen


def notice(woman_id: uuid.UUID, *, urgent: bool) -> Notice:
    return Notice(
        key=f"test:{uuid.uuid4()}",
        woman_id=woman_id,
        recipient_kind="staff",
        kind="removal_alert",
        send_at=utcnow(),
        urgent=urgent,
        summary="Her baby has been removed: please contact her today.",
    )


async def write(sessions: Sessions, add: Callable[[Any], Awaitable[None] | None]) -> None:
    async with wake.waking_transaction(sessions) as session:
        result = add(session)
        if result is not None:
            await result


async def test_an_urgent_notice_wakes_the_dispatcher_after_it_is_committed(
    sessions: Sessions, wakes: Wakes
) -> None:
    woman = await add_woman(sessions)
    row = notice(woman, urgent=True)
    await write(sessions, lambda session: session.add(row))
    assert wakes == [[row.key]]  # woken once, and the notice was already there to send


async def test_an_urgent_notice_flushed_early_still_wakes_it(
    sessions: Sessions, wakes: Wakes
) -> None:
    woman = await add_woman(sessions)
    row = notice(woman, urgent=True)

    async def add(session: Any) -> None:
        session.add(row)
        await session.flush()
        session.add(notice(woman, urgent=False))

    await write(sessions, add)
    assert len(wakes) == 1
    assert row.key in wakes[0]


async def test_an_ordinary_notice_waits_for_the_round(sessions: Sessions, wakes: Wakes) -> None:
    woman = await add_woman(sessions)
    await write(sessions, lambda session: session.add(notice(woman, urgent=False)))
    assert wakes == []


async def test_a_transaction_that_rolls_back_wakes_nobody(sessions: Sessions, wakes: Wakes) -> None:
    woman = await add_woman(sessions)

    async def add_then_fail(session: Any) -> None:
        session.add(notice(woman, urgent=True))
        await session.flush()
        raise Refused

    with pytest.raises(Refused):
        await write(sessions, add_then_fail)
    assert wakes == []
    async with sessions() as session:
        assert list(await session.scalars(select(Notice.id))) == []


def as_row(row: Notice) -> dict[str, Any]:
    """A notice as one row of a many-row insert (how the sweep writes its repeats)."""
    columns = ("key", "woman_id", "recipient_kind", "kind", "send_at", "urgent", "summary")
    return {column: getattr(row, column) for column in columns}


@pytest.mark.parametrize("urgent", [True, False])
async def test_notices_inserted_many_at_once_wake_it_only_when_one_is_urgent(
    sessions: Sessions, wakes: Wakes, urgent: bool
) -> None:
    woman = await add_woman(sessions)
    rows = [as_row(notice(woman, urgent=False)), as_row(notice(woman, urgent=urgent))]

    async def add(session: Any) -> None:
        await session.execute(insert(Notice), rows)

    await write(sessions, add)
    assert [sorted(keys) for keys in wakes] == (
        [sorted(row["key"] for row in rows)] if urgent else []
    )
