"""The referral form: the API's contract and intake, errors inline and in a summary."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.pages.conftest import Browse
from tests.pages.flows import refer, referral_fields
from tests.pages.html import Doc
from waymark.db.models import Woman


def error_links(doc: Doc) -> list[str]:
    [summary] = doc.by_testid("error-summary")
    return [
        e.attrs["href"]
        for e in doc.elements
        if e.tag == "a" and e.attrs.get("href", "").startswith("#f-")
    ]


async def test_a_blank_referral_shows_each_problem_inline_and_in_a_summary(
    browse: Browse,
) -> None:
    sam = await browse("sam.social")
    response = await sam.submit("/referrals/new", {"woman.given_name": ""})
    assert response.status_code == 422
    doc = Doc(response.text)
    assert doc.h1() == ["Make a referral"]
    assert doc.html.count("<title>Error: ") == 1
    summary = " ".join(doc.texts("error-summary"))
    assert "Enter her first name" in summary
    assert "Say whether she consents" in summary
    assert doc.texts("error-woman.given_name") == ["Error: Enter her first name"]
    links = error_links(doc)
    assert "#f-woman-given-name" in links
    for link in links:
        assert doc.by_id(link[1:]) is not None, link  # every summary link reaches its field


async def test_typed_answers_are_kept_when_the_form_comes_back(browse: Browse) -> None:
    sam = await browse("sam.social")
    fields = referral_fields(**{"woman.date_of_birth": "not a date"})
    response = await sam.submit("/referrals/new", fields)
    assert response.status_code == 422
    doc = Doc(response.text)
    assert "real date" in doc.texts("error-woman.date_of_birth")[0]
    kept = doc.form("/referrals/new").values()
    assert kept["woman.family_name"] == "Example"
    assert kept["channel.letter"] == "unsafe"
    assert kept["concerns.in_drug_treatment"] == "yes"


async def test_the_apis_date_checks_show_next_to_the_field(browse: Browse) -> None:
    sam = await browse("sam.social")
    response = await sam.submit(
        "/referrals/new", referral_fields(**{"pregnancy.edd": "2001-01-01"})
    )
    assert response.status_code == 422
    doc = Doc(response.text)
    assert "record the birth instead" in doc.texts("error-pregnancy.edd")[0]


async def test_an_unsafe_channel_needs_a_reason(browse: Browse) -> None:
    sam = await browse("sam.social")
    response = await sam.submit("/referrals/new", referral_fields(**{"channel.letter.reason": ""}))
    assert response.status_code == 422
    assert (
        "say why letter is not safe" in " ".join(Doc(response.text).texts("error-summary")).lower()
    )


async def test_a_referral_starts_her_pathway_and_a_resubmission_does_not_repeat_it(
    browse: Browse,
) -> None:
    mia = await browse("mia.midwife")
    page = await mia.page("/referrals/new")
    form = page.form("/referrals/new")
    fields = {**form.values(), **referral_fields()}
    first = await mia.client.post("/referrals/new", data=fields)
    again = await mia.client.post("/referrals/new", data=fields)  # a double click
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"]
    sent = await mia.page(first.headers["location"])
    assert sent.texts("referral-sent")
    sam = await browse("sam.social")
    caseload = await sam.page("/caseload")
    assert len(caseload.by_testid("caseload-row")) == 1
    assert "Jay Example" in caseload.texts("caseload-row")[0]


async def test_advocates_and_leads_do_not_make_referrals(browse: Browse) -> None:
    for username in ("ava.advocate", "lee.lead", "ada.admin"):
        browser = await browse(username)
        assert (await browser.get("/referrals/new")).status_code == 403


async def test_her_page_after_the_referral_shows_her_stage_and_timeline(browse: Browse) -> None:
    sam = await browse("sam.social")
    woman_id = await refer(sam)
    doc = await sam.page(f"/women/{woman_id}")
    assert doc.h1() == ["Jay Example"]
    [stage] = doc.by_testid("stage")
    assert stage.attrs["data-stage"] == "screening"
    assert any("Referral received" in t for t in doc.texts("timeline-entry"))
    assert doc.by_testid("action-screening")


async def test_her_language_is_chosen_by_its_name_and_kept_as_its_code(
    browse: Browse, sessions: async_sessionmaker[AsyncSession]
) -> None:
    sam = await browse("sam.social")
    doc = await sam.page("/referrals/new")
    [select] = [e for e in doc.elements if e.attrs.get("name") == "woman.contact.language"]
    assert select.tag == "select"
    assert "Polish" in select.text
    assert "British Sign Language" in select.text
    options = {e.attrs["value"]: e.text.strip() for e in doc.elements if e.tag == "option"}
    assert options["pl"] == "Polish"
    assert doc.form("/referrals/new").values()["woman.contact.language"] == "en"
    woman_id = await refer(sam, **{"woman.contact.language": "pl"})
    async with sessions() as session:
        woman = await session.get(Woman, uuid.UUID(woman_id))
    assert woman is not None
    assert woman.contact["language"] == "pl"
