"""An interpreter on her meeting: her preferred language (chosen by name on the referral form)
fills in the meeting form's interpreter; the choice is stored, shown on her record, gives her
worker a task to book one, and her notices and invitation say one will be there."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.helpers.planning import eventually, rows
from tests.pages.conftest import Browse
from tests.pages.flows import command, meeting_fields, refer, to_conference
from tests.pages.html import Doc
from waymark.db.models import Document, Meeting, Notice, Task

Sessions = async_sessionmaker[AsyncSession]
THERE = "An interpreter who speaks Polish will be there"


async def test_her_meeting_has_the_interpreter_her_language_needs(
    browse: Browse, sessions: Sessions, now: datetime
) -> None:
    sam = await browse("sam.social")
    form = await sam.page("/referrals/new")
    [polish] = [e for e in form.elements if e.tag == "option" and e.attrs.get("value") == "pl"]
    assert polish.text == "Polish"  # asked by name, kept as a code
    woman_id = await refer(sam, **{"woman.contact.language": "pl"})
    await to_conference(sam, woman_id, now)
    path = f"/women/{woman_id}/meetings/new"
    blank = await sam.page(path)
    [chosen] = [
        e
        for e in blank.elements
        if e.tag == "option" and "selected" in e.attrs and e.attrs.get("value") == "pl"
    ]
    assert chosen.text == "Polish"

    page = await command(sam, path, meeting_fields(now, 8, **{"details.interpreter": "pl"}))

    assert page.texts("meeting-interpreter") == ["Interpreter: Polish"]
    [meeting] = await rows(sessions, Meeting, woman_id=uuid.UUID(woman_id))
    assert meeting.interpreter == "pl"
    [task] = await rows(sessions, Task, woman_id=uuid.UUID(woman_id), kind="book_interpreter")
    assert task.title.startswith("Book an interpreter who speaks Polish for the ")
    async with sessions() as session:
        told = await session.scalar(
            select(Notice.summary).where(
                Notice.woman_id == uuid.UUID(woman_id),
                Notice.recipient_kind == "woman",
                Notice.kind == "meeting_scheduled",
            )
        )
    assert told is not None
    assert told.endswith(THERE)

    async def invited() -> bool:
        async with sessions() as session:
            html = await session.scalar(
                select(Document.html).where(
                    Document.woman_id == uuid.UUID(woman_id), Document.kind == "invitation_woman"
                )
            )
        return html is not None and f"{THERE}." in html

    await eventually(invited)


async def test_an_interpreter_not_on_the_list_is_refused_naming_the_field(
    browse: Browse, sessions: Sessions, now: datetime
) -> None:
    sam = await browse("sam.social")
    woman_id = await refer(sam)
    await to_conference(sam, woman_id, now)
    path = f"/women/{woman_id}/meetings/new"
    response = await sam.submit(path, meeting_fields(now, 8, **{"details.interpreter": "Polish"}))
    assert response.status_code == 422
    [error] = Doc(response.text).texts("error-details.interpreter")
    assert "the language of the interpreter" in error
    assert await rows(sessions, Meeting, woman_id=uuid.UUID(woman_id)) == []
