"""Contracts of intake when a referral may be for a woman already on record."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from forms.common import Actor, Contract
from forms.referral import ReferralForm


class IntakeOutcome(StrEnum):
    """What became of a referral, as the referrer is told."""

    NEW_RECORD = "new_record"
    JOINED = "joined_existing_record"
    HELD_ELSEWHERE = "record_held_by_another_area"
    POSSIBLE_MATCH = "possible_match_to_check"


OUTCOME_WORDS = {
    IntakeOutcome.NEW_RECORD: "A new record was made for her and her pathway has started.",
    IntakeOutcome.JOINED: (
        "She already has a record: the referral joined it, and her social worker has been told."
    ),
    IntakeOutcome.HELD_ELSEWHERE: (
        "She already has a record held by another area; that area's team has been told."
    ),
    IntakeOutcome.POSSIBLE_MATCH: (
        "She may already have a record: her team's social workers will check and confirm."
    ),
}


class ReceiveReferral(Contract):
    """Update on her pathway: a referral for her, her first (the one that started the pathway)
    or a further one, which joins her record."""

    referral_id: UUID
    referral: ReferralForm
    actor: Actor
    fingerprint: str


class RecordFurtherReferral(Contract):
    """Activity input: a further referral on her record; its id keeps the write idempotent."""

    woman_id: UUID
    referral_id: UUID
    referral: ReferralForm
    actor: Actor
    received_at: datetime
