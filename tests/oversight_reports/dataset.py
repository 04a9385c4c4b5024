"""A small hand-built dataset for the compliance figures; the expected numbers are in the tests.

As at 1 March 2027, 12:00 (GMT, so UK days are UTC days). Northmoor has four women (W1-W3, W5)
and Glenbrae one (W4).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from tests.oversight_reports import rows
from tests.oversight_reports.rows import at
from waymark.db.models import AgencyReport, Conference, Meeting, TimelineEvent, Woman

NOW = at("2027-03-01", 12)


@dataclass
class Dataset:
    women: dict[str, Woman] = field(default_factory=dict)
    users: dict[str, uuid.UUID] = field(default_factory=dict)
    orgs: dict[str, uuid.UUID] = field(default_factory=dict)
    # A future core group meeting: the advocates' notices are about it.
    meeting: Meeting | None = None


async def build(session: AsyncSession) -> Dataset:
    """Every row the compliance tests count (the demo people must be seeded first)."""
    data = Dataset()
    for name in ("sam.social", "iona.social", "mia.midwife", "ava.advocate", "ben.advocate"):
        data.users[name] = await rows.user_id(session, name)
    for name in ("nadia.advocate", "kirsty.advocate"):
        data.users[name] = await rows.user_id(session, name)
    for code in ("northmoor-maternity", "northmoor-recovery", "glenbrae-maternity"):
        data.orgs[code] = await rows.org_id(session, code)
    sam = data.users["sam.social"]
    data.women["W1"] = await rows.woman(session, coordinator_user_id=sam, stage="conference")
    data.women["W2"] = await rows.woman(session, coordinator_user_id=sam, stage="baby_in_care")
    data.women["W3"] = await rows.woman(session, coordinator_user_id=sam, stage="closed")
    data.women["W5"] = await rows.woman(session, stage="postnatal")
    data.women["W4"] = await rows.woman(
        session,
        team="glenbrae-sw",
        area_code="glenbrae",
        coordinator_user_id=data.users["iona.social"],
    )
    await _conferences(session, data)
    await _advocacy(session, data)
    _acknowledgements(session, data)
    return data


async def _conferences(session: AsyncSession, data: Dataset) -> None:
    """C1 met by its date (decided later), C2 late, C3 on the day, C4 overdue, C5 not yet due."""
    w1, w2, w4 = data.women["W1"], data.women["W2"], data.women["W4"]
    c1 = rows.conference(w1, statutory_latest=date(2027, 2, 10), decided_at=at("2027-02-12"))
    c2 = rows.conference(w2, statutory_latest=date(2027, 1, 20), decided_at=at("2027-01-25"))
    c3 = rows.conference(w1, statutory_latest=date(2027, 2, 20), decided_at=at("2027-02-20", 23))
    c4 = rows.conference(w2, statutory_latest=date(2027, 2, 25))
    c5 = rows.conference(w1, statutory_latest=date(2027, 3, 10), phase="to_schedule")
    c6 = rows.conference(w2, statutory_latest=date(2027, 1, 1), phase="cancelled")
    c7 = rows.conference(w4, statutory_latest=date(2027, 2, 1), decided_at=at("2027-01-30"))
    c8 = rows.conference(w1, decided_at=at("2027-01-30"))  # no latest date: not counted
    session.add_all([c1, c2, c3, c4, c5, c6, c7, c8])
    await session.flush()
    session.add_all(
        [
            # Inquorate, then held: it met on the 9th, in time; decided on the 12th.
            rows.meeting(
                w1, at("2027-02-05"), conference_id=c1.id, status="inquorate", short_notice=True
            ),
            rows.meeting(w1, at("2027-02-09"), conference_id=c1.id, status="held"),
            rows.meeting(w2, at("2027-01-22"), conference_id=c2.id, status="held"),
            rows.meeting(w2, at("2027-03-05"), status="cancelled", short_notice=True),
        ]
    )
    data.meeting = rows.meeting(w1, at("2027-03-20"), kind="core_group")
    session.add(data.meeting)
    await session.flush()
    _reports(session, data, c1, c2, c7)


def _reports(
    session: AsyncSession, data: Dataset, c1: Conference, c2: Conference, c7: Conference
) -> None:
    """Northmoor: maternity on time twice, drug service late once; Glenbrae: one late."""
    for conference, org, late in (
        (c1, "northmoor-maternity", False),
        (c1, "northmoor-recovery", True),
        (c2, "northmoor-maternity", False),
        (c7, "glenbrae-maternity", True),
    ):
        session.add(
            AgencyReport(
                conference_id=conference.id,
                organisation_id=data.orgs[org],
                author_user_id=data.users["mia.midwife"],
                summary="report",
                submitted_at=at("2027-01-15"),
                late=late,
            )
        )


async def _advocacy(session: AsyncSession, data: Dataset) -> None:
    """Offers answered in 2 h, 4 h and 1 h (one declined); removals 0.5 h, 13 h, none; 0 h."""
    u, w = data.users, data.women
    offers = (
        ("W1", "ava.advocate", at("2027-01-10"), at("2027-01-10", 12), "accepted", None),
        ("W2", "ben.advocate", at("2027-01-05", 9), at("2027-01-05", 13), "ended",
         at("2027-01-20")),
        ("W2", "nadia.advocate", at("2027-02-01"), at("2027-02-01", 11), "accepted", None),
        ("W3", "ava.advocate", at("2027-01-01"), at("2027-01-01", 13), "declined",
         at("2027-01-01", 13)),
    )  # fmt: skip
    for her, advocate, offered, responded, status, ended in offers:
        session.add(
            rows.allocation(w[her], u[advocate], offered_at=offered, responded_at=responded,
                            status=status, ended_at=ended)
        )  # fmt: skip
    # Allocated directly (no offer): counts for caseload, not for acceptance times.
    session.add(rows.allocation(w["W5"], u["ava.advocate"], started_at=at("2027-01-03")))
    session.add(rows.allocation(w["W4"], u["kirsty.advocate"], started_at=at("2027-01-02")))
    session.add_all(
        [rows.episode(w["W2"], u["sam.social"]), rows.episode(w["W3"], u["sam.social"])]
    )
    for her, removed_at in (
        ("W1", at("2027-02-15")),
        ("W2", at("2027-01-31", 22)),
        ("W3", at("2027-02-20")),
        ("W4", at("2027-02-01")),
    ):
        session.add(_removal(w[her], removed_at))
    assert data.meeting is not None
    for sent in (at("2027-02-14"), at("2027-02-15", 10) + timedelta(minutes=30)):
        alert = rows.notice(data.meeting, f"staff:{u['ava.advocate']}", "removal_alert", sent)
        alert.meeting_id = None
        session.add(alert)


def _removal(her: Woman, removed_at: datetime) -> TimelineEvent:
    return TimelineEvent(
        event_key=f"{her.id}:removal",
        woman_id=her.id,
        kind="baby_placed_in_care",
        occurred_at=removed_at,
        summary="Her baby was placed in care",
    )


def _acknowledgements(session: AsyncSession, data: Dataset) -> None:
    """Advocates' notices: acknowledged in 6 h (in time), 48 h (late) and 1 h (no due time);
    one never acknowledged and overdue; one not acknowledged but not yet due."""
    u, meeting = data.users, data.meeting
    assert meeting is not None
    for who, sent, acknowledged, due in (
        ("ava.advocate", at("2027-02-01", 9), at("2027-02-01", 15), at("2027-02-02", 9)),
        ("ava.advocate", at("2027-02-03", 9), at("2027-02-05", 9), at("2027-02-04", 9)),
        ("nadia.advocate", at("2027-02-10", 9), None, at("2027-02-11", 9)),
        ("nadia.advocate", at("2027-02-28", 9), None, at("2027-03-02", 9)),
        ("ben.advocate", at("2027-02-20", 9), at("2027-02-20", 10), None),
    ):
        session.add(
            rows.notice(
                meeting,
                f"advocate:{u[who]}",
                "meeting_scheduled",
                sent,
                status="delivered",
                acknowledged_at=acknowledged,
                ack_due_at=due,
            )
        )
