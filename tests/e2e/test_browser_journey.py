"""One woman's journey through the real service in a real browser (Debian's Chromium), each
person at her own pages: the social worker refers her and schedules her conference, her advocate
sees the meeting and its invite, the midwife records the birth, the social worker records that
the baby was placed in care, her advocate sees her allocation and notice, and the safeguarding
lead's ledger shows her supported. A screenshot of each step is written to
var/test-output/browser/journey/."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser

from rules.uktime import to_uk
from tests.e2e.chromium import OUTPUT, Person, chromium, eventually, stack
from tests.e2e.stack import Stack
from tests.pages.flows import meeting_fields, referral_fields

__all__ = ["chromium", "stack"]

pytestmark = pytest.mark.e2e
SHOTS = OUTPUT / "journey"
PEOPLE = ("sam.social", "ava.advocate", "mia.midwife", "lee.lead")


@pytest.fixture
def people(stack: Stack, chromium: Browser) -> Iterator[dict[str, Person]]:
    """Each person signed in, in a browser window of her own."""
    shutil.rmtree(SHOTS, ignore_errors=True)
    contexts = []
    signed_in = {}
    for username in PEOPLE:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        signed_in[username] = Person(stack, context, SHOTS).sign_in(username)
    yield signed_in
    for context in contexts:
        context.close()


def test_a_woman_is_referred_conferenced_and_supported_after_removal(
    stack: Stack, people: dict[str, Person]
) -> None:
    sam, ava, mia, lee = (people[name] for name in PEOPLE)
    woman_id = refer(sam)
    advocate_accepts(sam, ava, woman_id)
    schedule_conference(sam, woman_id)
    advocate_sees_meeting_and_invite(ava, woman_id)
    midwife_records_birth(mia, woman_id)
    social_worker_records_removal(sam, woman_id)
    advocate_sees_allocation_and_notice(ava, woman_id)
    lead_sees_her_supported(lee, woman_id)


def refer(sam: Person) -> str:
    """The social worker makes a referral through the form and lands on her record."""
    sam.open("/caseload")
    sam.follow("Make a referral")
    sam.fill(referral_fields(**{"referrer.practitioner_role": "Social worker"}))
    sam.shot("01-social-worker-fills-in-the-referral")
    sam.press("Send referral")
    assert sam.path.startswith("/referrals/sent/"), sam.path
    assert "Referral sent" in sam.testid("referral-sent")[0]
    woman_id = sam.path.removeprefix("/referrals/sent/").split("?")[0]
    sam.shot("02-referral-sent")
    eventually(lambda: _her_record_opens(sam, woman_id), "her record")
    assert sam.testid("woman-name") == ["Jay Example"]
    return woman_id


def _her_record_opens(person: Person, woman_id: str) -> bool:
    response = person.page.goto(f"{person.stack.url}/women/{woman_id}")
    return response is not None and response.status == 200


def advocate_accepts(sam: Person, ava: Person, woman_id: str) -> None:
    """She would like an advocate; the advocate her case is offered to accepts it."""
    sam.open(f"/women/{woman_id}")
    sam.follow("Record an offer of an advocate, or her answer")
    sam.fill({"trigger": "referral", "response": "accepted"})
    sam.shot("03-social-worker-records-she-would-like-an-advocate")
    sam.press("Record the offer")
    offer = ava.page.locator("[data-testid=offer-row]")

    def offered() -> bool:
        ava.open("/advocate")
        return offer.count() == 1

    eventually(offered, "the offer of her case on the advocate's page")
    assert "She would like an advocate" in offer.inner_text()
    ava.shot("04-advocate-is-offered-her-case")
    ava.follow("Accept or decline")
    assert ava.testid("offer-name") == ["Jay Example"]

    def answered() -> bool:
        # The offer is written a moment before her allocation waits for the answer; an answer
        # in that moment is refused as "no longer waiting", and she answers again.
        ava.fill({"reply": "accept"})
        return ava.press("Send your answer", status=None) == 200

    eventually(answered, "her answer accepted")
    assert ava.testid("notification") == [
        "Thank you: you are now her advocate. She is in your list below."
    ]
    ava.shot("05-advocate-has-accepted")


def schedule_conference(sam: Person, woman_id: str) -> None:
    """Screening, the strategy discussion, and her conference in 8 days, through the pages."""
    sam.open(f"/women/{woman_id}")
    sam.follow("Record the screening decision")
    sam.fill({"decision": "strategy_discussion", "reason": "Significant concerns for her baby"})
    sam.press("Record")
    sam.follow("Record the strategy discussion")
    now = datetime.now(UTC)
    sam.fill({"held_on": to_uk(now).date().isoformat(), "outcome": "conference"})
    sam.press("Record")
    sam.follow("Schedule a meeting")
    sam.fill(meeting_fields(now, 8))
    sam.shot("06-social-worker-schedules-the-conference")
    sam.press("Schedule")
    assert sam.testid("notification") == [
        "The meeting is scheduled. Everyone invited is being told."
    ]
    [meeting] = sam.testid("meeting-row")
    assert "Case conference" in meeting
    assert "Family Centre" in meeting
    sam.shot("07-her-record-shows-the-conference")


def advocate_sees_meeting_and_invite(ava: Person, woman_id: str) -> None:
    """Her advocate's page lists the meeting and the notice of it; her calendar has the invite."""

    def meeting_and_notice() -> bool:
        ava.open("/advocate")
        return bool(ava.testid("meeting-row")) and bool(ava.testid("notice-row"))

    eventually(meeting_and_notice, "the conference on her advocate's page")
    [meeting] = ava.testid("meeting-row")
    assert "Case conference" in meeting
    assert "Jay Example" in meeting
    assert ava.page.locator(f'[data-testid=woman-row][data-woman-id="{woman_id}"]').count() == 1
    ava.shot("08-advocate-sees-the-meeting-and-its-notice")
    href = ava.page.locator("[data-testid=meeting-invite]").first.get_attribute("href")
    assert href is not None
    own_invite = ava.context.request.get(ava.stack.url + href)
    assert own_invite.status == 200
    assert "METHOD:REQUEST" in own_invite.text()
    ava.press("Acknowledge")
    assert ava.testid("notification") == ["Thank you: the notice is acknowledged."]
    assert ava.testid("no-notices")
    ava.follow("Calendar")
    ava.press("Get a new calendar link")
    link = ava.page.get_by_label("Calendar link").input_value()
    ava.shot("09-advocate-gets-her-calendar-link")
    invite = ava.context.request.get(link)
    assert invite.status == 200
    assert invite.headers["content-type"].startswith("text/calendar")
    body = invite.text()
    assert "BEGIN:VEVENT" in body
    assert "Family Centre" in body


def midwife_records_birth(mia: Person, woman_id: str) -> None:
    """The midwife records the birth two hours ago, from her page."""
    born = to_uk(datetime.now(UTC) - timedelta(hours=2))
    mia.open(f"/women/{woman_id}")
    mia.follow("Record the birth")
    mia.fill(
        {
            "born_on": born.date().isoformat(),
            "born_time": born.strftime("%H:%M"),
            "gestation_weeks": "39",
        }
    )
    mia.shot("10-midwife-records-the-birth")
    mia.press("Record")
    [baby] = mia.testid("baby-row")
    assert "Baby 1" in baby
    mia.shot("11-her-record-shows-the-baby")


def social_worker_records_removal(sam: Person, woman_id: str) -> None:
    """The social worker records that the baby was placed in care under police protection."""
    sam.open(f"/women/{woman_id}")
    sam.follow("Record where baby 1 lives")
    sam.fill(
        {"placement": "care", "legal_basis": "police_protection", "reason": "Police protection"}
    )
    sam.shot("12-social-worker-records-the-removal")
    sam.press("Record")
    assert sam.page.locator("[data-testid=baby-row]").get_attribute("data-placement") == "care"
    eventually(lambda: bool(_reload(sam).testid("support-status")), "her own support")
    assert "Her support is active" in sam.testid("support-status")[0]
    sam.shot("13-her-own-support-has-started")


def _reload(person: Person) -> Person:
    person.page.reload()
    return person


def advocate_sees_allocation_and_notice(ava: Person, woman_id: str) -> None:
    """Her advocate still has her (her allocation stands), and is told at once that the baby
    was placed in care: the urgent message is on her own page and on the woman's record."""
    ava.open("/advocate")
    row = ava.page.locator(f'[data-testid=woman-row][data-woman-id="{woman_id}"]')
    assert "Her baby is in care" in row.inner_text()
    assert "Accepted" in row.inner_text()
    ava.shot("14-advocate-still-has-her")
    notice = "Her baby has been removed: please contact her today."

    def told_at_home() -> bool:
        ava.open("/advocate")
        # First on her page, to acknowledge (it is a duty she owes).
        return any(notice in m and "Urgent" in m for m in ava.testid("urgent-row"))

    eventually(told_at_home, "the urgent message to her advocate on her own page")

    def told() -> bool:
        ava.open(f"/women/{woman_id}")
        return any("Ava Lewis" in n and notice in n for n in ava.testid("notice-row"))

    eventually(told, "the notice to her advocate of the removal")
    assert ava.testid("advocate") == ["Ava Lewis"]
    ava.shot("15-advocate-sees-the-removal-notice-on-her-record")


def lead_sees_her_supported(lee: Person, woman_id: str) -> None:
    """The ledger lists her with her advocate, active support and no breach."""
    row = lee.page.locator(f'[data-testid=ledger-row][data-woman-id="{woman_id}"]')

    def listed() -> bool:
        lee.open("/lead")
        return row.count() == 1

    eventually(listed, "her row on the ledger")
    assert row.get_attribute("data-breaches") == "0"
    cells = row.locator("td").all_inner_texts()
    assert "Jay Example" in cells[0]
    assert cells[1].strip() == "None"
    assert "Ava Lewis" in cells[2]
    assert cells[3].startswith("Active")
    lee.shot("16-lead-ledger-shows-her-supported")
