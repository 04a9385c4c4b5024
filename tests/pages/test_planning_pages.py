"""Planning her care through the pages: a new EDD, her care co-ordinator, and pausing,
restarting or extending a deadline. Each is the API's own Update, shown back on her page;
a bad answer comes back on the form and changes nothing; outsiders are not told she exists."""

from __future__ import annotations

from datetime import datetime, timedelta

from rules.uktime import uk_date
from tests.pages.browser import Browser
from tests.pages.conftest import Browse
from tests.pages.flows import command, refer, to_conference
from tests.pages.html import Doc
from tests.pages.outsider import form_for_her, outsider_gets_404, refused_on_form


def timeline(doc: Doc) -> list[str]:
    return [e.attrs["data-kind"] for e in doc.by_testid("timeline-entry")]


async def test_the_social_worker_changes_her_edd_with_the_reason(
    browse: Browse, now: datetime
) -> None:
    sam = await browse("sam.social")
    woman_id = await refer(sam)
    base = f"/women/{woman_id}"
    her = await sam.page(base)
    edd = her.by_testid("action-edd")[0].attrs["href"]
    assert edd == f"{base}/edd"
    before = her.texts("edd")
    await form_for_her(sam, edd)

    new_edd = uk_date(now) + timedelta(days=120)
    response = await sam.submit(edd, {"edd": new_edd.isoformat()})
    assert response.status_code == 422
    doc = refused_on_form(response.text, "Enter the reason for the change")
    assert doc.texts("error-reason") == ["Error: Enter the reason for the change"]
    response = await sam.submit(edd, {"edd": "2027-02-30", "reason": "Dating scan"})
    assert response.status_code == 422
    refused_on_form(response.text, "Enter the new expected date of delivery as a real date")
    response = await sam.submit(
        edd, {"edd": (uk_date(now) + timedelta(days=400)).isoformat(), "reason": "Dating scan"}
    )
    assert response.status_code == 422  # her pathway's own check, shown on the form
    refused_on_form(response.text, "between 14 days ago and 45 weeks")
    assert (await sam.page(base)).texts("edd") == before

    doc = await command(sam, edd, {"edd": new_edd.isoformat(), "reason": "The dating scan"})
    assert doc.texts("edd") == [f"{new_edd.day} {new_edd:%B %Y}"]
    assert "edd_changed" in timeline(doc)
    assert any("The dating scan" in t for t in doc.texts("timeline-entry"))
    await outsider_gets_404(browse, edd)


async def test_the_social_worker_names_her_care_coordinator(browse: Browse) -> None:
    mia = await browse("mia.midwife")
    woman_id = await refer(mia)
    sam = await browse("sam.social")
    base = f"/women/{woman_id}"
    her = await sam.page(base)
    assert her.texts("coordinator") == ["Not named yet"]
    assert not (await mia.page(base)).by_testid("action-coordinator")
    path = her.by_testid("action-coordinator")[0].attrs["href"]
    doc = await form_for_her(sam, path)
    choices = {e.attrs["value"]: e for e in doc.elements if e.attrs.get("name") == "user_id"}
    labels = {
        e.attrs.get("for"): " ".join(e.text.split()) for e in doc.elements if e.tag == "label"
    }
    named = {labels[e.attrs["id"]]: value for value, e in choices.items()}
    assert sorted(named) == ["Ola Adeyemi", "Sam Okafor"]  # the social workers in her team

    for chosen in ("", "not-a-person", str(woman_id)):
        response = await sam.submit(path, {"user_id": chosen})
        assert response.status_code == 422
        refused_on_form(response.text, "from the social workers in her team")
    assert (await sam.page(base)).texts("coordinator") == ["Not named yet"]

    sam_id = named["Sam Okafor"]
    doc = await command(sam, path, {"user_id": sam_id})
    assert doc.texts("coordinator") == ["Sam Okafor"]
    assert "coordinator_assigned" in timeline(doc)
    assert doc.by_testid("action-coordinator")[0].text.startswith("Change")
    assert (await mia.get(path)).status_code == 403  # a social worker's page
    # Opened again, the form has the current co-ordinator chosen.
    assert (await sam.page(path)).form(path).values()["user_id"] == sam_id
    await outsider_gets_404(browse, path)


async def status_of(browser: Browser, path: str) -> tuple[str, str]:
    """A deadline's status and due date, as its page shows them."""
    doc = await browser.page(path)
    return doc.texts("deadline-status")[0], doc.texts("deadline-due")[0]


async def test_a_deadline_is_paused_restarted_and_extended_with_a_reason(
    browse: Browse, now: datetime
) -> None:
    sam = await browse("sam.social")
    woman_id = await refer(sam)
    base = f"/women/{woman_id}"
    await command(
        sam,
        f"{base}/screening",
        {"decision": "strategy_discussion", "reason": "Significant concerns for her baby"},
    )
    her = await sam.page(base)
    path = her.by_testid("change-deadline")[0].attrs["href"]
    assert path.startswith(f"{base}/deadlines/")
    await form_for_her(sam, path)
    status, due = await status_of(sam, path)
    assert status == "Pending"

    response = await sam.submit(path, {})
    assert response.status_code == 422
    refused_on_form(response.text, "Say what you want to do", "Enter the reason")
    response = await sam.submit(path, {"action": "extend", "reason": "Waiting for her GP"})
    assert response.status_code == 422
    refused_on_form(response.text, "Enter the new due date")
    # Only a paused clock restarts: her pathway says so, on the form.
    response = await sam.submit(path, {"action": "resume", "reason": "It is running"})
    assert response.status_code == 409
    refused_on_form(response.text, "Only a paused clock can be resumed")
    assert await status_of(sam, path) == (status, due)

    doc = await command(sam, path, {"action": "pause", "reason": "She is in hospital"})
    assert "paused" in [r.attrs["data-status"] for r in doc.by_testid("deadline-row")]
    assert any(t.startswith("Restart or extend") for t in doc.texts("change-deadline"))
    assert (await status_of(sam, path))[0] == "Paused"
    await command(sam, path, {"action": "resume", "reason": "She is home again"})
    assert await status_of(sam, path) == (status, due)

    later = uk_date(now) + timedelta(days=40)
    await command(
        sam,
        path,
        {"action": "extend", "new_due": later.isoformat(), "reason": "Agreed with her manager"},
    )
    assert await status_of(sam, path) == (status, f"{later.day} {later:%B %Y}")
    assert "Agreed with her manager" in " ".join((await sam.page(base)).texts("deadline-row"))
    # Her area's safeguarding lead may change it too (as in the API); an agency may not.
    await form_for_her(await browse("lee.lead"), path)
    assert (await (await browse("mia.midwife")).get(path)).status_code == 403
    await outsider_gets_404(browse, path)


async def test_the_social_worker_records_the_prebirth_assessment_as_complete(
    browse: Browse, now: datetime
) -> None:
    sam = await browse("sam.social")
    woman_id = await refer(sam)
    base = f"/women/{woman_id}"
    await to_conference(sam, woman_id, now)
    her = await sam.page(base)
    [link] = her.by_testid("action-assessment")
    path = link.attrs["href"]
    assert path == f"{base}/assessment"
    assert (await sam.page(path)).form(path).values()["completed_on"] == uk_date(now).isoformat()
    tomorrow = (uk_date(now) + timedelta(days=1)).isoformat()
    response = await sam.submit(path, {"completed_on": tomorrow})
    assert response.status_code in (409, 422)
    assert not (await sam.page(base)).texts("notification")
    doc = await command(sam, path, {})
    assert doc.texts("notification") == ["The pre-birth assessment is recorded as complete."]
    assert "assessment_completed" in timeline(doc)
    assert not doc.by_testid("action-assessment")
    await outsider_gets_404(browse, path)
