"""Reopening a closed case through its page (a social worker, with a reason on her record), and
her record showing what re-planning asks for: a booked conference now after its latest date
(with the open days before it, the meeting marked), and a baby who left hospital early."""

from __future__ import annotations

from datetime import datetime, timedelta

from rules.uktime import uk_date
from tests.helpers.planning import eventually
from tests.pages.conftest import Browse
from tests.pages.flows import birth_fields, command, meeting_fields, refer, to_conference
from tests.pages.outsider import form_for_her, outsider_gets_404, refused_on_form


async def test_a_social_worker_reopens_her_closed_case_with_a_reason(
    browse: Browse, now: datetime
) -> None:
    sam = await browse("sam.social")
    woman_id = await refer(sam)
    base = f"/women/{woman_id}"
    doc = await command(
        sam, f"{base}/screening", {"decision": "no_further_action", "reason": "No concerns"}
    )
    assert doc.by_testid("stage")[0].attrs["data-stage"] == "closed"
    reopen = doc.by_testid("action-reopen")[0].attrs["href"]
    assert reopen == f"{base}/reopen"
    await form_for_her(sam, reopen)

    response = await sam.submit(reopen, {"reason": "   "})
    assert response.status_code == 422
    refused_on_form(response.text, "reason for reopening")
    assert (await sam.page(base)).by_testid("stage")[0].attrs["data-stage"] == "closed"

    doc = await command(sam, reopen, {"reason": "New concerns from her midwife"})
    assert doc.by_testid("stage")[0].attrs["data-stage"] == "screening"
    assert doc.texts("notification") == ["Her case is reopened, with your reason on her record."]
    assert any("reopened: New concerns" in t for t in doc.texts("timeline-entry"))
    assert not doc.by_testid("action-reopen")
    # Open now: reopening again is refused on the form, saying why.
    response = await sam.submit(reopen, {"reason": "Twice"})
    assert response.status_code == 409
    refused_on_form(response.text, "Her case is open")
    await outsider_gets_404(browse, reopen)


async def test_a_midwife_cannot_reopen_her_case(browse: Browse) -> None:
    mia = await browse("mia.midwife")
    woman_id = await refer(mia)
    sam = await browse("sam.social")
    base = f"/women/{woman_id}"
    await command(
        sam, f"{base}/screening", {"decision": "no_further_action", "reason": "No concerns"}
    )
    assert not (await mia.page(base)).by_testid("action-reopen")
    assert (await mia.get(f"{base}/reopen")).status_code == 403


async def test_her_record_shows_a_booked_conference_now_too_late_and_an_early_discharge(
    browse: Browse, now: datetime
) -> None:
    sam = await browse("sam.social")
    woman_id = await refer(sam)
    base = f"/women/{woman_id}"
    await to_conference(sam, woman_id, now)
    await command(sam, f"{base}/meetings/new", meeting_fields(now, 14))
    doc = await sam.page(base)
    assert not doc.by_testid("needs-attention")
    assert not doc.by_testid("meeting-after-latest")

    # A dating scan: 28 weeks' gestation is now a week from today, before the booked conference.
    edd = uk_date(now) + timedelta(days=84 + 7)
    await command(sam, f"{base}/edd", {"edd": edd.isoformat(), "reason": "Dating scan"})

    async def flagged() -> bool:
        return bool((await sam.page(base)).by_testid("attention-row"))

    await eventually(flagged)
    doc = await sam.page(base)
    rows = doc.by_testid("attention-row")
    assert [r.attrs["data-kind"] for r in rows] == ["move_meeting"]
    text = doc.texts("attention-row")[0]
    assert "Move the initial child protection conference to" in text
    assert "open days before it:" in text
    assert doc.by_testid("meeting-after-latest")

    # The birth, and her baby home on the day: before the observation advised for opioids.
    await command(sam, f"{base}/birth", birth_fields(now, exposure="opioids_or_polydrug"))
    discharge = (await sam.page(base)).by_testid("action-discharge")[0].attrs["href"]
    doc = await command(sam, discharge, {})
    kinds_shown = [r.attrs["data-kind"] for r in doc.by_testid("attention-row")]
    assert "early_discharge" in kinds_shown
    assert any("left hospital before" in t for t in doc.texts("attention-row"))
