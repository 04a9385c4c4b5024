"""One function per scenario `do` kind: each sends the real Update (or nothing, for `wait`) to
her workflows through the Temporal client, as the API would, and says what it sent. Pathway and
meeting commands are here; conference and after-birth ones in the two modules beside this."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any
from uuid import UUID

from forms.labels import label
from forms.meeting import CancelMeeting, MeetingDetails, MeetingHeld, ScheduleMeeting, Venue
from forms.pathway import ScreeningCommand
from forms.prebirth import AssignCoordinator, ChangeEdd, RecordAssessment, RecordStrategyDiscussion
from waymark.simulate import events as ev
from waymark.simulate.commands_case import offer_advocate, reopen
from waymark.simulate.commands_conference import core_group, minutes, outcome, report
from waymark.simulate.commands_support import (
    advocate,
    answer_offer,
    birth,
    close_case,
    close_episode,
    contact,
    discharge,
    placement,
    plan_item,
    removal,
    returned,
)
from waymark.simulate.context import Context, Refused, WomanRun, state_of
from workflows.pathway import WomanPathway

__all__ = ["COMMANDS", "UPDATES", "Refused", "answer_offer"]

Command = Callable[[Context, WomanRun, Any], Awaitable[str]]


VENUE = Venue(name="Family Centre", private_room=True, accessible=True)


def meeting_of(woman: WomanRun, name: str | None) -> UUID:
    """The meeting named in the scenario, else the last one scheduled."""
    found = woman.meetings.get(name) if name else woman.last_meeting
    if found is None:
        raise Refused(f"no meeting called {name!r}" if name else "no meeting has been scheduled")
    return found


def details(ctx: Context, event: ev.When, travel: bool = False) -> MeetingDetails:
    """When and where: the event's meeting date and time, at a private, accessible venue."""
    day = event.meeting_on or event.on + timedelta(days=event.days_later or 0)
    starts = ctx.clock.virtual(day, event.meeting_at)
    return MeetingDetails(starts_at=starts, venue=VENUE, travel_support=travel)


async def screening(ctx: Context, woman: WomanRun, e: ev.Screening) -> str:
    """The social worker's screening decision."""
    command = ScreeningCommand(
        decision=e.decision, reason=e.reason, actor=ctx.actor(e.by, woman, e.role)
    )
    out = await woman.handle.execute_update(WomanPathway.record_screening, command)
    return f"screening: {e.decision.value} (stage {out.stage.value})"


async def strategy_discussion(ctx: Context, woman: WomanRun, e: ev.StrategyDiscussion) -> str:
    """The strategy discussion (IRD in Scotland), held on the event's date."""
    concern = ctx.clock.vdate(e.concern_on) if e.concern_on else None
    stage = await woman.handle.execute_update(
        WomanPathway.record_strategy_discussion,
        RecordStrategyDiscussion(
            held_on=ctx.clock.vdate(e.on),
            concern_on=concern,
            outcome=e.outcome,
            actor=ctx.actor(e.by, woman, e.role),
        ),
    )
    return f"{label('discussion', woman.area.nation)}: {e.outcome.value} (stage {stage.value})"


async def assessment(ctx: Context, woman: WomanRun, e: ev.Assessment) -> str:
    """The pre-birth assessment, completed on the event's date."""
    await woman.handle.execute_update(
        WomanPathway.record_assessment,
        RecordAssessment(completed_on=ctx.clock.vdate(e.on), actor=ctx.actor(e.by, woman, e.role)),
    )
    return "pre-birth assessment completed"


async def coordinator(ctx: Context, woman: WomanRun, e: ev.Coordinator) -> str:
    """Name her care co-ordinator."""
    await woman.handle.execute_update(
        WomanPathway.assign_coordinator,
        AssignCoordinator(
            user_id=ctx.people.actors[e.user].user_id, actor=ctx.actor(e.by, woman, e.role)
        ),
    )
    return f"care co-ordinator: {e.user}"


async def schedule_meeting(ctx: Context, woman: WomanRun, e: ev.ScheduleMeeting) -> str:
    """Schedule a meeting (a conference by default); remember it by name."""
    when = details(ctx, e, e.travel_support)
    receipt = await woman.handle.execute_update(
        WomanPathway.schedule_meeting,
        ScheduleMeeting(
            kind=e.kind,
            details=when,
            late_reason=e.late_reason,
            actor=ctx.actor(e.by, woman, e.role),
        ),
    )
    woman.meetings[e.name or f"{e.kind.value}-{len(woman.meetings) + 1}"] = receipt.meeting_id
    woman.last_meeting = receipt.meeting_id
    warned = "".join(f"; warning: {w}" for w in receipt.warnings)
    return (
        f"{e.kind.value} scheduled for {ctx.clock.stamp(when.starts_at)} "
        f"(sequence {receipt.sequence}){warned}"
    )


async def reschedule(ctx: Context, woman: WomanRun, e: ev.Reschedule) -> str:
    """Move a scheduled meeting (notices go out with the next sequence)."""
    meeting_id = meeting_of(woman, e.meeting)
    kind = (await state_of(woman)).meetings[str(meeting_id)].kind
    when = details(ctx, e)
    receipt = await woman.handle.execute_update(
        WomanPathway.schedule_meeting,
        ScheduleMeeting(
            kind=kind,
            details=when,
            meeting_id=meeting_id,
            late_reason=e.late_reason,
            actor=ctx.actor(e.by, woman, e.role),
        ),
    )
    return f"{kind.value} moved to {ctx.clock.stamp(when.starts_at)} (sequence {receipt.sequence})"


async def cancel(ctx: Context, woman: WomanRun, e: ev.Cancel) -> str:
    """Cancel a scheduled meeting."""
    receipt = await woman.handle.execute_update(
        WomanPathway.cancel_meeting,
        CancelMeeting(
            meeting_id=meeting_of(woman, e.meeting),
            reason=e.reason,
            actor=ctx.actor(e.by, woman, e.role),
        ),
    )
    return f"meeting cancelled (sequence {receipt.sequence}): {e.reason}"


async def meeting_held(ctx: Context, woman: WomanRun, e: ev.MeetingHeld) -> str:
    """Record that a meeting (not a conference) took place."""
    await woman.handle.execute_update(
        WomanPathway.record_meeting_held,
        MeetingHeld(meeting_id=meeting_of(woman, e.meeting), actor=ctx.actor(e.by, woman, e.role)),
    )
    return "meeting held"


async def edd_change(ctx: Context, woman: WomanRun, e: ev.EddChange) -> str:
    """A new EDD: her clocks are recomputed."""
    await woman.handle.execute_update(
        WomanPathway.change_edd,
        ChangeEdd(
            edd=ctx.clock.vdate(e.edd), reason=e.reason, actor=ctx.actor(e.by, woman, e.role)
        ),
    )
    return f"EDD changed to {e.edd.isoformat()}: {e.reason}"


async def wait(ctx: Context, woman: WomanRun, e: ev.Wait) -> str:
    """Nothing is sent: the run only moves on to this date."""
    return ""


COMMANDS: dict[str, Command] = {
    "screening": screening,
    "strategy_discussion": strategy_discussion,
    "assessment": assessment,
    "coordinator": coordinator,
    "schedule_meeting": schedule_meeting,
    "reschedule": reschedule,
    "cancel": cancel,
    "meeting_held": meeting_held,
    "report": report,
    "outcome": outcome,
    "minutes": minutes,
    "core_group": core_group,
    "edd_change": edd_change,
    "birth": birth,
    "removal": removal,
    "placement": placement,
    "return": returned,
    "discharge": discharge,
    "contact": contact,
    "plan_item": plan_item,
    "close_episode": close_episode,
    "close_case": close_case,
    "reopen": reopen,
    "offer_advocate": offer_advocate,
    "advocate": advocate,
    "wait": wait,
}
# The Update each event sends to her pathway (to say, when it is refused because her case is
# closed, what could not be done, as the API says it).
UPDATES = {
    "screening": "record_screening",
    "strategy_discussion": "record_strategy_discussion",
    "assessment": "record_assessment",
    "coordinator": "assign_coordinator",
    "schedule_meeting": "schedule_meeting",
    "reschedule": "schedule_meeting",
    "cancel": "cancel_meeting",
    "meeting_held": "record_meeting_held",
    "edd_change": "change_edd",
    "birth": "record_birth",
    "removal": "record_placement",
    "placement": "record_placement",
    "return": "record_placement",
    "discharge": "record_discharge",
    "close_case": "close_case",
}
