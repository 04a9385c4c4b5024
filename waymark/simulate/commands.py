"""One function per scenario `do` kind: each sends the real Update (or nothing, for `wait`) to
her workflows through the Temporal client, as the API would, and says what it sent."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any
from uuid import UUID

from forms.advocacy import Offer, RespondCommand, allocation_workflow_id
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
from forms.conference import Category, ConferenceOutcome, ConferenceState, SubmitReport
from forms.conference import RecordCoreGroup, RecordMinutes
from forms.meeting import CancelMeeting, MeetingDetails, MeetingHeld, ScheduleMeeting, Venue
from forms.pathway import PathwayState, ScreeningCommand
from forms.prebirth import AssignCoordinator, ChangeEdd, RecordAssessment
from forms.prebirth import RecordStrategyDiscussion
from forms.support import CloseEpisode, RecordContact, RecordPlanItem
from waymark.simulate import events as ev
from waymark.simulate.context import Context, WomanRun
from workflows.pathway import WomanPathway
from workflows.support import episode_id_for

Command = Callable[[Context, WomanRun, Any], Awaitable[str]]
ATTENDED = {
    Nation.ENGLAND: ["children_social_care", "maternity", "drug_treatment"],
    Nation.SCOTLAND: ["children_social_care", "maternity", "police"],
}
IN_CARE = {Nation.ENGLAND: LegalBasis.INTERIM_CARE_ORDER,
           Nation.SCOTLAND: LegalBasis.CHILD_PROTECTION_ORDER}
CONCERN = "Her drug use and its effect on caring for the baby"
VENUE = Venue(name="Family Centre", private_room=True, accessible=True)


class Refused(Exception):
    """The simulator could not send the command (no such meeting, baby or offer)."""


async def state_of(woman: WomanRun) -> PathwayState:
    return await woman.handle.query(WomanPathway.state)


async def conference(ctx: Context, woman: WomanRun) -> Any:
    state = await state_of(woman)
    if state.conference_id is None:
        raise Refused("she has no conference")
    return ctx.client.get_workflow_handle(f"conference-{state.conference_id}")


async def episode(ctx: Context, woman: WomanRun) -> Any:
    state = await state_of(woman)
    if not state.support_episodes:
        raise Refused("she has no support episode")
    return ctx.client.get_workflow_handle(episode_id_for(woman.woman_id, state.support_episodes))


async def baby_id(woman: WomanRun, number: int) -> UUID:
    babies = {b.number: b.baby_id for b in (await state_of(woman)).babies.values()}
    if number not in babies:
        raise Refused(f"no baby {number} is recorded for her")
    return babies[number]


def meeting_of(woman: WomanRun, name: str | None) -> UUID:
    found = woman.meetings.get(name) if name else woman.last_meeting
    if found is None:
        raise Refused(f"no meeting called {name!r}" if name else "no meeting has been scheduled")
    return found


def details(ctx: Context, event: ev.When, travel: bool = False) -> MeetingDetails:
    day = event.meeting_on or event.on + timedelta(days=event.days_later or 0)
    starts = ctx.clock.virtual(day, event.meeting_at)
    return MeetingDetails(starts_at=starts, venue=VENUE, travel_support=travel)


async def screening(ctx: Context, woman: WomanRun, e: ev.Screening) -> str:
    command = ScreeningCommand(decision=e.decision, reason=e.reason,
                               actor=ctx.actor(e.by, woman, e.role))
    out = await woman.handle.execute_update(WomanPathway.record_screening, command)
    return f"screening: {e.decision.value} (stage {out.stage.value})"


async def strategy_discussion(ctx: Context, woman: WomanRun, e: ev.StrategyDiscussion) -> str:
    concern = ctx.clock.vdate(e.concern_on) if e.concern_on else None
    stage = await woman.handle.execute_update(
        WomanPathway.record_strategy_discussion,
        RecordStrategyDiscussion(held_on=ctx.clock.vdate(e.on), concern_on=concern,
                                 outcome=e.outcome, actor=ctx.actor(e.by, woman, e.role)))
    return f"strategy discussion: {e.outcome.value} (stage {stage.value})"


async def assessment(ctx: Context, woman: WomanRun, e: ev.Assessment) -> str:
    await woman.handle.execute_update(WomanPathway.record_assessment, RecordAssessment(
        completed_on=ctx.clock.vdate(e.on), actor=ctx.actor(e.by, woman, e.role)))
    return "pre-birth assessment completed"


async def coordinator(ctx: Context, woman: WomanRun, e: ev.Coordinator) -> str:
    await woman.handle.execute_update(WomanPathway.assign_coordinator, AssignCoordinator(
        user_id=ctx.people.actors[e.user].user_id, actor=ctx.actor(e.by, woman, e.role)))
    return f"care co-ordinator: {e.user}"


async def schedule_meeting(ctx: Context, woman: WomanRun, e: ev.ScheduleMeeting) -> str:
    when = details(ctx, e, e.travel_support)
    receipt = await woman.handle.execute_update(WomanPathway.schedule_meeting, ScheduleMeeting(
        kind=e.kind, details=when, late_reason=e.late_reason,
        actor=ctx.actor(e.by, woman, e.role)))
    woman.meetings[e.name or f"{e.kind.value}-{len(woman.meetings) + 1}"] = receipt.meeting_id
    woman.last_meeting = receipt.meeting_id
    warned = "".join(f"; warning: {w}" for w in receipt.warnings)
    return (f"{e.kind.value} scheduled for {ctx.clock.stamp(when.starts_at)} "
            f"(sequence {receipt.sequence}){warned}")


async def reschedule(ctx: Context, woman: WomanRun, e: ev.Reschedule) -> str:
    meeting_id = meeting_of(woman, e.meeting)
    kind = (await state_of(woman)).meetings[str(meeting_id)].kind
    when = details(ctx, e)
    receipt = await woman.handle.execute_update(WomanPathway.schedule_meeting, ScheduleMeeting(
        kind=kind, details=when, meeting_id=meeting_id, late_reason=e.late_reason,
        actor=ctx.actor(e.by, woman, e.role)))
    return (f"{kind.value} moved to {ctx.clock.stamp(when.starts_at)} "
            f"(sequence {receipt.sequence})")


async def cancel(ctx: Context, woman: WomanRun, e: ev.Cancel) -> str:
    receipt = await woman.handle.execute_update(WomanPathway.cancel_meeting, CancelMeeting(
        meeting_id=meeting_of(woman, e.meeting), reason=e.reason,
        actor=ctx.actor(e.by, woman, e.role)))
    return f"meeting cancelled (sequence {receipt.sequence}): {e.reason}"


async def meeting_held(ctx: Context, woman: WomanRun, e: ev.MeetingHeld) -> str:
    await woman.handle.execute_update(WomanPathway.record_meeting_held, MeetingHeld(
        meeting_id=meeting_of(woman, e.meeting), actor=ctx.actor(e.by, woman, e.role)))
    return "meeting held"


async def report(ctx: Context, woman: WomanRun, e: ev.Report) -> str:
    handle = await conference(ctx, woman)
    state = await handle.query("state", result_type=ConferenceState)
    owed = [i for i in state.invitees if i.owes_report and i.organisation_id is not None
            and i.organisation_id not in state.reports_received]
    if e.agency:
        owed = [i for i in owed if e.agency in (i.agency_kind, _code(ctx, i.organisation_id))]
    if not owed:
        raise Refused(f"no report is owed by {e.agency or 'any agency'}")
    for invitee in owed:
        assert invitee.organisation_id is not None
        author = e.by or ctx.people.org_member(invitee.organisation_id)
        await handle.execute_update("submit_report", SubmitReport(
            organisation_id=invitee.organisation_id, summary=e.summary,
            actor=ctx.actor(author, woman, "social_worker")))
    return "report from " + ", ".join(i.name for i in owed)


def _code(ctx: Context, org_id: UUID | None) -> str | None:
    org = ctx.people.orgs.get(org_id) if org_id else None
    return org.code if org else None


async def outcome(ctx: Context, woman: WomanRun, e: ev.Outcome) -> str:
    nation = woman.area.nation
    england = nation is Nation.ENGLAND
    command = ConferenceOutcome(
        attended_agencies=e.attended if e.attended is not None else ATTENDED[nation],
        woman_attended=e.woman_attended, advocate_attended=e.advocate_attended, plan=e.plan,
        category=(e.category or Category.NEGLECT) if england and e.plan else None,
        areas_of_concern=(e.areas_of_concern or [CONCERN]) if e.plan and not england else [],
        actor=ctx.actor(e.by, woman, e.role))
    handle = await conference(ctx, woman)
    phase = await handle.execute_update("record_outcome", command, result_type=str)
    return f"conference outcome: plan {'yes' if e.plan else 'no'} (phase {phase})"


async def minutes(ctx: Context, woman: WomanRun, e: ev.Minutes) -> str:
    handle = await conference(ctx, woman)
    await handle.execute_update("record_minutes", RecordMinutes(
        text=e.text, actor=ctx.actor(e.by, woman, e.role)))
    return "minutes recorded"


async def core_group(ctx: Context, woman: WomanRun, e: ev.CoreGroup) -> str:
    handle = await conference(ctx, woman)
    await handle.execute_update("record_core_group", RecordCoreGroup(
        held_on=ctx.clock.vdate(e.held_on or e.on), actor=ctx.actor(e.by, woman, e.role)))
    return "first core group recorded"


async def edd_change(ctx: Context, woman: WomanRun, e: ev.EddChange) -> str:
    await woman.handle.execute_update(WomanPathway.change_edd, ChangeEdd(
        edd=ctx.clock.vdate(e.edd), reason=e.reason, actor=ctx.actor(e.by, woman, e.role)))
    return f"EDD changed to {e.edd.isoformat()}: {e.reason}"


async def birth(ctx: Context, woman: WomanRun, e: ev.Birth) -> str:
    babies = await woman.handle.execute_update(WomanPathway.record_birth, RecordBirth(
        born_at=ctx.now - timedelta(hours=1), gestation_weeks=e.gestation_weeks,
        babies=[BabyAtBirth(location=e.location) for _ in range(e.babies)],
        exposure=e.exposure, actor=ctx.actor(e.by, woman, e.role)))
    return f"birth recorded ({len(babies)} baby, {e.gestation_weeks} weeks)"


async def _place(ctx: Context, woman: WomanRun, e: Any, placement: Placement,
                 basis: LegalBasis | None) -> str:
    if placement is Placement.CARE:
        basis = basis or IN_CARE[woman.area.nation]
    stage = await woman.handle.execute_update(WomanPathway.record_placement, RecordPlacement(
        baby_id=await baby_id(woman, e.baby), placement=placement, legal_basis=basis,
        reason=e.reason, actor=ctx.actor(e.by, woman, e.role)))
    why = f" ({basis.value})" if basis else ""
    return f"baby {e.baby}: {placement.value}{why} (stage {stage.value})"


async def removal(ctx: Context, woman: WomanRun, e: ev.Removal) -> str:
    return await _place(ctx, woman, e, Placement.CARE, e.legal_basis)


async def placement(ctx: Context, woman: WomanRun, e: ev.PlacementChange) -> str:
    return await _place(ctx, woman, e, e.placement, e.legal_basis)


async def returned(ctx: Context, woman: WomanRun, e: ev.Return) -> str:
    return await _place(ctx, woman, e, e.placement, None)


async def discharge(ctx: Context, woman: WomanRun, e: ev.Discharge) -> str:
    await woman.handle.execute_update(WomanPathway.record_discharge, RecordDischarge(
        baby_id=await baby_id(woman, e.baby), actor=ctx.actor(e.by, woman, e.role)))
    return f"baby {e.baby} discharged"


async def contact(ctx: Context, woman: WomanRun, e: ev.Contact) -> str:
    handle = await episode(ctx, woman)
    await handle.execute_update("record_contact", RecordContact(
        on=ctx.clock.vdate(e.contact_on or e.on), kind=e.kind,
        actor=ctx.actor(e.by, woman, e.role)))
    return f"contact with her ({e.kind.value})"


async def plan_item(ctx: Context, woman: WomanRun, e: ev.PlanItemAnswered) -> str:
    handle = await episode(ctx, woman)
    await handle.execute_update("record_plan_item", RecordPlanItem(
        item=e.item, outcome=e.outcome, actor=ctx.actor(e.by, woman, e.role)))
    return f"support plan: {e.item.value}: {e.outcome}"


async def close_episode(ctx: Context, woman: WomanRun, e: ev.CloseEpisode) -> str:
    handle = await episode(ctx, woman)
    await handle.execute_update("close_episode", CloseEpisode(
        reason=e.reason, handover_to=e.handover_to, second_reason=e.second_reason,
        actor=ctx.actor(e.by, woman, e.role)))
    return f"support episode closed, handed over to {e.handover_to}"


async def close_case(ctx: Context, woman: WomanRun, e: ev.CloseCase) -> str:
    await woman.handle.execute_update(WomanPathway.close_case, CloseCase(
        reason=e.reason, actor=ctx.actor(e.by, woman, e.role)))
    return f"baby's case closed: {e.reason}"


async def advocate(ctx: Context, woman: WomanRun, e: ev.AdvocateAnswer) -> str:
    return await answer_offer(ctx, woman.woman_id, e.reply, e.by)


async def answer_offer(ctx: Context, woman_id: UUID, reply: str, by: str | None = None) -> str:
    """The offered advocate (or `by`) answers the offer waiting in her allocation workflow."""
    handle = ctx.client.get_workflow_handle(allocation_workflow_id(woman_id))
    offer = await handle.query("offer", result_type=Offer | None)
    if offer is None or offer.allocation_id is None or offer.advocate_user_id is None:
        raise Refused("no advocate's offer is waiting for an answer")
    actor = ctx.people.actors[by] if by else ctx.people.by_id(offer.advocate_user_id)
    status = await handle.execute_update("respond", RespondCommand(
        allocation_id=offer.allocation_id, reply=reply, actor=actor), result_type=str)
    name = ctx.people.names.get(offer.advocate_user_id, "the advocate")
    return f"advocate {name}: {reply} ({status})"


async def wait(ctx: Context, woman: WomanRun, e: ev.Wait) -> str:
    return ""


COMMANDS: dict[str, Command] = {
    "screening": screening, "strategy_discussion": strategy_discussion,
    "assessment": assessment, "coordinator": coordinator,
    "schedule_meeting": schedule_meeting, "reschedule": reschedule, "cancel": cancel,
    "meeting_held": meeting_held, "report": report, "outcome": outcome, "minutes": minutes,
    "core_group": core_group, "edd_change": edd_change, "birth": birth, "removal": removal,
    "placement": placement, "return": returned, "discharge": discharge, "contact": contact,
    "plan_item": plan_item, "close_episode": close_episode, "close_case": close_case,
    "advocate": advocate, "wait": wait,
}
