"""Moving her record to another area: from the Update on, her pathway runs under the new area's
rules and nation. Her running clocks are re-derived there (England and Scotland name meetings
differently, count their timescales differently and keep different holidays); clocks already
settled stay as they were. Her conference and her support episode follow her (a signal each,
guarded by `TRACKS_FOLLOW_PATCH`: a move made before it replays without them)."""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import FailureError

with workflow.unsafe.imports_passed_through():
    from forms import activity_contracts as acts
    from forms.clock import Clock, ClockRequest, ClockStatus
    from forms.labels import label
    from forms.pathway import Stage
    from forms.transfer import AreaMoved, MoveArea
    from workflows import search
    from workflows.options import act
    from workflows.prebirth import PrebirthPlanning
    from workflows.support import episode_id_for

RUNNING = (ClockStatus.PENDING, ClockStatus.PAUSED)
TRACKS_FOLLOW_PATCH = "pathway-transfer-tracks-follow"


class AreaTransfer(PrebirthPlanning):
    @workflow.update
    async def move_area(self, command: MoveArea) -> None:
        """Her record is now held by another area: its rules, its nation, her clocks again."""
        async with self._lock:
            if str(command.transfer_id) in self._state.transfers:
                return
            area = await act(
                acts.load_area_rules,
                command.to_area,
            )
            was = self.area.name
            self._area, self._area_code = area, area.code
            self._state.area, self._state.nation = area.code, area.nation
            workflow.upsert_search_attributes([search.AREA.value_set(area.code)])
            await self._rederive_clocks()
            if workflow.patched(TRACKS_FOLLOW_PATCH):
                await self._tracks_follow(AreaMoved(transfer_id=command.transfer_id, area=area))
            await self._event(
                f"transfer:{command.transfer_id}",
                "area_changed",
                f"Her record moved from {was} to {area.name}: {command.reason}",
                command.actor,
            )
            self._state.transfers.append(str(command.transfer_id))
            self._dirty = True

    @move_area.validator
    def _check_move_area(self, command: MoveArea) -> None:
        if self._state.stage is Stage.CLOSED:
            self._refuse("her pathway is closed: a closed record is not transferred")

    async def _tracks_follow(self, move: AreaMoved) -> None:
        """Her conference and her support episode go on under the new area, unbroken."""
        targets = []
        if self._state.conference_id is not None:
            targets.append(f"conference-{self._state.conference_id}")
        if self._state.support_episode_id is not None:
            targets.append(episode_id_for(self._state.woman_id, self._state.support_episodes))
        for target in targets:
            try:
                await workflow.get_external_workflow_handle(target).signal("area_moved", move)
            except FailureError:
                # It has ended (a conference closed, an episode signed off): nothing to move.
                workflow.logger.info("a finished workflow was not told of the move")

    async def _rederive_clocks(self) -> None:
        """Each running clock planned again under the area now holding her record."""
        running = [c for c in self._clockwork.clocks.values() if c.status in RUNNING]
        requests = [self._rederived(c) for c in running if c.deadline != "conference_due"]
        conference_running = any(c.deadline == "conference_due" for c in running)
        if conference_running:
            requests += await self._conference_due()
        if requests:
            await self._plan_clocks(requests)
        conference = self._clockwork.find("conference_due")
        if conference_running and conference is not None and self._state.conference_id:
            await self._move_latest(conference.due, conference.basis, "her record moved area")

    def _rederived(self, clock: Clock) -> ClockRequest:
        """A strategy discussion is counted again from her concern; any other clock keeps its
        date, its name and reminders now those of her new area."""
        words = self._words(clock)
        if clock.deadline == "strategy_discussion" and self._state.concern_on is not None:
            return ClockRequest(
                deadline=clock.deadline,
                label=words,
                after=self._state.concern_on,
                rule="strategy_discussion_after_concern",
            )
        return ClockRequest(deadline=clock.deadline, label=words, due=clock.due, basis=clock.basis)

    def _words(self, clock: Clock) -> str:
        try:
            return label(clock.deadline, self._state.nation)
        except KeyError:
            return clock.label
