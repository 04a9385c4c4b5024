"""Bringing in women at the later stages: with a child protection plan, after the birth, and
after her baby was placed in care. Each comes in with the duties of her stage counted from her
real dates, a task for each already overdue and no notice about the past."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from temporalio.testing import WorkflowEnvironment

from forms.meeting import MeetingHeld, MeetingKind
from services.dropped import is_dropped
from services.onboard import importer
from services.onboard.run import Onboarding, run
from tests.helpers.pathway import actor_for
from tests.helpers.planning import eventually, meeting_at, schedule
from tests.onboard.test_onboard import Sessions, _parsed, _rows, _temporal, case, count, file_of
from waymark.db.models import AdvocateAllocation, Baby, Duty, Notice, SupportEpisode, Task
from waymark.localtime import today_in_uk
from workflows.conference import CaseConference
from workflows.pathway import WomanPathway, workflow_id


async def test_a_woman_with_a_plan_comes_in_with_its_duties_from_her_real_conference(
    context: Onboarding, sessions: Sessions
) -> None:
    today = today_in_uk()
    conferred = today - timedelta(days=100)
    row = case(
        1,
        stage="child_protection_plan",
        referral_on=(conferred - timedelta(days=30)).isoformat(),
        strategy_discussion_on=(conferred - timedelta(days=20)).isoformat(),
        conference_on=conferred.isoformat(),
    )
    unsaid = case(2, stage="child_protection_plan")
    backwards = case(
        3,
        stage="child_protection_plan",
        strategy_discussion_on=(today - timedelta(days=2)).isoformat(),
        conference_on=(today - timedelta(days=3)).isoformat(),
    )
    refused = await run(context, file_of([row, unsaid, backwards]), "lee.lead", today)
    problems = [(p.line, p.column) for p in refused.problems]
    assert problems == [(3, "conference_on"), (4, "conference_on")]
    report = await run(context, file_of([row]), "lee.lead", today)
    assert (report.brought_in, report.problems) == (1, [])
    [woman_id] = [importer.ids_for(r.case).woman for r in _parsed([row])]
    handle = _temporal(context).get_workflow_handle(workflow_id(woman_id))

    async def reviewing() -> bool:
        return (await handle.query(WomanPathway.state)).conference_id is not None

    await eventually(reviewing)
    state = await handle.query(WomanPathway.state)
    assert (state.stage.value, state.plan_made, state.last_conference_on) == (
        "child_protection_plan",
        True,
        conferred,
    )
    clocks = {c.deadline: c for c in state.clocks.values()}
    # Both counted from her real conference (Northmoor: 10 working days, 3 months): both past.
    core_group, first_review = clocks["first_core_group"], clocks["first_review"]
    assert conferred < core_group.due < first_review.due < today
    assert not {"conference_due", "prebirth_assessment"} & clocks.keys()
    review = _temporal(context).get_workflow_handle(f"conference-{state.conference_id}")
    review_state = await review.query(CaseConference.state)
    assert (review_state.kind.value, review_state.statutory_latest) == ("review", first_review.due)

    async def tasked() -> bool:
        return await count(sessions, Task, Task.kind == "overdue_on_arrival") == 2

    await eventually(tasked)
    tasks = await _rows(sessions, Task, Task.kind == "overdue_on_arrival")
    assert sorted(t.title.split(":")[0] for t in tasks) == [
        "First core group held",
        "Review conference held",
    ]
    assert await count(sessions, Notice) == 0
    # Overdue on arrival and their chains' steps past: the task chases each, then the sweep's
    # repeats carry it, so neither is "dropped" (nobody chasing) from the moment she arrives.
    now = datetime.now(UTC)
    overdue = await _rows(sessions, Duty, Duty.woman_id == woman_id, Duty.due_at <= now)
    assert len(overdue) == 2
    assert all(not is_dropped(d, now) and d.next_escalation_at > now for d in overdue)


async def test_a_woman_after_the_birth_comes_in_with_her_baby_and_postnatal_clocks(
    context: Onboarding, sessions: Sessions
) -> None:
    today = today_in_uk()
    born = today - timedelta(days=400)
    row = case(
        1,
        stage="postnatal",
        edd=born.isoformat(),
        referral_on=(born - timedelta(days=90)).isoformat(),
        born_on=born.isoformat(),
    )
    unsaid = case(2, stage="postnatal")
    refused = await run(context, file_of([row, unsaid]), "lee.lead", today)
    assert [(p.line, p.column) for p in refused.problems] == [(3, "born_on")]
    report = await run(context, file_of([row]), "lee.lead", today)
    assert (report.brought_in, report.problems) == (1, [])
    [woman_id] = [importer.ids_for(r.case).woman for r in _parsed([row])]

    async def recorded() -> bool:
        return await count(sessions, Baby, Baby.woman_id == woman_id) == 1

    await eventually(recorded)
    [baby] = await _rows(sessions, Baby, Baby.woman_id == woman_id)
    assert baby.born_at.date() == born
    handle = _temporal(context).get_workflow_handle(workflow_id(woman_id))

    async def planned() -> bool:
        return bool((await handle.query(WomanPathway.state)).clocks)

    await eventually(planned)
    state = await handle.query(WomanPathway.state)
    assert (state.stage.value, state.birth_on, len(state.babies)) == ("postnatal", born, 1)
    clocks = {c.deadline: c for c in state.clocks.values()}
    # Her support review is counted from the real birth (12 months in Northmoor): already past.
    assert born < clocks["postnatal_support_review"].due < today

    async def tasked() -> bool:
        return await count(sessions, Task, Task.kind == "overdue_on_arrival") == 1

    await eventually(tasked)
    assert await count(sessions, Notice) == 0


async def test_a_woman_whose_baby_is_in_care_comes_in_with_her_support_and_an_advocate(
    context: Onboarding, sessions: Sessions
) -> None:
    today = today_in_uk()
    born, placed = today - timedelta(days=60), today - timedelta(days=50)
    dates = {
        "stage": "baby_in_care",
        "edd": born.isoformat(),
        "referral_on": (born - timedelta(days=90)).isoformat(),
        "born_on": born.isoformat(),
    }
    kept = case(1, **dates, placed_on=placed.isoformat(), advocate="ava.advocate")
    found = case(2, **dates, placed_on=placed.isoformat())
    unsaid = case(3, **dates)
    backwards = case(4, **dates, placed_on=(born - timedelta(days=1)).isoformat())
    refused = await run(context, file_of([kept, found, unsaid, backwards]), "lee.lead", today)
    assert [(p.line, p.column) for p in refused.problems] == [(4, "placed_on"), (5, "placed_on")]
    report = await run(context, file_of([kept, found]), "lee.lead", today)
    assert (report.brought_in, report.problems) == (2, [])
    ids = [importer.ids_for(r.case).woman for r in _parsed([kept, found])]

    async def supported() -> bool:
        return await count(sessions, SupportEpisode, SupportEpisode.woman_id.in_(ids)) == 2

    async def allocated() -> bool:
        return await count(sessions, AdvocateAllocation, AdvocateAllocation.woman_id == ids[1]) > 0

    await eventually(supported)
    await eventually(allocated)
    for episode in await _rows(sessions, SupportEpisode):
        # Her own support runs from the real removal; a contact owed since is due now.
        assert (episode.removal_on, episode.next_contact_due) == (placed, today)
    babies = await _rows(sessions, Baby, Baby.woman_id.in_(ids))
    assert sorted(b.placement for b in babies) == ["care", "care"]
    [ava] = await _rows(sessions, AdvocateAllocation, AdvocateAllocation.woman_id == ids[0])
    assert (ava.ended_at, ava.status) == (None, "accepted")  # her advocate is kept
    for woman_id in ids:
        handle = _temporal(context).get_workflow_handle(workflow_id(woman_id))
        state = await handle.query(WomanPathway.state)
        assert (state.stage.value, state.mother_only) == ("baby_in_care", True)
        assert state.support_episode_id is not None

    async def tasked() -> bool:
        tasks = await _rows(sessions, Task, Task.kind == "overdue_on_arrival")
        return {t.woman_id for t in tasks} == set(ids)

    await eventually(tasked)
    # Nobody is told about a past deadline (her team has a task for each support referral
    # already overdue); her advocate is told of the removal, and advocates offered her case.
    kinds = {n.kind for n in await _rows(sessions, Notice)}
    assert kinds <= {"removal_alert", "advocate_offer"}


async def test_her_core_group_held_meets_the_clock_she_was_brought_in_with(
    context: Onboarding, sessions: Sessions, clock_env: WorkflowEnvironment
) -> None:
    today = today_in_uk()
    row = case(
        1,
        stage="child_protection_plan",
        referral_on=(today - timedelta(days=20)).isoformat(),
        conference_on=(today - timedelta(days=2)).isoformat(),
    )
    assert (await run(context, file_of([row]), "lee.lead", today)).brought_in == 1
    [woman_id] = [importer.ids_for(r.case).woman for r in _parsed([row])]
    handle = _temporal(context).get_workflow_handle(workflow_id(woman_id))

    async def planned() -> bool:
        return (await handle.query(WomanPathway.state)).conference_id is not None

    await eventually(planned)
    worker = await actor_for(sessions, "sam.social")
    now = await clock_env.get_current_time()
    details = meeting_at(now, 1, any_day=True)
    receipt = await handle.execute_update(
        WomanPathway.schedule_meeting, schedule(MeetingKind.CORE_GROUP, details, worker)
    )
    await clock_env.sleep(details.starts_at - now + timedelta(hours=2))
    await handle.execute_update(
        WomanPathway.record_meeting_held, MeetingHeld(meeting_id=receipt.meeting_id, actor=worker)
    )
    state = await handle.query(WomanPathway.state)
    clocks = {c.deadline: c.status.value for c in state.clocks.values()}
    assert clocks == {"first_core_group": "met", "first_review": "pending"}
