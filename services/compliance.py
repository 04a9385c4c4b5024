"""Compliance figures per area and agency: counts and rates with their numerators and
denominators, median times in hours, and every worker's caseload against the area's guide.

Every figure is worked out from the read model alone; ids and codes only, never names.
"""

from __future__ import annotations

import statistics
import uuid
from collections import defaultdict
from datetime import UTC, datetime
from typing import get_args

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from forms.advocacy import AllocationStatus
from forms.area import england_rules
from forms.oversight_reports import (
    AgencyCompliance,
    AreaCompliance,
    Caseload,
    ComplianceReport,
    Figures,
    HerViews,
    Median,
    Rate,
)
from rules.uktime import uk_date
from services.feedback import views_by_area
from waymark.areas import UnknownAreaError, get_area, load_areas
from waymark.db.models import (
    AdvocateAllocation,
    AgencyReport,
    Conference,
    Meeting,
    Notice,
    Organisation,
    SupportEpisode,
    TimelineEvent,
    User,
    Woman,
)
from waymark.errors import Invalid

FINISHED_PHASES = ("closed", "cancelled")
NOT_TAKEN = (AllocationStatus.DECLINED.value, AllocationStatus.TIMED_OUT.value)
# An area as a whole (organisation None), or one agency in it.
Scope = tuple[str, uuid.UUID | None]
# An allocation with her advocate's organisation and her area.
Allocation = tuple[AdvocateAllocation, uuid.UUID, str]


class Tally:
    """Counts (met, of) and durations, kept for the area and for the agency each belongs to."""

    def __init__(self) -> None:
        self.counts: dict[Scope, dict[str, list[int]]] = defaultdict(dict)
        self.hours: dict[Scope, dict[str, list[float]]] = defaultdict(dict)

    def count(self, area: str, org: uuid.UUID | None, name: str, met: bool) -> None:
        for scope in {(area, None), (area, org)}:
            pair = self.counts[scope].setdefault(name, [0, 0])
            pair[0] += int(met)
            pair[1] += 1

    def time(self, area: str, org: uuid.UUID, name: str, start: datetime, end: datetime) -> None:
        for scope in ((area, None), (area, org)):
            self.hours[scope].setdefault(name, []).append((end - start).total_seconds() / 3600)

    def figures(self, scope: Scope, *, complete: bool) -> Figures:
        """The figures for one scope; `complete` gives empty figures for what has no data."""
        counts, hours = self.counts.get(scope, {}), self.hours.get(scope, {})
        found: dict[str, Rate | Median] = {}
        for name, info in Figures.model_fields.items():
            if Rate in get_args(info.annotation) and (name in counts or complete):
                met, total = counts.get(name, [0, 0])
                found[name] = Rate(numerator=met, denominator=total)
            elif Median in get_args(info.annotation) and (name in hours or complete):
                values = hours.get(name, [])
                middle = round(statistics.median(values), 2) if values else None
                found[name] = Median(count=len(values), median_hours=middle)
        return Figures.model_validate(found)

    def agencies(self, area: str) -> set[uuid.UUID]:
        return {org for code, org in {*self.counts, *self.hours} if code == area and org}


async def compliance_report(
    session: AsyncSession, *, area: str | None = None, now: datetime | None = None
) -> ComplianceReport:
    """The figures for one area (or every area with data), as at `now`."""
    now = now or datetime.now(UTC)
    codes = await _areas(session, area)
    tally = Tally()
    await _conferences(session, tally, now)
    await _reports_and_notice(session, tally)
    await _acknowledgement(session, tally, now)
    allocations = await _allocations(session)
    await _removals(session, tally, allocations)
    orgs = {org.id: org for org in await session.scalars(select(Organisation))}
    loads = await caseloads(session, orgs, allocations)
    views = await views_by_area(session)
    areas = [_area(code, tally, orgs, loads) for code in codes]
    for report in areas:
        report.her_views = views.get(report.area, HerViews())
    return ComplianceReport(generated_at=now, areas=areas)


async def _areas(session: AsyncSession, area: str | None) -> list[str]:
    """The areas asked for: one known area, or every area that has organisations or women."""
    in_data = set(await session.scalars(select(Organisation.area_code).distinct()))
    in_data |= set(await session.scalars(select(Woman.area_code).distinct()))
    if area is None:
        return sorted(in_data)
    known = in_data | set(load_areas())
    if area not in known:
        raise Invalid(f"area: not a known area (known areas: {', '.join(sorted(known))})")
    return [area]


def _guides(code: str) -> tuple[int, int]:
    """The area's caseload guides for social workers and advocates (defaults if unknown)."""
    try:
        rules = get_area(code)
    except UnknownAreaError:
        rules = england_rules()  # the guides are the same in both nations' defaults
    return rules.caseload_guide_social_worker, rules.caseload_guide_advocate


async def _conferences(session: AsyncSession, tally: Tally, now: datetime) -> None:
    """Decided by the latest date (the day it met); open ones past their latest date."""
    held_query = (
        select(Meeting.conference_id, func.max(Meeting.starts_at))
        .where(Meeting.status == "held", Meeting.conference_id.is_not(None))
        .group_by(Meeting.conference_id)
    )
    held = dict((await session.execute(held_query)).all())
    rows = await session.execute(
        select(Conference, Woman.area_code, Woman.team_id)
        .join(Woman, Woman.id == Conference.woman_id)
        .where(Conference.statutory_latest.is_not(None))
    )
    for conference, area, team in rows:
        latest = conference.statutory_latest
        assert latest is not None
        if conference.decided_at is not None:
            met_on = uk_date(held.get(conference.id) or conference.decided_at)
            tally.count(area, team, "conferences_on_time", met_on <= latest)
        elif conference.phase not in FINISHED_PHASES:
            tally.count(area, team, "conferences_overdue", latest < uk_date(now))


async def _reports_and_notice(session: AsyncSession, tally: Tally) -> None:
    """Reports shared on time (by the agency that wrote them); meetings (not cancelled)
    arranged with the area's minimum notice (by her team)."""
    reports = await session.execute(
        select(AgencyReport.late, AgencyReport.organisation_id, Woman.area_code)
        .join(Conference, Conference.id == AgencyReport.conference_id)
        .join(Woman, Woman.id == Conference.woman_id)
    )
    for late, org, area in reports:
        tally.count(area, org, "reports_on_time", not late)
    meetings = await session.execute(
        select(Meeting.short_notice, Woman.team_id, Woman.area_code)
        .join(Woman, Woman.id == Meeting.woman_id)
        .where(Meeting.status != "cancelled")
    )
    for short, team, area in meetings:
        tally.count(area, team, "adequate_notice", not short)


async def _acknowledgement(session: AsyncSession, tally: Tally, now: datetime) -> None:
    """Advocates' meeting notices: hours to acknowledge, and acknowledged by the time due."""
    rows = await session.execute(
        select(Notice.send_at, Notice.acknowledged_at, Notice.ack_due_at)
        .add_columns(User.organisation_id, Woman.area_code)
        .join(User, User.id == Notice.recipient_user_id)
        .join(Woman, Woman.id == Notice.woman_id)
        .where(Notice.recipient_kind == "advocate")
    )
    for sent, acknowledged, due, org, area in rows:
        if acknowledged is not None:
            tally.time(area, org, "advocate_acknowledgement", sent, acknowledged)
        # Every acknowledged notice counts (one with no time due is in time), and so does one
        # past its time unacknowledged: the rate and the median count the same notices.
        if acknowledged is not None or (due is not None and due <= now):
            in_time = acknowledged is not None and (due is None or acknowledged <= due)
            tally.count(area, org, "advocate_acknowledged_in_time", in_time)


async def _allocations(session: AsyncSession) -> list[Allocation]:
    rows = await session.execute(
        select(AdvocateAllocation, User.organisation_id, Woman.area_code)
        .join(User, User.id == AdvocateAllocation.advocate_user_id)
        .join(Woman, Woman.id == AdvocateAllocation.woman_id)
    )
    return [(row, org, area) for row, org, area in rows]


def accepted_at(row: AdvocateAllocation) -> datetime | None:
    """When an allocation became an accepted one (a direct allocation: when it started)."""
    if row.status in NOT_TAKEN:
        return None
    if row.responded_at is not None:
        return row.responded_at
    return row.started_at if row.offered_at is None else None


async def _removals(session: AsyncSession, tally: Tally, allocations: list[Allocation]) -> None:
    """Offer to acceptance; and from her baby's removal to an advocate, kept or accepted."""
    by_woman: dict[uuid.UUID, list[Allocation]] = defaultdict(list)
    for row, org, area in allocations:
        by_woman[row.woman_id].append((row, org, area))
        if row.offered_at is not None and row.responded_at is not None:
            if row.status not in NOT_TAKEN:
                tally.time(area, org, "advocate_acceptance", row.offered_at, row.responded_at)
    alerts: dict[uuid.UUID, list[datetime]] = defaultdict(list)
    alert_query = select(Notice.woman_id, Notice.send_at).where(Notice.kind == "removal_alert")
    for woman_id, sent in await session.execute(alert_query):
        alerts[woman_id].append(sent)
    removals = await session.execute(
        select(TimelineEvent.woman_id, TimelineEvent.occurred_at, Woman.area_code)
        .join(Woman, Woman.id == TimelineEvent.woman_id)
        .where(TimelineEvent.kind == "baby_placed_in_care")
    )
    for woman_id, removed_at, area in removals:
        found = _advocate_after(removed_at, by_woman[woman_id], alerts[woman_id])
        tally.count(area, None, "removals_with_advocate", found is not None)
        if found is not None:
            tally.time(area, found[1], "removal_to_advocate", removed_at, found[0])


def _advocate_after(
    removed_at: datetime, allocations: list[Allocation], alerts: list[datetime]
) -> tuple[datetime, uuid.UUID] | None:
    """When she had an advocate after the removal, and the advocate's organisation."""
    for row, org, _ in allocations:
        accepted = accepted_at(row)
        open_then = row.ended_at is None or row.ended_at > removed_at
        if accepted is not None and accepted <= removed_at and open_then:
            # Kept: the advocate she already had counts from when she was told.
            return min((at for at in alerts if at >= removed_at), default=removed_at), org
    later = [
        (at, org) for row, org, _ in allocations if (at := accepted_at(row)) and at > removed_at
    ]
    return min(later, key=lambda pair: pair[0]) if later else None


async def caseloads(
    session: AsyncSession, orgs: dict[uuid.UUID, Organisation], allocations: list[Allocation]
) -> dict[str, list[Caseload]]:
    """Every social worker's and advocate's open cases, by area, largest first."""
    cases: dict[str, dict[uuid.UUID, set[uuid.UUID]]] = defaultdict(lambda: defaultdict(set))
    for row, _, _ in allocations:
        if row.status == AllocationStatus.ACCEPTED.value and row.ended_at is None:
            cases["allocated"][row.advocate_user_id].add(row.woman_id)
    coordinated = select(Woman.coordinator_user_id, Woman.id).where(Woman.stage != "closed")
    supported = select(SupportEpisode.named_worker_id, SupportEpisode.woman_id).where(
        SupportEpisode.status == "active"
    )
    for name, query in (("coordinated", coordinated), ("supported", supported)):
        for user_id, woman_id in await session.execute(query):
            if user_id is not None:
                cases[name][user_id].add(woman_id)
    users = await session.execute(
        select(User.id, User.role, User.organisation_id, User.active).where(
            User.role.in_(("social_worker", "advocate"))
        )
    )
    found: dict[str, list[Caseload]] = defaultdict(list)
    for user_id, role, org_id, active in users:
        area = orgs[org_id].area_code
        load = _caseload(user_id, role, org_id, cases, _guides(area))
        # Someone who has left but still holds cases is exactly what a lead must see.
        if active or load.total:
            found[area].append(load)
    for loads in found.values():
        loads.sort(key=lambda load: (-load.total, str(load.user_id)))
    return found


def _caseload(
    user_id: uuid.UUID,
    role: str,
    org_id: uuid.UUID,
    cases: dict[str, dict[uuid.UUID, set[uuid.UUID]]],
    guides: tuple[int, int],
) -> Caseload:
    if role == "advocate":
        count = len(cases["allocated"][user_id])
        figures = {"guide": guides[1], "allocations": count, "total": count}
    else:
        coordinated, supported = cases["coordinated"][user_id], cases["supported"][user_id]
        figures = {
            "guide": guides[0],
            "coordinated": len(coordinated),
            "support_episodes": len(supported),
            "total": len(coordinated | supported),
        }
    return Caseload(user_id=user_id, role=role, organisation_id=org_id, **figures)


def _area(
    code: str, tally: Tally, orgs: dict[uuid.UUID, Organisation], loads: dict[str, list[Caseload]]
) -> AreaCompliance:
    social_worker, advocate = _guides(code)
    people = loads.get(code, [])
    agencies = [
        AgencyCompliance(
            organisation_id=org_id,
            code=orgs[org_id].code,
            agency_kind=orgs[org_id].agency_kind,
            figures=tally.figures((code, org_id), complete=False),
        )
        for org_id in tally.agencies(code)
        if org_id in orgs
    ]
    return AreaCompliance(
        area=code,
        caseload_guide_social_worker=social_worker,
        caseload_guide_advocate=advocate,
        agencies=sorted(agencies, key=lambda agency: agency.code),
        caseloads=people,
        figures=tally.figures((code, None), complete=True),
    )
