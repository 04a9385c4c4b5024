"""Driving pages as people do in tests: a referral through the form, commands through their
forms, each followed to the page it lands on."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from rules.uktime import to_uk, uk_date
from tests.helpers.planning import open_day
from tests.helpers.referrals import edd_in, fresh_nhs_number
from tests.pages.browser import Browser
from tests.pages.html import Doc


def referral_fields(**overrides: str) -> dict[str, str]:
    """The referral form filled in for a valid Northmoor referral."""
    fields = {
        "area": "northmoor",
        "woman.given_name": "Jane",
        "woman.family_name": "Example",
        "woman.preferred_name": "Jay",
        "woman.date_of_birth": "1995-01-01",
        "woman.nhs_number": fresh_nhs_number(),
        "woman.address.line1": "1 High Street",
        "woman.address.town": "Northmoor",
        "woman.address.postcode": "nm1 1aa",
        "woman.contact.mobile": "07700 900123",
        "channel.sms": "safe",
        "channel.letter": "unsafe",
        "channel.letter.reason": "Her post is read by someone who may harm her",
        "pregnancy.edd": edd_in(150),
        "concerns.substances": "heroin, crack cocaine",
        "concerns.in_drug_treatment": "yes",
        "concerns.summary": "She asked for help with her housing.",
        "sharing.consent": "yes",
        "referrer.practitioner_role": "Specialist midwife",
    }
    fields.update(overrides)
    return fields


async def refer(browser: Browser, **overrides: str) -> str:
    """Make a referral through the form; her id, from the confirmation page."""
    response = await browser.submit("/referrals/new", referral_fields(**overrides))
    assert response.status_code == 303, Doc(response.text).texts("error-summary")
    location = response.headers["location"]
    assert location.startswith("/referrals/sent/")
    return location.removeprefix("/referrals/sent/").split("?")[0]


async def command(browser: Browser, path: str, fields: Mapping[str, str | list[str]]) -> Doc:
    """Submit a command's form; her page it lands on (which says what was done)."""
    response = await browser.submit(path, fields)
    assert response.status_code == 303, (
        response.status_code,
        Doc(response.text).texts("error-summary"),
    )
    return await browser.page(response.headers["location"])


def birth_fields(now: datetime, **overrides: str) -> dict[str, str]:
    """A birth an hour before the workflows' time, in UK wall time: never in the future,
    whatever the time of day the tests run."""
    born = to_uk(now - timedelta(hours=1))
    fields = {
        "born_on": born.date().isoformat(),
        "born_time": f"{born:%H:%M}",
        "gestation_weeks": "39",
    }
    fields.update(overrides)
    return fields


def meeting_fields(now: datetime, days: int, **overrides: str) -> dict[str, str]:
    """A meeting on the first open day `days` or more UK days after now, at 10:00, in person at
    a family centre."""
    fields = {
        "kind": "conference",
        "details.starts_at": open_day(uk_date(now) + timedelta(days=days)).isoformat(),
        "details.starts_at_time": "10:00",
        "details.duration_minutes": "90",
        "details.format": "in_person",
        "details.venue.name": "Family Centre",
        "details.venue.private_room": "yes",
        "details.venue.accessible": "yes",
    }
    fields.update(overrides)
    return fields


async def to_conference(browser: Browser, woman_id: str, now: datetime) -> Doc:
    """Screen for a strategy discussion and record one that decides to confer."""
    base = f"/women/{woman_id}"
    await command(
        browser,
        f"{base}/screening",
        {"decision": "strategy_discussion", "reason": "Significant concerns for her baby"},
    )
    return await command(
        browser,
        f"{base}/strategy-discussion",
        {"held_on": uk_date(now).isoformat(), "outcome": "conference"},
    )
