"""A late referral on virtual time: her EDD is eight weeks away, so the pre-birth conference
(due by 28 weeks' gestation) was due a month before anyone knew of her. Its clock starts late:
her team and a manager are told once, together; the lead only if it is still not held two
working days on. Never every step at once, and the re-plan at the strategy discussion keeps
the chain as first planned."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from forms.clock import Escalation
from forms.pathway import ScreeningCommand, ScreeningDecision
from forms.prebirth import RecordStrategyDiscussion, StrategyOutcome
from rules.uktime import uk_date
from tests.helpers.pathway import actor_for, pathway_input, start_pathway
from tests.helpers.planning import deadline, rows
from waymark.db.models import Task
from workflows.pathway import WomanPathway

pytestmark = pytest.mark.usefixtures("clock_worker")

Sessions = async_sessionmaker[AsyncSession]


async def _clock_tasks(sessions: Sessions, key: str) -> set[str]:
    return {t.kind for t in await rows(sessions, Task) if t.key.startswith(f"{key}:")}


async def test_a_late_referral_tells_owner_and_manager_once_then_the_lead(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    now = await clock_env.get_current_time()
    edd = uk_date(now) + timedelta(weeks=8)
    midwife = await actor_for(sessions, "mia.midwife")
    handle = await start_pathway(
        clock_env.client,
        task_queue,
        pathway_input(midwife, {"pregnancy": {"edd": edd.isoformat()}}),
    )
    sam = await actor_for(sessions, "sam.social")
    started = await clock_env.get_current_time()
    await handle.execute_update(
        WomanPathway.record_screening,
        ScreeningCommand(
            decision=ScreeningDecision.STRATEGY_DISCUSSION, reason="Late booking", actor=sam
        ),
    )
    await clock_env.sleep(timedelta(hours=2))
    await handle.execute_update(
        WomanPathway.record_strategy_discussion,
        RecordStrategyDiscussion(
            held_on=uk_date(await clock_env.get_current_time()),
            outcome=StrategyOutcome.CONFERENCE,
            actor=sam,
        ),
    )

    row = await deadline(sessions, "conference_due")
    assert row.due < uk_date(started)
    assert (row.escalation, row.status) == ("late_start", "missed")
    assert await _clock_tasks(sessions, row.key) == {"deadline_late_start"}
    state = await handle.query(WomanPathway.state)
    steps = state.clocks[row.key].steps
    assert [s.action for s in steps] == [Escalation.LATE_START, Escalation.ESCALATE_LEAD]
    # Planned when the clock began (at screening); re-planning two hours later kept it.
    assert started <= steps[0].at < started + timedelta(hours=1)

    await clock_env.sleep(steps[1].at - await clock_env.get_current_time() + timedelta(hours=1))
    assert await _clock_tasks(sessions, row.key) == {
        "deadline_late_start",
        "deadline_escalate_lead",
    }
