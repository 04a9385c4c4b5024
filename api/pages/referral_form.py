"""The referral form flattened into page fields, and back into the API's `ReferralForm`."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from starlette.datastructures import FormData

from api.pages.fields import day, set_path, text, ticked, yes_no

# Every field, in the order of the form, with how an error message names it.
FIELDS = {
    "area": "the area she lives in",
    "woman.given_name": "her first name",
    "woman.family_name": "her last name",
    "woman.preferred_name": "the name she likes to be called",
    "woman.date_of_birth": "her date of birth",
    "woman.nhs_number": "her NHS number",
    "woman.chi_number": "her CHI number",
    "woman.address.line1": "the first line of her address",
    "woman.address.line2": "the second line of her address",
    "woman.address.town": "her town or city",
    "woman.address.postcode": "her postcode",
    "woman.contact.mobile": "her mobile number",
    "woman.contact.email": "her email address",
    "woman.contact.channels": "how she can be contacted safely",
    "woman.contact.language": "the language she prefers",
    "woman.contact.formats": "the formats she needs",
    "pregnancy.edd": "the expected date of delivery",
    "pregnancy.gestation_weeks": "the weeks of pregnancy",
    "pregnancy.gestation_days": "the extra days of pregnancy",
    "pregnancy.gestation_on": "the date the gestation was measured",
    "pregnancy.babies_expected": "how many babies are expected",
    "concerns.substances": "the substances",
    "concerns.drug_treatment_service": "her drug treatment service",
    "concerns.previous_children_removed": "how many of her children were removed before",
    "concerns.summary": "the summary of concerns",
    "sharing.consent": "whether she consents to this referral being shared",
    "sharing.basis_without_consent": "the lawful basis for sharing without consent",
    "sharing.reason_without_consent": "the reason for sharing without consent",
    "referrer.practitioner_name": "your name",
    "referrer.practitioner_role": "your role",
    "referrer.phone": "your phone number",
}
# Dates as a person may type them where the browser offers no date picker.
DATES = ("woman.date_of_birth", "pregnancy.edd", "pregnancy.gestation_on")
TEXT_FIELDS = [
    name
    for name in FIELDS
    if name
    not in {
        "woman.contact.channels",
        "woman.contact.formats",
        "concerns.substances",
        "sharing.consent",
        *DATES,
    }
]
TICKED = [
    "concerns.in_drug_treatment",
    "concerns.opioid_substitution_therapy",
    "concerns.domestic_abuse",
    "concerns.mental_health",
    "concerns.housing",
]
CHANNELS = [
    ("sms", "Text message"),
    ("phone", "Phone call"),
    ("email", "Email"),
    ("letter", "Letter"),
]
FORMATS = [
    ("easy_read", "Easy read"),
    ("large_print", "Large print"),
    ("interpreter", "Interpreter"),
]
# The API's problems about fields the page has no input for, by the input that shows them.
SHOWN_AT = {"referrer.organisation_code": "referrer.practitioner_name"}


def referral_data(form: FormData) -> dict[str, Any]:
    """The nested input for `ReferralForm`; blank fields are left out (the contract decides)."""
    data: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        value = text(form, name)
        if value is not None:
            set_path(data, name, value)
    for name in DATES:
        typed = day(text(form, name))
        if typed is not None:
            set_path(data, name, typed.isoformat() if isinstance(typed, date) else typed)
    for name in TICKED:
        set_path(data, name, ticked(form, name))
    substances = [s.strip() for s in re.split(r"[,\n]", text(form, "concerns.substances") or "")]
    set_path(data, "concerns.substances", [s for s in substances if s])
    set_path(data, "woman.contact.formats", form.getlist("woman.contact.formats"))
    set_path(data, "woman.contact.channels", _channels(form))
    consent = yes_no(form, "sharing.consent")
    if consent is not None:
        set_path(data, "sharing.consent", consent)
    return data


def _channels(form: FormData) -> list[dict[str, Any]]:
    chosen = []
    for channel, _ in CHANNELS:
        use = form.get(f"channel.{channel}")
        if use in ("safe", "unsafe"):
            entry: dict[str, Any] = {"channel": channel, "safe": use == "safe"}
            reason = text(form, f"channel.{channel}.reason")
            if use == "unsafe" and reason:
                entry["unsafe_reason"] = reason
            chosen.append(entry)
    return chosen


def problem_errors(problems: list[tuple[str, str]]) -> dict[str, str]:
    """The API's problems, each next to the field it is about."""
    errors: dict[str, str] = {}
    for field, problem in problems:
        name = SHOWN_AT.get(field, field if field in FIELDS else "area")
        message = problem[:1].upper() + problem[1:]
        errors[name] = f"{errors[name]}. {message}" if name in errors else message
    return errors
