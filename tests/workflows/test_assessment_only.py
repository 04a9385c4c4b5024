"""A strategy discussion (England) / IRD (Scotland) that decides on an assessment only ends the
child-protection route for now: her stage goes back to the pre-birth assessment (her record and
the read model say so), no conference starts, and a second discussion cannot be screened for."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from forms.pathway import ScreeningCommand, ScreeningDecision, Stage
from forms.prebirth import RecordStrategyDiscussion, StrategyOutcome
from rules.uktime import uk_date
from tests.helpers.pathway import actor_for, pathway_input, start_pathway
from waymark.db.models import Conference, TimelineEvent, Woman
from workflows.pathway import WomanPathway

pytestmark = pytest.mark.usefixtures("demo", "worker")


async def test_an_assessment_only_decision_moves_her_back_to_the_pre_birth_assessment(
    temporal_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    inp = pathway_input(await actor_for(sessions, "mia.midwife"))
    handle = await start_pathway(temporal_env.client, task_queue, inp)
    sam = await actor_for(sessions, "sam.social")
    await handle.execute_update(
        WomanPathway.record_screening,
        ScreeningCommand(
            decision=ScreeningDecision.STRATEGY_DISCUSSION, reason="Concerns", actor=sam
        ),
    )
    today = uk_date(await temporal_env.get_current_time())

    stage = await handle.execute_update(
        WomanPathway.record_strategy_discussion,
        RecordStrategyDiscussion(held_on=today, outcome=StrategyOutcome.ASSESSMENT_ONLY, actor=sam),
    )

    assert stage is Stage.PRE_BIRTH_ASSESSMENT
    assert (await handle.query(WomanPathway.state)).stage is Stage.PRE_BIRTH_ASSESSMENT
    async with sessions() as session:
        woman = await session.get(Woman, inp.state.woman_id)
        assert woman is not None
        assert woman.stage == "pre_birth_assessment"
        moved = await session.scalar(
            select(TimelineEvent.summary).where(
                TimelineEvent.woman_id == inp.state.woman_id,
                TimelineEvent.kind == "stage_changed",
            )
        )
        assert moved == (
            "The strategy discussion decided on a pre-birth assessment, without a conference"
        )
        assert await session.scalar(select(func.count()).select_from(Conference)) == 0

    # A second discussion is not screened for: her pathway would wait at a stage it cannot leave.
    with pytest.raises(WorkflowUpdateFailedError) as caught:
        await handle.execute_update(
            WomanPathway.record_screening,
            ScreeningCommand(
                decision=ScreeningDecision.STRATEGY_DISCUSSION, reason="Again", actor=sam
            ),
        )
    assert isinstance(caught.value.cause, ApplicationError)
    assert caught.value.cause.message == "the strategy discussion is already recorded"
    assert (await handle.query(WomanPathway.state)).stage is Stage.PRE_BIRTH_ASSESSMENT
