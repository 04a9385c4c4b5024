"""Commands for her conference, as its Updates: agency reports, the outcome, minutes and the
first core group."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from forms.common import Nation
from forms.conference import (
    Category,
    ConferenceOutcome,
    ConferenceState,
    RecordCoreGroup,
    RecordMinutes,
    SubmitReport,
)
from waymark.simulate import events as ev
from waymark.simulate.context import Context, Refused, WomanRun, state_of

ATTENDED = {
    Nation.ENGLAND: ["children_social_care", "maternity", "drug_treatment"],
    Nation.SCOTLAND: ["children_social_care", "maternity", "police"],
}


CONCERN = "Her drug use and its effect on caring for the baby"


async def conference(ctx: Context, woman: WomanRun) -> Any:
    """Her current conference's workflow."""
    state = await state_of(woman)
    if state.conference_id is None:
        raise Refused("she has no conference")
    return ctx.client.get_workflow_handle(f"conference-{state.conference_id}")


async def report(ctx: Context, woman: WomanRun, e: ev.Report) -> str:
    """Reports from the agencies that owe one (or the agency named)."""
    handle = await conference(ctx, woman)
    state = await handle.query("state", result_type=ConferenceState)
    owed = [
        i
        for i in state.invitees
        if i.owes_report
        and i.organisation_id is not None
        and i.organisation_id not in state.reports_received
    ]
    if e.agency:
        owed = [i for i in owed if e.agency in (i.agency_kind, _code(ctx, i.organisation_id))]
    if not owed:
        raise Refused(f"no report is owed by {e.agency or 'any agency'}")
    for invitee in owed:
        assert invitee.organisation_id is not None
        author = e.by or ctx.people.org_member(invitee.organisation_id)
        await handle.execute_update(
            "submit_report",
            SubmitReport(
                organisation_id=invitee.organisation_id,
                summary=e.summary,
                actor=ctx.actor(author, woman, "social_worker"),
            ),
        )
    return "report from " + ", ".join(i.name for i in owed)


def _code(ctx: Context, org_id: UUID | None) -> str | None:
    org = ctx.people.orgs.get(org_id) if org_id else None
    return org.code if org else None


async def outcome(ctx: Context, woman: WomanRun, e: ev.Outcome) -> str:
    """The conference's attendance and decision (quorum is checked by the workflow)."""
    nation = woman.area.nation
    england = nation is Nation.ENGLAND
    command = ConferenceOutcome(
        attended_agencies=e.attended if e.attended is not None else ATTENDED[nation],
        woman_attended=e.woman_attended,
        advocate_attended=e.advocate_attended,
        plan=e.plan,
        category=(e.category or Category.NEGLECT) if england and e.plan else None,
        areas_of_concern=(e.areas_of_concern or [CONCERN]) if e.plan and not england else [],
        actor=ctx.actor(e.by, woman, e.role),
    )
    handle = await conference(ctx, woman)
    phase = await handle.execute_update("record_outcome", command, result_type=str)
    return f"conference outcome: plan {'yes' if e.plan else 'no'} (phase {phase})"


async def minutes(ctx: Context, woman: WomanRun, e: ev.Minutes) -> str:
    """The conference minutes."""
    handle = await conference(ctx, woman)
    await handle.execute_update(
        "record_minutes", RecordMinutes(text=e.text, actor=ctx.actor(e.by, woman, e.role))
    )
    return "minutes recorded"


async def core_group(ctx: Context, woman: WomanRun, e: ev.CoreGroup) -> str:
    """The first core group, held on the event's date."""
    handle = await conference(ctx, woman)
    await handle.execute_update(
        "record_core_group",
        RecordCoreGroup(
            held_on=ctx.clock.vdate(e.held_on or e.on), actor=ctx.actor(e.by, woman, e.role)
        ),
    )
    return "first core group recorded"
