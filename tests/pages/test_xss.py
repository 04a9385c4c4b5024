"""Whatever people type is shown as text: script and event-handler payloads in every
free-text field come back inert (escaped), and pages carry no inline script or style."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from tests.helpers.referrals import VALID_NHS
from tests.pages.conftest import Browse
from tests.pages.flows import command, meeting_fields, refer, to_conference
from tests.pages.html import Doc

SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
QUOTE = "' onmouseover='alert(1)' x='"
PAYLOADS = (SCRIPT, IMAGE, QUOTE)
TEMPLATES = Path(__file__).resolve().parents[2] / "api" / "templates"


def inert(html: str) -> None:
    """No script but the site's own file, no on* attribute, no javascript: address."""
    doc = Doc(html)
    for element in doc.elements:
        if element.tag == "script":
            assert element.attrs == {"src": "/static/waymark.js", "defer": ""}, element
        assert not [name for name in element.attrs if name.startswith("on")], element
        assert "style" not in element.attrs, element
        assert not element.attrs.get("href", "").lower().startswith("javascript:"), element
    for payload in (SCRIPT, IMAGE):
        assert payload not in html


async def test_payloads_in_a_referral_and_commands_are_shown_as_text(
    browse: Browse, now: datetime
) -> None:
    sam = await browse("sam.social")
    woman_id = await refer(
        sam,
        **{
            "woman.given_name": SCRIPT,
            "woman.family_name": IMAGE,
            "woman.preferred_name": QUOTE,
            "woman.address.line1": SCRIPT,
            "woman.address.line2": IMAGE,
            "woman.address.town": QUOTE,
            "channel.letter.reason": IMAGE,
            "concerns.substances": SCRIPT,
            "concerns.drug_treatment_service": IMAGE,
            "concerns.summary": SCRIPT + IMAGE,
            "referrer.practitioner_name": IMAGE,
            "referrer.practitioner_role": SCRIPT,
        },
    )
    base = f"/women/{woman_id}"
    await to_conference(sam, woman_id, now)
    doc = await command(
        sam,
        f"{base}/meetings/new",
        meeting_fields(now, 8, **{"details.venue.name": SCRIPT, "details.venue.address": IMAGE}),
    )
    meeting = doc.by_testid("meeting-row")[0].attrs["data-meeting-id"]
    await command(sam, f"{base}/meetings/{meeting}/cancel", {"reason": IMAGE + SCRIPT})
    pages = [base, "/caseload", f"{base}/meetings/{meeting}/change", f"{base}/screening"]
    for path in pages:
        response = await sam.get(path)
        assert response.status_code in (200, 403), path
        inert(response.text)
    her = await sam.page(base)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in her.html
    assert her.h1() == [f"{QUOTE} {IMAGE}"]  # shown as the very text that was typed


async def test_payloads_sent_back_on_a_form_with_errors_are_inert(browse: Browse) -> None:
    sam = await browse("sam.social")
    fields = dict.fromkeys(("woman.given_name", "woman.address.line1"), SCRIPT)
    fields.update({"woman.family_name": IMAGE, "woman.date_of_birth": QUOTE})
    response = await sam.submit("/referrals/new", fields)
    assert response.status_code == 422
    inert(response.text)
    assert Doc(response.text).form("/referrals/new").values()["woman.family_name"] == IMAGE


async def test_an_emergency_access_reason_reaches_the_lead_as_text(browse: Browse) -> None:
    sam = await browse("sam.social")
    await refer(
        sam, area="glenbrae", **{"woman.address.postcode": "G12 8QQ", "woman.nhs_number": VALID_NHS}
    )
    dev = await browse("dev.drugs")
    response = await dev.submit(
        "/emergency-access", {"number": VALID_NHS, "reason": f"Urgent {SCRIPT} {IMAGE}"}
    )
    assert response.status_code == 303
    fiona = await browse("fiona.lead")
    queue = await fiona.get("/lead/emergency-access")
    inert(queue.text)
    assert SCRIPT in Doc(queue.text).texts("break-glass-reason")[0]


def test_no_template_marks_anything_safe_or_styles_inline() -> None:
    for template in TEMPLATES.glob("*.j2"):
        text = template.read_text()
        assert "|safe" not in text.replace(" ", ""), template.name
        assert "autoescape false" not in text, template.name
        assert " style=" not in text, template.name
        assert "<script>" not in text, template.name
