"""What every part of the pathway workflow shares: her state, her clocks, recording events."""

from __future__ import annotations

import asyncio
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from forms import activity_contracts as acts
    from forms.advocacy import RecordAdvocacyOffer, Trigger
    from forms.area import AreaRules
    from forms.clock import ClockRequest
    from forms.common import Actor
    from forms.pathway import PathwayInput, PathwayState, Stage
    from forms.prebirth import RecordPathwayEvent
    from rules.uktime import uk_date
    from workflows import search
    from workflows.clockwork import Clockwork
    from workflows.options import act


# Her pathway offers an advocate again when a conference is scheduled and at birth.
REOFFER_PATCH = "pathway-reoffer-advocate"


class PathwayBase:
    """Holds the pathway's state; the mixins add the commands of each phase."""

    _clock_scope = "pathway"

    def __init__(self, inp: PathwayInput) -> None:
        self._state: PathwayState = inp.state
        self._lock = asyncio.Lock()
        self._dirty = False
        # Her referral taken in one workflow task (workflows.pathway: INTAKE_IN_ONE_TASK_PATCH).
        self._in_one_task = False
        self._area: AreaRules | None = None
        self._area_code = inp.state.area
        self._clockwork = Clockwork(inp.state.woman_id, inp.state.clocks)
        self._asked: set[str] = set()  # her contact requests' clocks, told of in this run

    @property
    def area(self) -> AreaRules:
        if self._area is None:
            raise ApplicationError(
                "her pathway is starting; try again in a moment", type="NotReady"
            )
        return self._area

    def today(self) -> Any:
        """Today's date in the UK, by the workflow's clock."""
        return uk_date(workflow.now())

    async def _event(
        self, key: str, kind: str, summary: str, actor: Actor | None = None, **fields: Any
    ) -> None:
        await act(
            acts.record_pathway_event,
            RecordPathwayEvent(
                woman_id=self._state.woman_id,
                event_key=f"{self._state.woman_id}:{key}",
                kind=kind,
                summary=summary,
                at=workflow.now(),
                actor=actor,
                **fields,
            ),
        )

    async def _move_to(self, stage: Stage, summary: str, actor: Actor | None = None) -> None:
        await self._event(
            f"stage:{stage.value}:{workflow.now().isoformat()}",
            "stage_changed",
            summary,
            actor,
            stage=stage.value,
        )
        self._state.stage = stage
        workflow.upsert_search_attributes([search.STAGE.value_set(stage.value)])

    async def _plan_clocks(self, requests: list[ClockRequest]) -> None:
        await self._clockwork.plan(self._clock_scope, self._area_code, requests)
        self._dirty = True

    async def _offer_advocate(self, trigger: Trigger, key: str, actor: Actor | None) -> None:
        """Offer her an independent advocate again at this point in her care, unless she has
        one or an earlier offer still waits for her answer (the activity decides)."""
        if not workflow.patched(REOFFER_PATCH):
            return  # a run that began before re-offers replays without them
        await act(
            acts.record_advocacy_offer,
            RecordAdvocacyOffer(
                woman_id=self._state.woman_id,
                trigger=trigger,
                key=f"{trigger.value}:{key}",
                at=workflow.now(),
                actor=actor,
            ),
        )

    def _refuse(self, message: str) -> None:
        raise ApplicationError(message, type="Refused")
