"""Every workflow.patched(...) id in workflows/ is taken by at least one saved history, so the
replay tests (tests/workflows/test_replay.py, tests/advocacy/test_replay.py) replay the patched
path as well as the runs recorded before it. And the histories that take the newer patches, and a
reopened case's new run, recorded here with WAYMARK_RECORD_HISTORIES=1."""

from __future__ import annotations

import base64
import json
import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from forms.meeting import MeetingKind
from forms.pathway import ReopenCase, ScreeningCommand, ScreeningDecision
from forms.prebirth import RecordStrategyDiscussion, StrategyOutcome
from forms.support import ContactKind, RecordContact
from rules.uktime import uk_date
from tests.advocacy.support import org_id
from tests.helpers.birth import born, removed
from tests.helpers.pathway import actor_for, pathway_input, start_pathway
from tests.helpers.planning import meeting_at, schedule
from waymark.settings import Settings
from waymark.temporal.reopen import start_reopened_run
from waymark.temporal.worker import build_worker
from workflows.pathway import WomanPathway
from workflows.support import MotherSupport, episode_id_for

ROOT = Path(__file__).parents[2]
HISTORIES = [ROOT / "tests" / "workflows" / "histories", ROOT / "tests" / "advocacy" / "histories"]
RECORDING = os.environ.get("WAYMARK_RECORD_HISTORIES") == "1"
PATCH_CALL = re.compile(r"""workflow\.patched\(\s*(?:"([^"]+)"|([A-Z_]+))\s*\)""")
CONSTANT = re.compile(r"""^([A-Z_]+)\s*=\s*"([^"]+)"\s*$""", re.MULTILINE)


def patch_ids() -> set[str]:
    """Every id passed to workflow.patched in workflows/ (literally or by its constant)."""
    sources = [path.read_text() for path in (ROOT / "workflows").rglob("*.py")]
    constants = dict(match for text in sources for match in CONSTANT.findall(text))
    found = {
        literal or constants[name] for text in sources for literal, name in PATCH_CALL.findall(text)
    }
    return found


def taken_patches(path: Path) -> set[str]:
    """The patch ids a saved history took (its core_patch markers)."""
    taken = set()
    for event in json.loads(path.read_text())["events"]:
        marker = event.get("markerRecordedEventAttributes")
        if not marker or marker.get("markerName") != "core_patch":
            continue
        for payloads in marker.get("details", {}).values():
            for payload in payloads.get("payloads", []):
                taken.add(json.loads(base64.b64decode(payload["data"]))["id"])
    return taken


def test_every_patch_is_taken_by_a_saved_history() -> None:
    ids = patch_ids()
    assert len(ids) >= 11, ids  # the scan itself works
    taken = set().union(*(taken_patches(p) for f in HISTORIES for p in f.glob("*.json")))
    assert sorted(ids - taken) == []


@pytest.mark.skipif(not RECORDING, reason="set WAYMARK_RECORD_HISTORIES=1 to record")
@pytest.mark.usefixtures("demo", "worker")
async def test_record_reopened_case_with_a_chosen_invitee(
    temporal_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    """No further action closes her case; reopened (a new run from its state), she is screened
    again and a planning meeting names an agency to invite as well (meeting-also-invite)."""
    referrer = await actor_for(sessions, "mia.midwife")
    social_worker = await actor_for(sessions, "sam.social")
    closed = await start_pathway(temporal_env.client, task_queue, pathway_input(referrer))
    await closed.execute_update(
        WomanPathway.record_screening,
        ScreeningCommand(
            decision=ScreeningDecision.NO_FURTHER_ACTION, reason="Recorded", actor=social_worker
        ),
    )
    await closed.result()
    reopen = ReopenCase(reason="New concerns from her midwife", actor=social_worker)
    handle = await start_reopened_run(temporal_env.client, task_queue, closed, reopen)
    await handle.execute_update(WomanPathway.confirm_reopen)
    await handle.execute_update(
        WomanPathway.record_screening,
        ScreeningCommand(
            decision=ScreeningDecision.PRE_BIRTH_ASSESSMENT, reason="Recorded", actor=social_worker
        ),
    )
    now = await temporal_env.get_current_time()
    recovery = await org_id(sessions, "northmoor-recovery")
    await handle.execute_update(
        WomanPathway.schedule_meeting,
        schedule(MeetingKind.PLANNING, meeting_at(now, 10), social_worker, also_invite=[recovery]),
    )
    history = await handle.fetch_history()
    path = HISTORIES[0] / "pathway_reopened_then_meeting_with_chosen_invitee.json"
    path.write_text(history.to_json())


@pytest.mark.skipif(not RECORDING, reason="set WAYMARK_RECORD_HISTORIES=1 to record")
@pytest.mark.usefixtures("demo")
async def test_record_support_contact_with_its_note(
    clock_env: WorkflowEnvironment,
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    """After a removal, her worker's contact is kept with its note (support-contact-note)."""
    queue = settings.temporal_task_queue
    midwife = await actor_for(sessions, "mia.midwife")
    worker = await actor_for(sessions, "sam.social")
    async with build_worker(clock_env.client, sessions, queue, settings):
        pathway = await start_pathway(clock_env.client, queue, pathway_input(midwife))
        babies = await born(pathway, midwife, await clock_env.get_current_time())
        await removed(pathway, worker, babies[0].baby_id)
        state = await pathway.query(WomanPathway.state)
        episode = clock_env.client.get_workflow_handle(episode_id_for(state.woman_id, 1))
        today = uk_date(await clock_env.get_current_time())
        await episode.execute_update(
            MotherSupport.record_contact,
            RecordContact(
                on=today,
                kind=ContactKind.PHONE,
                note="She asked about contact",
                actor=worker,
            ),
        )
        await clock_env.sleep(timedelta(hours=1))
        history = await episode.fetch_history()
        (HISTORIES[0] / "support_contact_with_note.json").write_text(history.to_json())


@pytest.mark.skipif(not RECORDING, reason="set WAYMARK_RECORD_HISTORIES=1 to record")
@pytest.mark.usefixtures("demo", "worker")
async def test_record_assessment_only_after_a_strategy_discussion(
    temporal_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    """A strategy discussion that decides on an assessment only moves her back to the pre-birth
    assessment (pathway-assessment-only-stage). The same run recorded before the patch, which
    stayed at the strategy discussion, is kept as pathway_assessment_only_before_the_move."""
    referrer = await actor_for(sessions, "mia.midwife")
    social_worker = await actor_for(sessions, "sam.social")
    handle = await start_pathway(temporal_env.client, task_queue, pathway_input(referrer))
    await handle.execute_update(
        WomanPathway.record_screening,
        ScreeningCommand(
            decision=ScreeningDecision.STRATEGY_DISCUSSION, reason="Recorded", actor=social_worker
        ),
    )
    today = uk_date(await temporal_env.get_current_time())
    await handle.execute_update(
        WomanPathway.record_strategy_discussion,
        RecordStrategyDiscussion(
            held_on=today, outcome=StrategyOutcome.ASSESSMENT_ONLY, actor=social_worker
        ),
    )
    history = await handle.fetch_history()
    path = HISTORIES[0] / "pathway_assessment_only_then_assessment.json"
    path.write_text(history.to_json())
