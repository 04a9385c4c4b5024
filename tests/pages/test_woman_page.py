"""The woman's page and its commands: the same Updates as the API, shown back on her page."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from rules.uktime import uk_date
from tests.helpers.planning import evening_of, eventually, meeting_day
from tests.pages.conftest import Browse
from tests.pages.flows import birth_fields, command, meeting_fields, refer, to_conference
from tests.pages.html import Doc
from waymark.db.models import Organisation


async def test_screening_and_strategy_discussion_move_her_stage_and_set_deadlines(
    browse: Browse, now: datetime
) -> None:
    sam = await browse("sam.social")
    woman_id = await refer(sam)
    doc = await to_conference(sam, woman_id, now)
    assert doc.texts("notification") == ["The strategy discussion is recorded."]
    [stage] = doc.by_testid("stage")
    assert stage.attrs["data-stage"] == "conference"
    deadlines = doc.texts("deadline-row")
    assert any("conference" in d.lower() for d in deadlines), deadlines
    assert any(
        "Screening decision" in t or "screen" in t.lower() for t in doc.texts("timeline-entry")
    )


async def test_a_refused_decision_comes_back_on_the_form(browse: Browse) -> None:
    sam = await browse("sam.social")
    woman_id = await refer(sam)
    response = await sam.submit(f"/women/{woman_id}/screening", {"decision": "early_help"})
    assert response.status_code == 422
    assert Doc(response.text).texts("error-reason") == ["Error: Enter the reason for your decision"]
    await command(
        sam, f"/women/{woman_id}/screening", {"decision": "early_help", "reason": "Support"}
    )
    doc = await sam.page(f"/women/{woman_id}/screening")
    # Early help can only be escalated: de-escalating is not offered.
    options = [e.attrs["value"] for e in doc.elements if e.attrs.get("name") == "decision"]
    assert "no_further_action" not in options
    assert "strategy_discussion" in options


async def test_meetings_are_scheduled_moved_and_cancelled_and_everyone_is_told(
    browse: Browse, now: datetime
) -> None:
    sam = await browse("sam.social")
    woman_id = await refer(sam)
    await to_conference(sam, woman_id, now)
    base = f"/women/{woman_id}"
    doc = await command(sam, f"{base}/meetings/new", meeting_fields(now, 8))
    assert doc.texts("notification")[0].startswith("The meeting is scheduled")
    [row] = doc.by_testid("meeting-row")
    assert "Family Centre" in doc.texts("meeting-row")[0]
    notices = doc.texts("notice-row")
    assert any(n.startswith("Her ") for n in notices), notices
    assert any("Northmoor Maternity Service" in n for n in notices), notices
    # What is due next: the meeting's next reminder, its later ones folded under it.
    [due] = doc.texts("due-row")
    assert "reminder" in due.lower() or "meeting" in due.lower()
    [folded] = doc.by_testid("later-reminders")
    assert len(doc.by_testid("later-row")) >= 2
    assert "later messages about this meeting" in folded.text
    assert all("reminder" not in n.lower() for n in notices)  # no future reminder among the sent
    meeting_id = row.attrs["data-meeting-id"]
    later = (uk_date(now) + timedelta(days=9)).isoformat()
    doc = await command(
        sam,
        f"{base}/meetings/{meeting_id}/change",
        {"details.starts_at": later, "details.venue.name": "Town Hall"},
    )
    assert doc.texts("notification")[0].startswith("The meeting is moved")
    assert "Town Hall" in doc.texts("meeting-row")[0]
    assert any("rescheduled" in n for n in doc.texts("notice-row"))
    doc = await command(
        sam, f"{base}/meetings/{meeting_id}/cancel", {"reason": "The chair is unwell"}
    )
    [row] = doc.by_testid("meeting-row")
    assert row.attrs["data-status"] == "cancelled"
    assert "The chair is unwell" in doc.texts("meeting-row")[0]


async def test_a_meeting_in_person_needs_a_venue(browse: Browse, now: datetime) -> None:
    sam = await browse("sam.social")
    woman_id = await refer(sam)
    response = await sam.submit(
        f"/women/{woman_id}/meetings/new",
        meeting_fields(now, 8, **{"details.venue.name": "", "kind": "planning_meeting"}),
    )
    assert response.status_code == 422
    doc = Doc(response.text)
    assert "venue" in doc.texts("error-details.venue.name")[0]


async def test_the_midwife_records_the_birth_and_the_social_worker_a_removal(
    browse: Browse, now: datetime
) -> None:
    mia = await browse("mia.midwife")
    woman_id = await refer(mia)
    base = f"/women/{woman_id}"
    her = await mia.page(base)
    assert her.by_testid("action-birth")
    doc = await command(
        mia,
        f"{base}/birth",
        birth_fields(now, gestation_weeks="38", exposure="opioids_or_polydrug"),
    )
    assert doc.texts("notification")[0].startswith("The birth is recorded")
    sam = await browse("sam.social")
    her = await sam.page(base)
    [baby] = her.by_testid("baby-row")
    placement = her.by_testid("action-placement")[0].attrs["href"]
    doc = await command(
        sam,
        placement,
        {
            "placement": "care",
            "legal_basis": "emergency_protection_order",
            "reason": "An emergency protection order was granted today",
        },
    )
    [stage] = doc.by_testid("stage")
    assert stage.attrs["data-stage"] == "baby_in_care"
    assert doc.by_testid("baby-row")[0].attrs["data-placement"] == "care"

    async def support_shown() -> bool:
        return bool((await sam.page(base)).texts("support-status"))

    await eventually(support_shown)


async def test_a_placement_in_care_needs_its_legal_basis(browse: Browse, now: datetime) -> None:
    sam = await browse("sam.social")
    woman_id = await refer(sam)
    base = f"/women/{woman_id}"
    await command(
        sam,
        f"{base}/birth",
        birth_fields(now),
    )
    placement = (await sam.page(base)).by_testid("action-placement")[0].attrs["href"]
    response = await sam.submit(placement, {"placement": "care", "reason": "Court order"})
    assert response.status_code == 422
    assert "legal basis" in " ".join(Doc(response.text).texts("error-summary"))


async def test_the_chair_records_the_conference_outcome_after_the_meeting(
    browse: Browse, now: datetime, clock_env: WorkflowEnvironment
) -> None:
    mia = await browse("mia.midwife")
    woman_id = await refer(mia)
    sam = await browse("sam.social")
    base = f"/women/{woman_id}"
    await to_conference(sam, woman_id, now)
    await command(sam, f"{base}/meetings/new", meeting_fields(now, 8))

    async def scheduled() -> bool:
        rows = (await sam.page(base)).by_testid("conference-row")
        return [r.attrs["data-phase"] for r in rows] == ["scheduled"]

    await eventually(scheduled)
    await evening_of(clock_env, meeting_day(now, 8))
    outcome = next(
        e.attrs["href"]
        for e in (await sam.page(base)).elements
        if e.attrs.get("href", "").endswith("/outcome")
    )
    doc = await command(
        sam,
        outcome,
        {
            "attended_agencies": ["children_social_care", "maternity", "drug_treatment"],
            "woman_attended": "yes",
            "advocate_attended": "no",
            "plan": "yes",
            "category": "neglect",
        },
    )
    assert doc.texts("notification") == ["The conference outcome is recorded."]

    async def decided() -> bool:
        her = await sam.page(base)
        return her.by_testid("stage")[0].attrs["data-stage"] == "child_protection_plan"

    await eventually(decided)


async def test_a_meeting_invites_the_agencies_chosen_as_well_and_only_those_in_her_area(
    browse: Browse, now: datetime, sessions: async_sessionmaker[AsyncSession]
) -> None:
    sam = await browse("sam.social")
    woman_id = await refer(sam)
    await to_conference(sam, woman_id, now)
    async with sessions() as session:
        ids = dict((await session.execute(select(Organisation.code, Organisation.id))).all())
    path = f"/women/{woman_id}/meetings/new"
    form = await sam.page(path)
    labels = " ".join(e.text for e in form.elements if e.tag == "label")
    assert "Northmoor Safeguarding Partnership" in labels
    assert "Glenbrae" not in labels
    elsewhere = meeting_fields(now, 8, also_invite=str(ids["glenbrae-sw"]))
    response = await sam.submit(path, elsewhere)
    assert response.status_code == 422
    assert sam.doc().texts("error-also_invite") == ["Error: Choose only agencies in her area"]
    chosen = str(ids["northmoor-safeguarding"])
    doc = await command(sam, path, meeting_fields(now, 8, also_invite=chosen))
    assert any("Northmoor Safeguarding Partnership" in n for n in doc.texts("notice-row"))
    meeting_id = doc.by_testid("meeting-row")[0].attrs["data-meeting-id"]
    change = await sam.page(f"/women/{woman_id}/meetings/{meeting_id}/change")
    ticked = change.form(f"/women/{woman_id}/meetings/{meeting_id}/change").fields["also_invite"]
    assert chosen in ticked


async def test_every_core_group_after_the_first_is_recorded_as_held_on_its_own_page(
    browse: Browse, now: datetime, clock_env: WorkflowEnvironment
) -> None:
    sam = await browse("sam.social")
    woman_id = await refer(sam)
    base = f"/women/{woman_id}"
    await to_conference(sam, woman_id, now)
    doc = await command(sam, f"{base}/meetings/new", meeting_fields(now, 8, kind="core_group"))
    meeting_id = doc.by_testid("meeting-row")[0].attrs["data-meeting-id"]
    path = f"{base}/meetings/{meeting_id}/held"
    page = await sam.page(path)
    assert page.h1() == ["Record that the meeting took place"]
    early = await sam.submit(path, {})
    assert early.status_code == 409
    assert "The meeting has not started yet" in " ".join(sam.doc().texts("error-summary"))
    await evening_of(clock_env, meeting_day(now, 8))
    doc = await command(sam, path, {})
    assert doc.texts("notification") == ["The meeting is recorded as held."]
    [row] = doc.by_testid("meeting-row")
    assert row.attrs["data-status"] == "held"
    assert (await (await browse("mia.midwife")).get(path)).status_code == 403
