"""Referrals that reach her running pathway: her first, confirmed, or a further one joining her
record. Concurrent referrals for one woman all land here, so she keeps one pathway."""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from forms import activity_contracts as acts
    from forms.intake import IntakeOutcome, ReceiveReferral, RecordFurtherReferral
    from forms.referral import ReferralReceipt
    from workflows.options import act
    from workflows.pathway_base import PathwayBase


class FurtherReferrals(PathwayBase):
    """The `receive_referral` Update: added as a new handler, so no running history changes."""

    @workflow.update
    async def receive_referral(self, command: ReceiveReferral) -> ReferralReceipt:
        """Her first referral is confirmed once recorded; a further one joins her record."""
        await workflow.wait_condition(lambda: self._state.recorded)
        if command.referral_id == self._state.referral_id:
            return self._receipt(command, IntakeOutcome.NEW_RECORD)
        await act(
            acts.record_further_referral,
            RecordFurtherReferral(
                woman_id=self._state.woman_id,
                referral_id=command.referral_id,
                referral=command.referral,
                actor=command.actor,
                received_at=workflow.now(),
            ),
        )
        elsewhere = command.referral.area != self._area_code
        return self._receipt(
            command, IntakeOutcome.HELD_ELSEWHERE if elsewhere else IntakeOutcome.JOINED
        )

    @receive_referral.validator
    def _check_received(self, command: ReceiveReferral) -> None:
        first = command.referral_id == self._state.referral_id
        if first and command.fingerprint != self._state.intake_fingerprint:
            raise ApplicationError(
                "this Idempotency-Key was already used for a different referral",
                type="IdempotencyConflict",
            )

    def _receipt(self, command: ReceiveReferral, outcome: IntakeOutcome) -> ReferralReceipt:
        return ReferralReceipt(
            woman_id=self._state.woman_id,
            referral_id=command.referral_id,
            stage=self._state.stage.value,
            outcome=outcome.value,
        )
