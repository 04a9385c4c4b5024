"""A woman in Glenbrae (Scotland) reads Scotland's words on her record and its forms: an
Inter-agency Referral Discussion (IRD), a child protection planning meeting, the child protection
register, a Children's Hearing; never England's (a strategy discussion, a conference, a child
protection plan, a court hearing), and no pre-proceedings meeting, an England-only process, is
offered or taken."""

from __future__ import annotations

import html
import re
import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.pages.conftest import Browse
from tests.pages.flows import command, meeting_fields, refer
from waymark.db.models import Conference
from workflows.rules.uktime import uk_date

Sessions = async_sessionmaker[AsyncSession]

# England's words a page about a woman in Scotland must not use.
ENGLISH_ONLY = re.compile(
    r"strategy discussion|\bconferences?\b|child protection plan\b|court hearing|"
    r"pre-proceedings|public law outline",
    re.IGNORECASE,
)


def visible_text(page: str) -> str:
    """What a person reads in the page's main content (tags, scripts and styles left out)."""
    main = page[page.find("<main") : page.rfind("</main>")]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.DOTALL)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def english_words(page: str) -> list[str]:
    return sorted({found.group(0).lower() for found in ENGLISH_ONLY.finditer(visible_text(page))})


async def test_her_record_and_forms_in_glenbrae_use_scotlands_words(
    browse: Browse, sessions: Sessions, now: datetime
) -> None:
    iona = await browse("iona.social")
    woman_id = await refer(iona, area="glenbrae", **{"woman.address.postcode": "G12 8QQ"})
    base = f"/women/{woman_id}"

    screening = (await iona.get(f"{base}/screening")).text
    assert "Inter-agency Referral Discussion (IRD)" in visible_text(screening)
    assert english_words(screening) == []

    await command(
        iona, f"{base}/screening", {"decision": "strategy_discussion", "reason": "Concerns"}
    )
    caseload = (await iona.get("/caseload")).text  # her stage, in the reader's words
    assert "Inter-agency Referral Discussion (IRD)" in visible_text(caseload)
    assert english_words(caseload) == []
    strategy = (await iona.get(f"{base}/strategy-discussion")).text
    assert "Record the Inter-agency Referral Discussion (IRD)" in visible_text(strategy)
    assert english_words(strategy) == []
    await command(
        iona,
        f"{base}/strategy-discussion",
        {"held_on": uk_date(now).isoformat(), "outcome": "conference"},
    )
    meeting_form = (await iona.get(f"{base}/meetings/new")).text
    kinds = [e.attrs.get("value") for e in iona.doc().elements if e.tag == "option"]
    assert "pre_proceedings" not in kinds
    assert {"conference", "court_hearing"} <= set(kinds)
    assert "Children's Hearing" in visible_text(meeting_form)
    assert "Child protection planning meeting" in visible_text(meeting_form)
    assert english_words(meeting_form) == []

    await command(iona, f"{base}/meetings/new", meeting_fields(now, 8, kind="conference"))
    record = (await iona.get(base)).text
    text = visible_text(record)
    for scottish in (
        "Inter-agency Referral Discussion (IRD)",
        "Inter-agency referral discussion (IRD) held",
        "Child protection planning meeting",
        "Pre-birth child protection planning meeting held",
    ):
        assert scottish in text, scottish
    assert english_words(record) == []
    async with sessions() as session:
        conference = await session.scalar(
            select(Conference.id).where(Conference.woman_id == uuid.UUID(woman_id))
        )
    outcome = (await iona.get(f"{base}/conferences/{conference}/outcome")).text
    assert "child protection register" in visible_text(outcome)
    assert english_words(outcome) == []


async def test_a_pre_proceedings_meeting_is_refused_in_scotland_naming_the_field(
    browse: Browse, now: datetime
) -> None:
    iona = await browse("iona.social")
    woman_id = await refer(iona, area="glenbrae", **{"woman.address.postcode": "G12 8QQ"})
    base = f"/women/{woman_id}"
    before = visible_text((await iona.get(base)).text)
    response = await iona.submit(
        f"{base}/meetings/new", meeting_fields(now, 8, kind="pre_proceedings")
    )
    assert response.status_code == 422, response.status_code
    assert (
        "a pre-proceedings meeting is part of England's Public Law Outline; in Scotland a "
        "Children's Hearing decides" in visible_text(response.text)
    )
    assert visible_text((await iona.get(base)).text) == before
