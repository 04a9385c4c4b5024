"""Commands from birth on: the birth, placements (a removal, a return), discharge, and her own
support episode (contacts, plan items, closure), and the advocate answering an offer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from temporalio.client import WorkflowExecutionStatus
from temporalio.service import RPCError

from forms.advocacy import AdvocateReply, Offer, RespondCommand, allocation_workflow_id
from forms.birth import (
    BabyAtBirth,
    CloseCase,
    LegalBasis,
    Placement,
    RecordBirth,
    RecordDischarge,
    RecordPlacement,
)
from forms.common import Nation
from forms.support import CloseEpisode, RecordContact, RecordPlanItem
from waymark.simulate import events as ev
from waymark.simulate.context import Context, Refused, WomanRun, state_of
from workflows.pathway import WomanPathway
from workflows.support import episode_id_for

IN_CARE = {
    Nation.ENGLAND: LegalBasis.INTERIM_CARE_ORDER,
    Nation.SCOTLAND: LegalBasis.CHILD_PROTECTION_ORDER,
}


async def update_episode(ctx: Context, woman: WomanRun, update: str, command: Any) -> Any:
    """Send an Update to her support episode; one that has finished says so plainly."""
    handle = await episode(ctx, woman)
    try:
        return await handle.execute_update(update, command)
    except RPCError:
        status = (await handle.describe()).status
        if status is not None and status is not WorkflowExecutionStatus.RUNNING:
            raise Refused(f"her support episode has finished ({status.name.lower()})") from None
        raise


async def episode(ctx: Context, woman: WomanRun) -> Any:
    """Her current support episode's workflow."""
    state = await state_of(woman)
    if not state.support_episodes:
        raise Refused("she has no support episode")
    return ctx.client.get_workflow_handle(episode_id_for(woman.woman_id, state.support_episodes))


async def baby_id(woman: WomanRun, number: int) -> UUID:
    """The id of her baby by number (1 for a single birth)."""
    babies = {b.number: b.baby_id for b in (await state_of(woman)).babies.values()}
    if number not in babies:
        raise Refused(f"no baby {number} is recorded for her")
    return babies[number]


async def birth(ctx: Context, woman: WomanRun, e: ev.Birth) -> str:
    """The birth, recorded an hour before the event's time."""
    babies = await woman.handle.execute_update(
        WomanPathway.record_birth,
        RecordBirth(
            born_at=ctx.now - timedelta(hours=1),
            gestation_weeks=e.gestation_weeks,
            babies=[BabyAtBirth(location=e.location) for _ in range(e.babies)],
            exposure=e.exposure,
            actor=ctx.actor(e.by, woman, e.role),
        ),
    )
    return f"birth recorded ({len(babies)} baby, {e.gestation_weeks} weeks)"


async def _place(
    ctx: Context, woman: WomanRun, e: Any, placement: Placement, basis: LegalBasis | None
) -> str:
    if placement is Placement.CARE:
        basis = basis or IN_CARE[woman.area.nation]
    stage = await woman.handle.execute_update(
        WomanPathway.record_placement,
        RecordPlacement(
            baby_id=await baby_id(woman, e.baby),
            placement=placement,
            legal_basis=basis,
            reason=e.reason,
            actor=ctx.actor(e.by, woman, e.role),
        ),
    )
    why = f" ({basis.value})" if basis else ""
    return f"baby {e.baby}: {placement.value}{why} (stage {stage.value})"


async def removal(ctx: Context, woman: WomanRun, e: ev.Removal) -> str:
    """Her baby is placed in care (the nation's usual order unless one is named)."""
    return await _place(ctx, woman, e, Placement.CARE, e.legal_basis)


async def placement(ctx: Context, woman: WomanRun, e: ev.PlacementChange) -> str:
    """Her baby moves to any placement (into care needs its legal basis)."""
    return await _place(ctx, woman, e, e.placement, e.legal_basis)


async def returned(ctx: Context, woman: WomanRun, e: ev.Return) -> str:
    """Her baby comes back to her (or to another placement out of care)."""
    return await _place(ctx, woman, e, e.placement, None)


async def discharge(ctx: Context, woman: WomanRun, e: ev.Discharge) -> str:
    """Her baby leaves hospital."""
    await woman.handle.execute_update(
        WomanPathway.record_discharge,
        RecordDischarge(baby_id=await baby_id(woman, e.baby), actor=ctx.actor(e.by, woman, e.role)),
    )
    return f"baby {e.baby} discharged"


async def contact(ctx: Context, woman: WomanRun, e: ev.Contact) -> str:
    """Her worker's contact with her, on the event's date."""
    await update_episode(
        ctx,
        woman,
        "record_contact",
        RecordContact(
            on=ctx.clock.vdate(e.contact_on or e.on),
            kind=e.kind,
            actor=ctx.actor(e.by, woman, e.role),
        ),
    )
    return f"contact with her ({e.kind.value})"


async def plan_item(ctx: Context, woman: WomanRun, e: ev.PlanItemAnswered) -> str:
    """A referral in her support plan was answered."""
    await update_episode(
        ctx,
        woman,
        "record_plan_item",
        RecordPlanItem(item=e.item, outcome=e.outcome, actor=ctx.actor(e.by, woman, e.role)),
    )
    return f"support plan: {e.item.value}: {e.outcome}"


async def close_episode(ctx: Context, woman: WomanRun, e: ev.CloseEpisode) -> str:
    """A safeguarding lead signs off her support episode, with a handover."""
    await update_episode(
        ctx,
        woman,
        "close_episode",
        CloseEpisode(
            reason=e.reason,
            handover_to=e.handover_to,
            second_reason=e.second_reason,
            actor=ctx.actor(e.by, woman, e.role),
        ),
    )
    return f"support episode closed, handed over to {e.handover_to}"


async def close_case(ctx: Context, woman: WomanRun, e: ev.CloseCase) -> str:
    """The baby's case (her pathway) is closed."""
    await woman.handle.execute_update(
        WomanPathway.close_case, CloseCase(reason=e.reason, actor=ctx.actor(e.by, woman, e.role))
    )
    return f"baby's case closed: {e.reason}"


async def advocate(ctx: Context, woman: WomanRun, e: ev.AdvocateAnswer) -> str:
    """The offered advocate answers the offer waiting for an answer."""
    return await answer_offer(ctx, woman.woman_id, e.reply, e.by)


async def answer_offer(ctx: Context, woman_id: UUID, reply: str, by: str | None = None) -> str:
    """The offered advocate (or `by`) answers the offer waiting in her allocation workflow."""
    handle = ctx.client.get_workflow_handle(allocation_workflow_id(woman_id))
    raw = await handle.query("offer")
    offer = Offer.model_validate(raw) if raw else None
    if offer is None or offer.allocation_id is None or offer.advocate_user_id is None:
        raise Refused("no advocate's offer is waiting for an answer")
    actor = ctx.people.actors[by] if by else ctx.people.by_id(offer.advocate_user_id)
    status = await handle.execute_update(
        "respond",
        RespondCommand(allocation_id=offer.allocation_id, reply=AdvocateReply(reply), actor=actor),
        result_type=str,
    )
    name = ctx.people.names.get(offer.advocate_user_id, "the advocate")
    return f"advocate {name}: {reply} ({status})"
