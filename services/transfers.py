"""Moving her record to another area. Her social worker asks, with a reason; the receiving
area's team (its social workers, or its safeguarding lead) sees only where from, why and when,
and accepts or declines with a reason. On acceptance her record, her team and her open duties
move to the receiving team (until then the sending team owes them), and the sending team may
still read her record for the period its area sets. Her advocate stays when the advocacy
service covers the new area; otherwise the receiving team is given a handover task."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forms.common import Role
from forms.pathway import Stage
from forms.transfer import TransferRequest, TransferStatus
from rules.calendar import WorkingCalendar
from rules.uktime import uk_date
from services import advocacy_records, duties, duty_support
from services.organisations import receiving_team
from waymark import audit
from waymark.areas import UnknownAreaError, get_area
from waymark.db.models import AdvocateAllocation, Duty, Organisation, Transfer, User, Woman
from waymark.errors import Conflict, Forbidden, Invalid, NotFound
from waymark.security.policy import visible_woman
from waymark.security.principal import Principal

ANSWERING_ROLES = (Role.SOCIAL_WORKER, Role.SAFEGUARDING_LEAD)


async def check_request(
    session: AsyncSession, principal: Principal, woman_id: uuid.UUID, body: TransferRequest
) -> tuple[Woman, Organisation]:
    """Her record and the receiving team, or a 4xx naming why she cannot be moved."""
    if principal.role is not Role.SOCIAL_WORKER:
        raise Forbidden("only her social worker can transfer her record to another area")
    woman = await visible_woman(session, principal, woman_id, action="transfer_record")
    if woman.coordinator_user_id not in (None, principal.user_id):
        raise Forbidden("only her care co-ordinator can transfer her record to another area")
    if woman.merged_into_id is not None:
        raise Conflict(f"her record was merged into {woman.merged_into_id}: transfer that one")
    if woman.stage == Stage.CLOSED.value:
        raise Conflict("her pathway is closed: a closed record is not transferred")
    code = body.to_area.strip().lower()
    try:
        get_area(code)
    except UnknownAreaError as error:
        raise Invalid(f"to_area: {error}") from error
    if code == woman.area_code:
        raise Invalid(f"to_area: her record is already held by '{code}'")
    team = await receiving_team(session, code)
    if team is None:
        raise Invalid(f"to_area: '{code}' has no team that receives records yet")
    if await waiting(session, woman.id) is not None:
        raise Conflict("a transfer of her record is already waiting for an answer")
    return woman, team


async def waiting(session: AsyncSession, woman_id: uuid.UUID) -> Transfer | None:
    """The transfer of her record waiting for an answer, if any (at most one)."""
    return await session.scalar(
        select(Transfer).where(
            Transfer.woman_id == woman_id, Transfer.status == TransferStatus.REQUESTED.value
        )
    )


async def request(
    session: AsyncSession,
    principal: Principal,
    woman: Woman,
    team: Organisation,
    reason: str,
) -> Transfer:
    """The transfer on record, audited and on her timeline; her record stays where it is."""
    row = Transfer(
        woman_id=woman.id,
        from_area=woman.area_code,
        from_team_id=woman.team_id,
        to_area=team.area_code,
        to_team_id=team.id,
        reason=reason,
        requested_by=principal.user_id,
    )
    session.add(row)
    await session.flush()
    now = datetime.now(UTC)
    to_name = get_area(team.area_code).name
    await _answer_owed(session, woman, row, now)
    await advocacy_records.timeline(
        session,
        f"{woman.id}:transfer-asked:{row.id}",
        woman.id,
        "transfer_requested",
        now,
        f"Transfer of her record to {to_name} asked: {reason}",
    )
    _audit(session, principal, row, "request_transfer", reason)
    return row


def _duty_key(row: Transfer) -> str:
    return f"transfer-answer:{row.id}"


async def _answer_owed(session: AsyncSession, woman: Woman, row: Transfer, now: datetime) -> None:
    """The receiving team owes an answer within its area's time (a duty in its area's
    register: unanswered past its date, it is among the area's dropped duties)."""
    area = get_area(row.to_area)
    due = WorkingCalendar(area).shift(uk_date(now), area.transfer_answer_within)
    duty = await duties.open_duty(
        session,
        key=_duty_key(row),
        woman=woman,
        kind="transfer_answer",
        label=f"Answer a transfer of a record from {get_area(row.from_area).name}",
        owed=duties.Owed(organisation_id=row.to_team_id),
        due_at=duties.end_of_day(due),
        at=now,
    )
    duty.area_code = row.to_area


def _audit(
    session: AsyncSession, principal: Principal, row: Transfer, action: str, reason: str | None
) -> None:
    audit.record(
        session,
        principal.actor(),
        action=action,
        record_type="woman",
        record_id=row.woman_id,
        detail=f"transfer {row.id}: {row.from_area} to {row.to_area}",
        reason=reason,
    )


def incoming(principal: Principal) -> ColumnElement[bool]:
    """The transfers this person's team may answer (or, for a lead, her area's)."""
    if principal.role is Role.SAFEGUARDING_LEAD:
        return Transfer.to_area == principal.area_code
    return Transfer.to_team_id == principal.organisation_id


async def waiting_for(session: AsyncSession, principal: Principal) -> list[Transfer]:
    """Transfers waiting for this person's team to answer, oldest first."""
    if principal.role not in ANSWERING_ROLES:
        raise Forbidden("only the receiving team's social workers or its lead answer transfers")
    found = await session.scalars(
        select(Transfer)
        .where(incoming(principal), Transfer.status == TransferStatus.REQUESTED.value)
        .order_by(Transfer.created_at)
    )
    return list(found)


async def answerable(
    session: AsyncSession, principal: Principal, transfer_id: uuid.UUID, *, again: bool = False
) -> Transfer:
    """A transfer this person may answer; anyone else learns nothing of it (404). With
    `again`, an accepted one too, so that an acceptance interrupted part way is finished."""
    row = await session.get(Transfer, transfer_id)
    mine = row is not None and principal.role in ANSWERING_ROLES
    if row is None or not mine or not _receives(principal, row):
        raise NotFound("no such transfer waiting for your team")
    if again and row.status == TransferStatus.ACCEPTED.value:
        return row
    if row.status != TransferStatus.REQUESTED.value:
        raise Conflict(f"this transfer was already {row.status}")
    return row


def _receives(principal: Principal, row: Transfer) -> bool:
    if principal.role is Role.SAFEGUARDING_LEAD:
        return row.to_area == principal.area_code
    return row.to_team_id == principal.organisation_id


async def withdrawable(
    session: AsyncSession, principal: Principal, woman_id: uuid.UUID
) -> Transfer:
    """The transfer of her record still waiting for an answer, which this social worker of
    the sending team may take back; else a 4xx naming why not."""
    if principal.role is not Role.SOCIAL_WORKER:
        raise Forbidden("only her social worker can withdraw a transfer of her record")
    woman = await visible_woman(session, principal, woman_id, action="withdraw_transfer")
    row = await waiting(session, woman.id)
    if row is None:
        raise Conflict("no transfer of her record is waiting for an answer: nothing to withdraw")
    if row.from_team_id != principal.organisation_id:
        raise Forbidden("only the team that asked for the transfer can withdraw it")
    return row


async def withdraw(
    session: AsyncSession, principal: Principal, row: Transfer, reason: str
) -> Transfer:
    """Taken back before an answer: nothing of her record moves; the receiving team no
    longer owes an answer."""
    return await _end_unaccepted(session, principal, row, TransferStatus.WITHDRAWN, reason)


async def decline(
    session: AsyncSession, principal: Principal, row: Transfer, reason: str | None
) -> Transfer:
    """Declined with a reason: nothing of her record changes."""
    if not reason:
        raise Invalid("reason: say why the transfer is declined")
    return await _end_unaccepted(session, principal, row, TransferStatus.DECLINED, reason)


async def _end_unaccepted(
    session: AsyncSession, principal: Principal, row: Transfer, status: TransferStatus, reason: str
) -> Transfer:
    """A transfer ended without moving her record (withdrawn or declined): on her timeline
    and audited, with the reason."""
    word = "withdrawn" if status is TransferStatus.WITHDRAWN else "declined"
    await _answer(session, row, principal, status, reason)
    await advocacy_records.timeline(
        session,
        f"{row.woman_id}:transfer-{word}:{row.id}",
        row.woman_id,
        f"transfer_{word}",
        row.answered_at or datetime.now(UTC),
        f"Transfer of her record to {get_area(row.to_area).name} {word}: {reason}",
    )
    verb = "withdraw" if status is TransferStatus.WITHDRAWN else "decline"
    _audit(session, principal, row, f"{verb}_transfer", reason)
    await session.flush()
    return row


async def _answer(
    session: AsyncSession,
    row: Transfer,
    principal: Principal,
    status: TransferStatus,
    reason: str | None,
) -> None:
    """The transfer ends waiting, once: of an answer and a withdrawal made at the same
    moment, the second finds it no longer waiting (a conditional update, not a read)."""
    at = datetime.now(UTC)
    claimed = await session.execute(
        update(Transfer)
        .where(Transfer.id == row.id, Transfer.status == TransferStatus.REQUESTED.value)
        .values(status=status.value, answered_by=principal.user_id, answered_at=at)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        await session.refresh(row)
        raise Conflict(f"this transfer was already {row.status}")
    row.status, row.answered_by, row.answered_at = status.value, principal.user_id, at
    row.answer_reason = reason
    # Withdrawn, the answer is no longer owed (cancelled); answered, it is met.
    ended = duties.CANCELLED if status is TransferStatus.WITHDRAWN else duties.MET
    await duties.meet_duty(session, _duty_key(row), at=at, by=f"transfer:{row.id}", status=ended)


async def accept(
    session: AsyncSession, principal: Principal, row: Transfer, reason: str | None
) -> Transfer:
    """Accepted: her record, team and open duties move; the sending team may read on."""
    woman = await session.get(Woman, row.woman_id)
    if woman is None or woman.merged_into_id is not None or woman.stage == Stage.CLOSED.value:
        raise Conflict("her record is closed or merged: it can no longer be transferred")
    await _answer(session, row, principal, TransferStatus.ACCEPTED, reason)
    answered = row.answered_at or datetime.now(UTC)
    row.read_until = answered + timedelta(days=get_area(row.from_area).transfer_read_access_days)
    woman.area_code, woman.team_id, woman.coordinator_user_id = row.to_area, row.to_team_id, None
    await session.execute(
        update(Duty)
        .where(Duty.woman_id == woman.id, Duty.status.in_(duties.LIVE))
        .values(area_code=row.to_area, owed_by_organisation_id=row.to_team_id, owed_by_user_id=None)
    )
    await _advocate_follows(session, woman, row)
    await duty_support.on_moved(session, woman, f"transfer:{row.id}", answered)
    _audit(session, principal, row, "accept_transfer", reason)
    await session.flush()
    return row


async def _advocate_follows(session: AsyncSession, woman: Woman, row: Transfer) -> None:
    """Her advocate stays where the advocacy service covers the new area; else a handover."""
    service_area = await session.scalar(
        select(Organisation.area_code)
        .join(User, User.organisation_id == Organisation.id)
        .join(AdvocateAllocation, AdvocateAllocation.advocate_user_id == User.id)
        .where(AdvocateAllocation.woman_id == woman.id, AdvocateAllocation.ended_at.is_(None))
    )
    if service_area is None or service_area == row.to_area:
        return
    await advocacy_records.task(
        session,
        f"advocate-handover:{row.id}",
        woman,
        (None, row.to_team_id),
        "advocate_handover",
        "Arrange a handover to an advocate in this area: her advocacy service does not cover it",
        row.answered_at or datetime.now(UTC),
    )
