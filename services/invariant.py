"""The "no woman dropped" invariant, and the breaches raised and resolved by checking it.

For every woman whose baby was placed in care, at every moment, from the duty register:
(a) support: her episode on record and active, or closed with a lead's sign-off, reason and
    handover (a closure signed off by a lead hands her on, so nothing else is owed here);
(b) none of the duties of the promise (a named worker, an advocate, a contact) is dropped:
    open, past its due time, with no live escalation (`services.dropped`, the one definition
    the ledger, the API, the pages and the simulator use too).
The oversight sweep and the check after an event raise a breach for each part that fails and
resolve it when the part holds again. `advocate_view` says, for the ledger, who her advocate is
or why she has none: an accepted allocation, an advocate asked whose time to answer (plus a
short grace) has not run out, an allocation making its first offer after the removal, an open
escalation, or her own decline.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forms.ledger import AdvocateStatus, AdvocateView, BreachKind, Finding, WomanCheck
from rules.uktime import uk_date
from services.dropped import promise_findings
from services.duty_support import ALLOCATION_GRACE
from services.escalation import area_leads
from services.ledger_rows import (
    ADVOCATE_ESCALATIONS,
    Facts,
    ever_removed,
    load_facts,
)
from services.tasks import her_tasks_under
from waymark import audit
from waymark.db.models import Breach, Notice, SupportEpisode, Task, Woman

# Who is told: a person, or (no lead in her area) her team.
Assignee = tuple[uuid.UUID | None, uuid.UUID | None]
TITLES = {
    BreachKind.ADVOCATE: "A woman whose baby was placed in care has no advocate: {detail}",
    BreachKind.SUPPORT: "A woman whose baby was placed in care has no active support: {detail}",
    BreachKind.CONTACT: "A woman whose baby was placed in care is out of contact: {detail}",
}


def advocate_view(facts: Facts, today: date, now: datetime | None = None) -> AdvocateView:
    """Who her advocate is and since when, or why she has none (NONE when nothing says why)."""
    return (
        _allocation_view(facts, today, now)
        or _reason_view(facts)
        or _allocating_view(facts, now)
        or AdvocateView(status=AdvocateStatus.NONE, reason="no advocate and no escalation")
    )


def _allocation_view(facts: Facts, today: date, now: datetime | None) -> AdvocateView | None:
    """Her accepted advocate, or the advocate asked whose time to answer has not run out."""
    allocation = facts.allocation
    if allocation is None:
        return None
    name = facts.name_of(allocation.advocate_user_id)
    if allocation.status == "accepted":
        since = allocation.responded_at or allocation.started_at
        return AdvocateView(status=AdvocateStatus.ALLOCATED, name=name, since=since)
    if _answer_awaited(allocation.accept_by, today, now):
        since = allocation.offered_at or allocation.started_at
        reason = "an advocate has been asked and is to answer"
        return AdvocateView(status=AdvocateStatus.OFFERED, name=name, since=since, reason=reason)
    return None


def _answer_awaited(accept_by: datetime | None, today: date, now: datetime | None) -> bool:
    """An offer still counts: to the minute when the time of the check is known (an event
    check, the sweep), else (a day's view of the ledger) until the end of its answer day."""
    if accept_by is None:
        return True
    if now is None:
        return uk_date(accept_by) >= today
    return now <= accept_by + ALLOCATION_GRACE


def _reason_view(facts: Facts) -> AdvocateView | None:
    """An open escalation saying none is available, or her own decline since the removal."""
    for kind in sorted(ADVOCATE_ESCALATIONS & facts.escalations.keys()):
        reason = "no advocate is available: escalated to the safeguarding lead"
        return AdvocateView(
            status=AdvocateStatus.ESCALATED, since=facts.escalations[kind], reason=reason
        )
    episode = facts.episode
    if facts.declined_at is not None and (
        episode is None or uk_date(facts.declined_at) >= episode.removal_on
    ):
        reason = "she declined an independent advocate"
        return AdvocateView(status=AdvocateStatus.DECLINED, since=facts.declined_at, reason=reason)
    return None


def _allocating_view(facts: Facts, now: datetime | None) -> AdvocateView | None:
    """Just after the removal her allocation (started with her episode) is making its first
    offer; for that short while an event check must not raise a breach it would at once clear.

    `now` and the episode's opening are both workflow times, so this holds on virtual time too.
    """
    episode = facts.episode
    if now is None or episode is None or episode.status != "active":
        return None
    if not timedelta(0) <= now - episode.opened_at < ALLOCATION_GRACE:
        return None
    reason = "an advocate is being allocated after her baby was placed in care"
    return AdvocateView(status=AdvocateStatus.ALLOCATING, since=episode.opened_at, reason=reason)


def signed_off(episode: SupportEpisode) -> bool:
    """Closed by a safeguarding lead's sign-off, with a reason and a handover on record."""
    return (
        episode.status == "closed"
        and episode.closed_by is not None
        and bool(episode.close_reason)
        and bool(episode.handover_to)
    )


def register_findings(facts: Facts, now: datetime) -> list[Finding]:
    """Her invariant from the duty register alone: her episode is there and active (or signed
    off), and none of the duties of the promise is dropped (`services.dropped`)."""
    if facts.episode is not None and signed_off(facts.episode):
        return []
    findings = support_findings(facts)
    failing = {finding.kind for finding in findings}
    return findings + [f for f in promise_findings(facts.duties, now) if f.kind not in failing]


def support_findings(facts: Facts) -> list[Finding]:
    """Her own support episode: on record, and active unless a lead signed it off."""
    episode = facts.episode
    if episode is None:
        detail = "no support episode is on record since her baby was placed in care"
    elif episode.status == "closed" and not signed_off(episode):
        detail = "her support episode was closed without a lead's sign-off, reason and handover"
    elif episode.status not in ("active", "closed"):
        detail = f"her support episode is {episode.status}, not active"
    else:
        return []
    return [Finding(kind=BreachKind.SUPPORT, detail=detail)]


async def check_and_settle(
    session: AsyncSession, woman_ids: list[uuid.UUID], today: date, at: datetime
) -> list[WomanCheck]:
    """Check each woman's invariant at `at` from the duty register (`register_findings`, the
    one definition of dropped) and raise or resolve her breaches to match (idempotent). Her
    facts are read together with the others' (a fixed number of queries however many women);
    a woman who is not in the ledger gets an empty check."""
    women = await session.scalars(select(Woman).where(Woman.id.in_(woman_ids), ever_removed()))
    checks = {woman_id: WomanCheck(woman_id=woman_id) for woman_id in woman_ids}
    for woman_id, facts in (await load_facts(session, women, today)).items():
        checks[woman_id] = await settle(session, facts, register_findings(facts, at), at)
    return [checks[woman_id] for woman_id in woman_ids]


async def settle(
    session: AsyncSession, facts: Facts, findings: list[Finding], at: datetime
) -> WomanCheck:
    """Raise a breach for each new failure and resolve each open one that holds again."""
    woman = facts.woman
    failing = {finding.kind: finding for finding in findings}
    open_rows = {BreachKind(row.kind): row for row in facts.breaches}
    check = WomanCheck(woman_id=woman.id, open=sorted(failing))
    for kind, finding in failing.items():
        if kind not in open_rows:
            await raise_breach(session, woman, finding, at)
            check.raised.append(kind)
    for kind, row in open_rows.items():
        if kind not in failing:
            await resolve_breach(session, row, at)
            check.resolved.append(kind)
    return check


async def raise_breach(
    session: AsyncSession, woman: Woman, finding: Finding, at: datetime
) -> Breach:
    """A breach row, a task and an urgent notice for each of her area's leads, an audit row."""
    row = Breach(woman_id=woman.id, kind=finding.kind.value, detail=finding.detail, raised_at=at)
    session.add(row)
    await session.flush()  # the partial unique index refuses a second open breach of a kind
    title = TITLES[finding.kind].format(detail=finding.detail)[:300]
    leads = await area_leads(session, woman.area_code)
    assignees: list[Assignee] = [(lead, None) for lead in leads] or [(None, woman.team_id)]
    for assignee in assignees:
        _tell(session, woman, f"breach:{row.id}:{assignee[0] or assignee[1]}", assignee, title, at)
    audit.record(
        session,
        None,
        action="raise_breach",
        record_type="woman",
        record_id=woman.id,
        detail=finding.kind.value,
    )
    return row


def _tell(
    session: AsyncSession, woman: Woman, key: str, assignee: Assignee, title: str, at: datetime
) -> None:
    """A task for a lead (or, with no lead, her team) and an urgent notice of it."""
    user_id, org_id = assignee
    session.add(
        Task(
            key=key,
            woman_id=woman.id,
            assignee_user_id=user_id,
            assignee_organisation_id=org_id,
            kind="invariant_breach",
            title=title,
            due=uk_date(at),
        )
    )
    session.add(
        Notice(
            key=f"{key}:notice",
            woman_id=woman.id,
            recipient_kind="staff",
            recipient_user_id=user_id,
            recipient_organisation_id=org_id,
            kind="invariant_breach",
            send_at=at,
            urgent=True,
            summary=title,
        )
    )


async def resolve_breach(session: AsyncSession, row: Breach, at: datetime) -> None:
    """The part holds again: the breach is resolved and its tasks are done."""
    row.resolved_at = at
    await session.execute(
        update(Task)
        .where(her_tasks_under(row.woman_id, f"breach:{row.id}:"), Task.status == "open")
        .values(status="done", closed_at=at)
    )
    audit.record(
        session,
        None,
        action="resolve_breach",
        record_type="woman",
        record_id=row.woman_id,
        detail=row.kind,
    )
