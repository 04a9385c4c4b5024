"""Her voice after meetings on the pages: the form her link opens (no sign-in, once only), her
answer on her record for her social worker and advocate, and the lead's counts without names."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.feedback import token_hash
from tests.delivery.conftest import NOW, add_meeting, add_woman
from tests.helpers.planning import rows
from tests.pages.browser import Browser
from tests.pages.conftest import Browse
from waymark.db.models import AuditEvent, MeetingFeedback

Sessions = async_sessionmaker[AsyncSession]
TOKEN = "a-test-link-token-that-is-long-enough"


async def asked(sessions: Sessions) -> uuid.UUID:
    woman = await add_woman(sessions)
    meeting = await add_meeting(sessions, woman, status="held")
    async with sessions() as session, session.begin():
        session.add(
            MeetingFeedback(
                woman_id=woman,
                meeting_id=meeting,
                area_code="northmoor",
                asked_at=NOW,
                token_hash=token_hash(TOKEN),
            )
        )
    return woman


async def test_her_answer_by_the_form_lands_on_her_record_once(
    anonymous: Browser, browse: Browse, sessions: Sessions
) -> None:
    woman = await asked(sessions)
    form = await anonymous.get(f"/feedback/{TOKEN}")
    assert form.status_code == 200
    assert "Jane" not in form.text
    assert "Example" not in form.text
    bad = await anonymous.submit(f"/feedback/{TOKEN}", {"went": "marvellous"})
    assert bad.status_code == 422
    assert (await rows(sessions, MeetingFeedback, woman_id=woman))[0].status == "asked"
    sent = await anonymous.submit(
        f"/feedback/{TOKEN}",
        {"went": "not_well", "understood": "no", "would_help": "An interpreter, please"},
    )
    assert sent.status_code == 200, sent.text[:500]
    assert anonymous.doc().texts("thanked") == ["Thank you"]
    [row] = await rows(sessions, MeetingFeedback, woman_id=woman)
    assert (row.status, row.went, row.understood, row.via) == (
        "answered",
        "not_well",
        False,
        "form",
    )
    assert row.would_help == "An interpreter, please"
    assert row.token_hash is None
    assert any(a.action == "receive_feedback" for a in await rows(sessions, AuditEvent))
    # The link works once.
    used = await anonymous.page(f"/feedback/{TOKEN}", status=404)
    assert used.texts("link-used") == ["This link no longer works"]

    sam = await browse("sam.social")
    [view] = (await sam.page(f"/women/{woman}")).texts("her-view")
    assert "It did not go well" in view
    assert "An interpreter, please" in view
    mia = await browse("mia.midwife")
    mia_page = await mia.get(f"/women/{woman}")
    assert "An interpreter, please" not in mia_page.text


async def test_the_lead_sees_her_areas_answers_as_counts_without_names(
    anonymous: Browser, browse: Browse, sessions: Sessions
) -> None:
    await asked(sessions)
    await anonymous.submit(f"/feedback/{TOKEN}", {"went": "well", "understood": "yes"})
    lee = await browse("lee.lead")
    doc = await lee.page("/lead/compliance")
    [table] = doc.texts("her-views")
    assert "Answered, of those asked1 of 1" in table
    assert "It went well1" in table
    assert "It did not go well0" in table
    assert "Jane" not in (lee.last.text if lee.last else "Jane")
