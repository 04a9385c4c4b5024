"""Later in her care, through the pages: a conference's minutes and first core group, a baby
leaving hospital, closing her baby's case, and recording the offer of an advocate with her
answer. Each goes the API's own way; a bad answer changes nothing; outsiders get a 404."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
from temporalio.testing import WorkflowEnvironment

from rules.uktime import uk_date
from tests.api.conftest import SignIn
from tests.helpers.planning import evening_of, eventually, meeting_day
from tests.pages.browser import Browser
from tests.pages.conftest import Browse
from tests.pages.flows import birth_fields, command, meeting_fields, refer, to_conference
from tests.pages.html import Doc
from tests.pages.outsider import form_for_her, outsider_gets_404, refused_on_form


def kinds(doc: Doc) -> list[str]:
    return [e.attrs["data-kind"] for e in doc.by_testid("timeline-entry")]


def link(doc: Doc, testid: str) -> str:
    return doc.by_testid(testid)[0].attrs["href"]


async def decided_conference(
    sam: Browser, woman_id: str, now: datetime, clock_env: WorkflowEnvironment
) -> Doc:
    """Her initial conference held 8 days from now and decided, with a plan."""
    base = f"/women/{woman_id}"
    await to_conference(sam, woman_id, now)
    await command(sam, f"{base}/meetings/new", meeting_fields(now, 8))

    async def phase_is(phase: str) -> bool:
        rows = (await sam.page(base)).by_testid("conference-row")
        return [r.attrs["data-phase"] for r in rows] == [phase]

    await eventually(lambda: phase_is("scheduled"))
    await evening_of(clock_env, meeting_day(now, 8))
    outcome = next(
        e.attrs["href"]
        for e in (await sam.page(base)).elements
        if e.attrs.get("href", "").endswith("/outcome")
    )
    await command(
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
    await eventually(lambda: phase_is("decided"))
    return await sam.page(base)


async def test_the_chair_records_the_minutes_and_the_first_core_group(
    browse: Browse, now: datetime, clock_env: WorkflowEnvironment
) -> None:
    sam = await browse("sam.social")
    woman_id = await refer(sam)
    her = await decided_conference(sam, woman_id, now, clock_env)
    minutes, core_group = link(her, "action-minutes"), link(her, "action-core-group")
    await form_for_her(sam, minutes)
    await form_for_her(sam, core_group)

    response = await sam.submit(minutes, {"text": "   "})
    assert response.status_code == 422
    refused_on_form(response.text, "Enter the minutes")
    assert "minutes_recorded" not in kinds(await sam.page(f"/women/{woman_id}"))
    doc = await command(sam, minutes, {"text": "Everyone agreed the plan with her."})
    assert "minutes_recorded" in kinds(doc)
    # Minutes are recorded once: her conference says so, on the form.
    response = await sam.submit(minutes, {"text": "Second thoughts."})
    assert response.status_code == 409
    refused_on_form(response.text, "Minutes are recorded once")

    for typed, words in (("", "Enter the date the core group met"), ("2027-13-01", "real date")):
        response = await sam.submit(core_group, {"held_on": typed})
        assert response.status_code == 422
        refused_on_form(response.text, words)
    today = uk_date(await clock_env.get_current_time())  # the day the conference decided
    the_day_before = today - timedelta(days=1)
    response = await sam.submit(core_group, {"held_on": the_day_before.isoformat()})
    assert response.status_code == 409
    refused_on_form(response.text, "cannot be before the conference")
    assert "core_group_held" not in kinds(await sam.page(f"/women/{woman_id}"))
    doc = await command(sam, core_group, {"held_on": today.isoformat()})
    assert "core_group_held" in kinds(doc)
    await outsider_gets_404(browse, minutes, core_group)


async def test_a_baby_leaves_hospital_and_her_babys_case_is_closed(
    browse: Browse, now: datetime
) -> None:
    sam = await browse("sam.social")
    woman_id = await refer(sam)
    base = f"/women/{woman_id}"
    await command(sam, f"{base}/screening", {"decision": "early_help", "reason": "Support"})
    await command(
        sam,
        f"{base}/birth",
        birth_fields(now),
    )
    her = await sam.page(base)
    discharge, close = link(her, "action-discharge"), link(her, "action-close-case")
    await form_for_her(sam, discharge)
    await form_for_her(sam, close)

    doc = await command(sam, discharge, {})
    assert "baby_discharged" in kinds(doc)
    assert "left hospital" in doc.texts("baby-row")[0]
    assert not doc.by_testid("action-discharge")
    # A second time: no baby of hers is in hospital, which the form says.
    response = await sam.submit(discharge, {})
    assert response.status_code == 409
    refused_on_form(response.text, "No baby in hospital")

    response = await sam.submit(close, {"reason": " "})
    assert response.status_code == 422
    refused_on_form(response.text, "Enter the reason for closing her baby's case")
    assert (await sam.page(base)).by_testid("stage")[0].attrs["data-stage"] != "closed"
    await outsider_gets_404(browse, discharge, close)
    doc = await command(sam, close, {"reason": "Her baby is safe at home with her"})
    assert doc.by_testid("stage")[0].attrs["data-stage"] == "closed"
    assert not doc.by_testid("action-close-case")
    # Once closed, her pathway takes no more commands: the form says so.
    response = await sam.submit(close, {"reason": "Again"})
    assert response.status_code == 409
    refused_on_form(response.text, "closed")


async def offers(api: httpx.AsyncClient, woman_id: str) -> list[tuple[str, str]]:
    """Every offer of an advocate to her and her answer, as the API reports them."""
    response = await api.get(f"/api/v1/women/{woman_id}/advocacy")
    assert response.status_code == 200, response.text
    return [(o["trigger"], o["response"]) for o in response.json()["offers"]]


async def test_the_offer_of_an_advocate_and_her_answer_are_recorded(
    browse: Browse, sign_in: SignIn
) -> None:
    sam = await browse("sam.social")
    woman_id = await refer(sam)
    api = await sign_in("sam.social")
    path = link(await sam.page(f"/women/{woman_id}"), "action-advocacy-offer")
    doc = await form_for_her(sam, path)
    assert {"trigger", "response"} <= doc.form(path).names

    response = await sam.submit(path, {})
    assert response.status_code == 422
    refused_on_form(response.text, "when she was offered an advocate", "what she said")
    assert await offers(api, woman_id) == []

    # Offered at referral; she wants to think about it.
    await command(sam, path, {"trigger": "referral", "response": "pending"})
    assert await offers(api, woman_id) == [("referral", "pending")]
    doc = await form_for_her(sam, path)
    assert doc.by_testid("offer-waiting")
    assert "trigger" not in doc.form(path).names
    response = await sam.submit(path, {"response": "pending"})
    assert response.status_code == 422
    refused_on_form(response.text, "what she said")

    doc = await command(sam, path, {"response": "declined"})
    assert "advocacy_declined" in kinds(doc)
    assert await offers(api, woman_id) == [("referral", "declined")]

    # Offered again later, she says yes: an advocate in her area is asked.
    doc = await command(sam, path, {"trigger": "referral", "response": "accepted"})
    assert "advocacy_accepted" in kinds(doc)
    assert await offers(api, woman_id) == [("referral", "declined"), ("referral", "accepted")]
    await outsider_gets_404(browse, path)


async def test_the_discharge_page_takes_the_day_the_baby_left(
    browse: Browse, now: datetime
) -> None:
    sam = await browse("sam.social")
    woman_id = await refer(sam)
    base = f"/women/{woman_id}"
    await command(sam, f"{base}/screening", {"decision": "early_help", "reason": "Support"})
    fields = birth_fields(now - timedelta(days=3))
    await command(sam, f"{base}/birth", fields)
    discharge = link(await sam.page(base), "action-discharge")
    assert 'name="discharged_on"' in (await sam.get(discharge)).text
    born = datetime.fromisoformat(fields["born_on"]).date()
    for day, words in (
        ("2027-13-01", "real date"),
        ((born - timedelta(days=1)).isoformat(), "cannot be before the birth"),
        ((uk_date(now) + timedelta(days=2)).isoformat(), "cannot be in the future"),
    ):
        response = await sam.submit(discharge, {"discharged_on": day})
        assert response.status_code == 422, day
        refused_on_form(response.text, words)
        assert "baby_discharged" not in kinds(await sam.page(base))
    left = born + timedelta(days=1)
    doc = await command(sam, discharge, {"discharged_on": left.isoformat()})
    assert "baby_discharged" in kinds(doc)
    assert f"left hospital {left:%-d %B %Y}" in doc.texts("baby-row")[0]
