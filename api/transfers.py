"""Moving her record to another area: her social worker asks (with a reason); the receiving
area's team sees only where from, why and when, and accepts or declines (with a reason). An
accepted transfer moves her record, team and duties, then her pathway takes the new area's
rules (its clocks re-derived there). Sending the acceptance again finishes one interrupted."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from api.commands import issue
from api.declared import MOVE_AREA
from api.deps import AppSettings, Session, Temporal, require_role
from forms.common import Role
from forms.transfer import (
    MoveArea,
    TransferAnswer,
    TransferOut,
    TransferRequest,
    TransferStatus,
    TransferWithdrawal,
)
from services import transfers
from waymark.db.models import Transfer
from waymark.security.principal import Principal
from waymark.settings import Settings
from workflows.pathway import workflow_id

router = APIRouter(prefix="/api/v1", tags=["transfers"])

SocialWorker = Annotated[
    Principal, Depends(require_role(Role.SOCIAL_WORKER, action="transfer_record"))
]
Receiver = Annotated[
    Principal,
    Depends(require_role(*transfers.ANSWERING_ROLES, action="answer_transfers")),
]


def out(row: Transfer) -> TransferOut:
    return TransferOut(
        id=row.id,
        woman_id=row.woman_id,
        from_area=row.from_area,
        to_area=row.to_area,
        reason=row.reason,
        status=TransferStatus(row.status),
        requested_at=row.created_at,
        answer_reason=row.answer_reason,
        read_until=row.read_until,
    )


@router.post("/women/{woman_id}/transfer", status_code=201)
async def request_transfer(
    woman_id: uuid.UUID, body: TransferRequest, principal: SocialWorker, session: Session
) -> TransferOut:
    """Ask another area to take her record on; it stays here until that team accepts."""
    return await ask(session, principal, woman_id, body)


async def ask(
    session: AsyncSession, principal: Principal, woman_id: uuid.UUID, body: TransferRequest
) -> TransferOut:
    """Her social worker's request (the API's and the page's one path)."""
    woman, team = await transfers.check_request(session, principal, woman_id, body)
    row = await transfers.request(session, principal, woman, team, body.reason)
    await session.commit()
    return out(row)


@router.post("/women/{woman_id}/transfer/withdraw")
async def withdraw_transfer(
    woman_id: uuid.UUID, body: TransferWithdrawal, principal: SocialWorker, session: Session
) -> TransferOut:
    """Take back a transfer of her record before the other area's team accepts it."""
    return await take_back(session, principal, woman_id, body)


async def take_back(
    session: AsyncSession, principal: Principal, woman_id: uuid.UUID, body: TransferWithdrawal
) -> TransferOut:
    """The sending social worker's withdrawal (the API's and the page's one path)."""
    row = await transfers.withdrawable(session, principal, woman_id)
    row = await transfers.withdraw(session, principal, row, body.reason)
    await session.commit()
    return out(row)


@router.get("/transfers")
async def waiting_transfers(principal: Receiver, session: Session) -> list[TransferOut]:
    """Transfers waiting for your team's answer (nothing of her record beyond them)."""
    return [out(row) for row in await transfers.waiting_for(session, principal)]


@router.post("/transfers/{transfer_id}/decline")
async def decline_transfer(
    transfer_id: uuid.UUID,
    body: TransferAnswer,
    principal: Receiver,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> TransferOut:
    """Decline, saying why: her record stays where it is, as it was."""
    return await answer(session, temporal, settings, principal, transfer_id, body, accept=False)


@router.post("/transfers/{transfer_id}/accept")
async def accept_transfer(
    transfer_id: uuid.UUID,
    body: TransferAnswer,
    principal: Receiver,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> TransferOut:
    """Accept: her record moves to your team and her pathway to your area's rules."""
    return await answer(session, temporal, settings, principal, transfer_id, body, accept=True)


async def answer(
    session: AsyncSession,
    temporal: Client,
    settings: Settings,
    principal: Principal,
    transfer_id: uuid.UUID,
    body: TransferAnswer,
    *,
    accept: bool,
) -> TransferOut:
    """The receiving team's answer (the API's and the page's one path)."""
    row = await transfers.answerable(session, principal, transfer_id, again=accept)
    if not accept:
        row = await transfers.decline(session, principal, row, body.reason)
        await session.commit()
        return out(row)
    if row.status != TransferStatus.ACCEPTED.value:
        row = await transfers.accept(session, principal, row, body.reason)
    await move_pathway(session, temporal, settings, principal, row)
    return out(row)


async def move_pathway(
    session: AsyncSession,
    temporal: Client,
    settings: Settings,
    principal: Principal,
    row: Transfer,
) -> None:
    """Her pathway under the new area (once per transfer: sending it again changes nothing)."""
    command = MoveArea(
        transfer_id=row.id, to_area=row.to_area, reason=row.reason, actor=principal.actor()
    )
    await issue(temporal, settings, session, MOVE_AREA, workflow_id(row.woman_id), command)
