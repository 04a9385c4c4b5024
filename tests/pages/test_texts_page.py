"""The page for texts nobody could match: staff read them (safely escaped) and say whose they
are; the same path as the API, so her record and her response clock follow."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.helpers.planning import rows
from tests.pages.conftest import Browse
from tests.pages.flows import refer
from tests.pages.html import Doc
from waymark.db.models import ContactRequest, TimelineEvent

Sessions = async_sessionmaker[AsyncSession]
WORDS = "New phone <script>alert(1)</script> call me"


async def _unmatched(sessions: Sessions) -> uuid.UUID:
    row = ContactRequest(
        external_id=str(uuid.uuid4()),
        received_at=datetime.now(UTC),
        via="sms",
        note=WORDS,
        status="open",
    )
    async with sessions() as session, session.begin():
        session.add(row)
    return row.id


async def test_a_social_worker_matches_a_text_to_a_woman_on_her_caseload(
    browse: Browse, sessions: Sessions
) -> None:
    sam = await browse("sam.social")
    woman_id = await refer(sam)
    text_id = await _unmatched(sessions)

    doc = await sam.page("/texts")
    assert doc.texts("text-words") == [WORDS]  # shown as words, never as markup
    assert sam.last is not None
    assert "<script>alert(1)</script>" not in sam.last.text
    path, action = "/texts", f"/texts/{text_id}/match"

    blank = await sam.submit(path, {"woman_id": ""}, form_action=action)
    assert blank.status_code == 422
    assert Doc(blank.text).texts("error-woman_id") == ["Error: Choose the woman who sent this text"]
    [request] = await rows(sessions, ContactRequest)
    assert request.woman_id is None

    done = await sam.submit(path, {"woman_id": woman_id}, form_action=action)
    assert done.status_code == 303, done.text[:500]
    her_page = await sam.page(done.headers["location"])
    assert her_page.texts("notification") == [
        "Her text is on her record. Her worker has been asked to respond."
    ]
    [request] = await rows(sessions, ContactRequest)
    assert str(request.woman_id) == woman_id
    assert await rows(sessions, TimelineEvent, kind="contact_requested")
    assert (await sam.page("/texts")).texts("no-texts")


async def test_only_staff_who_may_see_her_can_match_and_only_triagers_see_texts(
    browse: Browse, sessions: Sessions
) -> None:
    sam = await browse("sam.social")
    woman_id = await refer(sam)
    text_id = await _unmatched(sessions)
    midwife = await browse("mia.midwife")
    await midwife.page("/texts", status=403)
    iona = await browse("iona.social")  # Glenbrae: sam's woman is not in her care
    response = await iona.submit(
        "/texts", {"woman_id": woman_id}, form_action=f"/texts/{text_id}/match"
    )
    assert response.status_code == 404
    [request] = await rows(sessions, ContactRequest)
    assert request.woman_id is None
    lead = await browse("lee.lead")
    assert (await lead.page("/texts")).texts("text-words") == [WORDS]
