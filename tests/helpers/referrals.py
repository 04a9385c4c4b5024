"""Builders for referral forms: a valid one by default, overrides for what a test is about."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from waymark.localtime import today_in_uk

# A valid NHS number (its check digit is 9).
VALID_NHS = "9434765919"


def fresh_nhs_number() -> str:
    """A valid NHS number nobody else in this run has: each referral body is a new woman
    unless a test gives the number of one already on record."""
    while True:
        stem = f"{secrets.randbelow(10**9):09d}"
        total = sum(int(d) * w for d, w in zip(stem, range(10, 1, -1), strict=True))
        check = (11 - total % 11) % 11
        if check != 10:
            return f"{stem}{check}"


def referral_body(**overrides: Any) -> dict[str, Any]:
    """A JSON body for POST /api/v1/referrals, with the given top-level keys replaced."""
    today = today_in_uk()
    body: dict[str, Any] = {
        "area": "northmoor",
        "woman": {
            "given_name": "Jane",
            "family_name": "Example",
            "preferred_name": "Jay",
            "date_of_birth": "1995-01-01",
            "nhs_number": fresh_nhs_number(),
            "address": {"line1": "1 High Street", "town": "Northmoor", "postcode": "NM1 1AA"},
            "contact": {
                "mobile": "07700 900123",
                "channels": [
                    {"channel": "sms", "safe": True},
                    {"channel": "letter", "safe": False, "unsafe_reason": "shared address"},
                ],
            },
        },
        "pregnancy": {"edd": (today + timedelta(days=150)).isoformat()},
        "referrer": {"practitioner_name": "Mia Hughes", "practitioner_role": "Specialist midwife"},
        "concerns": {
            "substances": ["heroin"],
            "in_drug_treatment": True,
            "opioid_substitution_therapy": True,
            "previous_children_removed": 1,
        },
        "sharing": {"consent": True},
    }
    body.update(overrides)
    return body


def edd_in(days: int) -> str:
    return (today_in_uk() + timedelta(days=days)).isoformat()


def days_ago(days: int) -> date:
    return today_in_uk() - timedelta(days=days)
