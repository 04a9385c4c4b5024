"""Merging two records that are one woman: the pathway that goes on takes over the merged
pathway's clocks and meetings (so no duty is dropped; its support episode and advocate's
allocation run on as workflows of their own), then the merged pathway ends, saying
which record it was merged into. Both are new Update handlers: no running history changes."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from forms.clock import ClockStatus
    from forms.merging import AbsorbRecord, MergeInto
    from forms.pathway import Stage
    from workflows.pathway_base import PathwayBase


class RecordMerging(PathwayBase):
    @workflow.update
    async def absorb_record(self, command: AbsorbRecord) -> None:
        """Take over the merged pathway's running clocks and its meetings, once per merge."""
        async with self._lock:
            if str(command.merge_id) in self._state.absorbed:
                return
            for key, clock in command.clocks.items():
                if clock.status in (ClockStatus.PENDING, ClockStatus.PAUSED):
                    self._clockwork.clocks.setdefault(key, clock)
            for key, meeting in command.meetings.items():
                self._state.meetings.setdefault(key, meeting)
            if self._state.coordinator_id is None:
                self._state.coordinator_id = command.coordinator_id
            await self._event(
                f"absorbed:{command.merge_id}",
                "record_merged_in",
                f"Another record for her was merged into this one: {command.reason}",
                command.actor,
                data={"merged_woman_id": str(command.merged_woman_id)},
            )
            self._state.absorbed.append(str(command.merge_id))
            self._dirty = True

    @absorb_record.validator
    def _check_absorb(self, command: AbsorbRecord) -> None:
        if self._state.stage is Stage.CLOSED:
            self._refuse("the record that goes on has a closed pathway")

    @workflow.update
    async def merge_into(self, command: MergeInto) -> None:
        """End this pathway: its clocks and meetings now belong to the record that goes on."""
        async with self._lock:
            await self._move_to(
                Stage.CLOSED,
                f"Merged into record {command.into_woman_id}: {command.reason}",
                command.actor,
            )
            self._dirty = True

    @merge_into.validator
    def _check_merge_into(self, command: MergeInto) -> None:
        if self._state.stage is Stage.CLOSED:
            self._refuse("the record being merged has a closed pathway")
