"""Side effects of oversight: checking the "no woman dropped" invariant and raising or
resolving breaches, for one woman after an event, or for every woman in the daily sweep."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from activities.business_time import business_time
from activities.wake import waking_transaction
from forms import activity_contracts as acts
from forms.activity_contracts import implements
from forms.ledger import (
    CheckWomanRequest,
    SweepRequest,
    SweepResult,
    WomanCheck,
)
from rules.uktime import uk_date
from services.duties import end_of_day
from services.duty_repeat import repeat_silent
from services.invariant import check_and_settle
from services.ledger import ledger_women

# Women checked in one transaction by the daily sweep: their facts are read together.
SWEEP_CHUNK = 200


class OversightActivities:
    """Built with a session maker (and, for tests, a clock)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self._sessions = sessions
        self._now = now

    @implements(acts.check_woman)
    async def check_woman(self, inp: CheckWomanRequest | uuid.UUID) -> WomanCheck:
        """Check her invariant at the workflow's time; raise or resolve her breaches (a repeat
        changes nothing)."""
        if isinstance(inp, uuid.UUID):
            # Scheduled before the workflow's time was passed in: a bare id.
            inp = CheckWomanRequest(woman_id=inp)
        at = inp.at or self._scheduled_or_now()
        return (await self._check([inp.woman_id], uk_date(at), at))[0]

    @implements(acts.sweep_area_invariants)
    async def sweep_area_invariants(self, inp: SweepRequest) -> SweepResult:
        """Tell again about every duty whose chain has ended (one transaction), then check every
        woman in every area's ledger against the duty register, a chunk of women to a
        transaction: a breach is a duty the machinery failed to chase, never a repeat that is
        merely due. Returns the counts."""
        async with self._sessions() as session:
            ids = [woman.id for woman in await ledger_women(session)]
        at = sweep_moment(inp.today, inp.at or self._scheduled_or_now())
        async with waking_transaction(self._sessions) as session:
            result = SweepResult(repeated=await repeat_silent(session, at))
        for first in range(0, len(ids), SWEEP_CHUNK):
            for check in await self._check(ids[first : first + SWEEP_CHUNK], inp.today, at):
                result.women += 1
                result.raised += len(check.raised)
                result.resolved += len(check.resolved)
                result.open += len(check.open)
            activity.heartbeat(result.women)
        return result

    def _scheduled_or_now(self) -> datetime:
        """No time passed in: the clock given (tests), else when the workflow scheduled it."""
        return self._now() if self._now is not None else business_time()

    async def _check(
        self, woman_ids: list[uuid.UUID], today: date, at: datetime
    ) -> list[WomanCheck]:
        try:
            return await self._settle(woman_ids, today, at)
        except IntegrityError:
            # A concurrent check raised the same breach first: look again, it is open now.
            return await self._settle(woman_ids, today, at)

    async def _settle(
        self, woman_ids: list[uuid.UUID], today: date, at: datetime
    ) -> list[WomanCheck]:
        async with waking_transaction(self._sessions) as session:
            return await check_and_settle(session, woman_ids, today, at)


def sweep_moment(today: date, at: datetime) -> datetime:
    """The moment the sweep checks: its own time, or (asked about another UK day) the start of
    that day."""
    return at if uk_date(at) == today else end_of_day(today - timedelta(days=1))
