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
from temporalio.testing import WorkflowEnvironment

from rules.uktime import uk_date
from tests.helpers.planning import evening_of, eventually, meeting_day
from tests.pages.conftest import Browse
from tests.pages.flows import command, meeting_fields, refer, to_conference
from tests.pages.html import Doc
from waymark.db.models import Conference

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


def row_about(page: str, testid: str, family_name: str) -> str:
    """The text of the one list row (by its test id) about her."""
    rows = [" ".join(r.text.split()) for r in Doc(page).by_testid(testid)]
    mine = [r for r in rows if family_name in r]
    assert len(mine) == 1, (testid, rows)
    return mine[0]


async def test_a_row_about_a_woman_uses_her_nations_words_whoever_reads_it(
    browse: Browse,
) -> None:
    """A Northmoor midwife refers a woman living in Glenbrae (and a Glenbrae midwife one living
    in Northmoor): each reads the other nation's words on that woman's rows, on the agency
    list and in search, and no longer the words of where the reader works."""
    mia, ewan = await browse("mia.midwife"), await browse("ewan.midwife")
    iona, sam = await browse("iona.social"), await browse("sam.social")
    in_glenbrae = await refer(
        mia,
        area="glenbrae",
        **{"woman.address.postcode": "G12 8QQ", "woman.family_name": "Glenrow"},
    )
    in_northmoor = await refer(ewan, **{"woman.family_name": "Moorrow"})
    for social_worker, woman_id in ((iona, in_glenbrae), (sam, in_northmoor)):
        await command(
            social_worker,
            f"/women/{woman_id}/screening",
            {"decision": "strategy_discussion", "reason": "Concerns"},
        )

    for reader, name, words, not_words in (
        (mia, "Glenrow", "Inter-agency Referral Discussion (IRD)", "Strategy"),
        (ewan, "Moorrow", "Strategy discussion", "Inter-agency"),
    ):
        agency = row_about((await reader.get("/agency")).text, "woman-row", name)
        assert words in agency, agency
        assert not_words not in agency, agency
        found = await reader.submit("/search", {"name": name, "number": "", "date_of_birth": ""})
        result = row_about(found.text, "search-result", name)
        assert words in result, result
        assert not_words not in result, result


async def test_her_minutes_in_glenbrae_are_the_record_of_the_meeting(
    browse: Browse, sessions: Sessions, now: datetime, clock_env: WorkflowEnvironment
) -> None:
    """Scotland's guidance keeps a record of the child protection planning meeting, not minutes:
    the form, its refusals, the link on her record, what her page says was done and her
    timeline."""
    iona = await browse("iona.social")
    woman_id = await refer(iona, area="glenbrae", **{"woman.address.postcode": "G12 8QQ"})
    base = f"/women/{woman_id}"
    await to_conference(iona, woman_id, now)
    await command(iona, f"{base}/meetings/new", meeting_fields(now, 8))
    await evening_of(clock_env, meeting_day(now, 8))
    async with sessions() as session:
        conference = await session.scalar(
            select(Conference.id).where(Conference.woman_id == uuid.UUID(woman_id))
        )
    outcome = await command(
        iona,
        f"{base}/conferences/{conference}/outcome",
        {
            "attended_agencies": ["children_social_care", "maternity", "police"],
            "woman_attended": "yes",
            "advocate_attended": "no",
            "plan": "yes",
            "areas_of_concern": "Neglect",
        },
    )
    record = "record of the child protection planning meeting"
    said = "The child protection planning meeting's outcome is recorded."
    assert said in visible_text(outcome.html)

    async def decided() -> bool:
        rows = (await iona.page(base)).by_testid("conference-row")
        return [r.attrs["data-phase"] for r in rows] == ["decided"]

    await eventually(decided)
    her = await iona.page(base)
    minutes = her.by_testid("action-minutes")[0].attrs["href"]
    assert record in " ".join(her.texts("action-minutes")).lower()
    form = (await iona.get(minutes)).text
    assert record in visible_text(form).lower()
    assert "minutes" not in visible_text(form).lower()

    empty = await iona.submit(minutes, {"text": "   "})
    assert empty.status_code == 422
    assert f"Enter the {record}" in visible_text(empty.text)
    done = await command(iona, minutes, {"text": "Everyone agreed the plan with her."})
    page = visible_text(done.html)  # what was done, and her timeline
    assert f"The {record} is kept." in page
    assert f"{record[:1].upper()}{record[1:]} kept and shared" in page
    assert "minutes" not in page.lower()
    again = await iona.submit(minutes, {"text": "Second thoughts."})
    assert again.status_code == 409
    assert f"{record} is written once" in visible_text(again.text)
