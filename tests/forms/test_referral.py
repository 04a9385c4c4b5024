"""The referral form: what it accepts, what it refuses and why, and the checks against today."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from forms.common import Problem
from forms.identifiers import mod11_valid
from forms.referral import ReferralForm, check_referral, check_referral_dates
from tests.helpers.referrals import referral_body

# A fixed today, so the date checks do not depend on when the suite runs.
TODAY = date(2026, 11, 22)
DELETE = object()


def body_with(changes: dict[str, Any] | None = None) -> dict[str, Any]:
    """A valid referral body (fixed EDD) with dotted-path changes; DELETE removes a key."""
    body = copy.deepcopy(referral_body(pregnancy={"edd": "2027-03-01"}))
    for path, value in (changes or {}).items():
        *parents, last = path.split(".")
        node = body
        for key in parents:
            node = node[key]
        if value is DELETE:
            del node[last]
        else:
            node[last] = value
    return body


def form_with(changes: dict[str, Any] | None = None) -> ReferralForm:
    return ReferralForm.model_validate(body_with(changes))


def refusal(changes: dict[str, Any]) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        form_with(changes)
    return caught.value


def test_the_default_body_is_a_valid_referral() -> None:
    form = form_with()
    assert form.area == "northmoor"
    assert form.woman.nhs_number is not None
    assert mod11_valid(form.woman.nhs_number)  # a fresh valid number: a new woman each time
    assert form.pregnancy.due_date == date(2027, 3, 1)
    assert check_referral_dates(form, TODAY) == []


# --- The pregnancy: the EDD, or the gestation on a date -------------------------------------

GESTATION_ON = "2026-01-10"


@pytest.mark.parametrize(
    ("pregnancy", "message"),
    [
        pytest.param({}, "give the EDD, or the gestation and the date", id="neither"),
        pytest.param(
            {"edd": "2026-07-22", "gestation_weeks": 12, "gestation_on": GESTATION_ON},
            "give either the EDD or the gestation, not both",
            id="both",
        ),
        pytest.param(
            {"edd": "2026-07-22", "gestation_on": GESTATION_ON},
            "not both",
            id="edd-and-gestation-date",
        ),
        pytest.param(
            {"edd": "2026-07-22", "gestation_weeks": 12}, "not both", id="edd-and-gestation-weeks"
        ),
        pytest.param(
            {"gestation_weeks": 12},
            "gestation needs both the weeks and the date it was measured",
            id="weeks-without-date",
        ),
        pytest.param(
            {"gestation_on": GESTATION_ON, "gestation_days": 3},
            "gestation needs both the weeks and the date it was measured",
            id="date-without-weeks",
        ),
        pytest.param(
            {"gestation_weeks": 43, "gestation_on": GESTATION_ON},
            "less than or equal to 42",
            id="weeks-over-42",
        ),
        pytest.param(
            {"gestation_weeks": 12, "gestation_days": 7, "gestation_on": GESTATION_ON},
            "less than or equal to 6",
            id="days-over-6",
        ),
        pytest.param(
            {"edd": "2026-07-22", "babies_expected": 0},
            "greater than or equal to 1",
            id="no-babies",
        ),
        pytest.param(
            {"edd": "2026-07-22", "babies_expected": 5},
            "less than or equal to 4",
            id="five-babies",
        ),
    ],
)
def test_the_pregnancy_needs_exactly_one_of_the_edd_or_a_full_gestation(
    pregnancy: dict[str, Any], message: str
) -> None:
    error = refusal({"pregnancy": pregnancy})
    assert message in str(error)
    assert all(e["loc"][0] == "pregnancy" for e in error.errors())


# EDD = gestation_on + 280 days - (weeks * 7 + days), worked by hand from 10 January 2026:
#   12+3 -> 87 days elapsed, +193 days: 21 left in Jan, 28 Feb, 31 Mar, 30 Apr, 31 May,
#           30 Jun (171) -> 22 July 2026.
#   0+0  -> +280 days: ... 30 Sep (263) -> 17 October 2026.
#   40+0 -> 280 elapsed: the date itself.
#   41+2 -> 289 elapsed, 9 days before: 1 January 2026.
@pytest.mark.parametrize(
    ("pregnancy", "due"),
    [
        ({"edd": "2026-07-22"}, date(2026, 7, 22)),
        (
            {"gestation_weeks": 12, "gestation_days": 3, "gestation_on": GESTATION_ON},
            date(2026, 7, 22),
        ),
        ({"gestation_weeks": 0, "gestation_on": GESTATION_ON}, date(2026, 10, 17)),
        ({"gestation_weeks": 40, "gestation_on": GESTATION_ON}, date(2026, 1, 10)),
        (
            {"gestation_weeks": 41, "gestation_days": 2, "gestation_on": GESTATION_ON},
            date(2026, 1, 1),
        ),
    ],
)
def test_the_due_date_is_the_edd_or_follows_from_the_gestation(
    pregnancy: dict[str, Any], due: date
) -> None:
    assert form_with({"pregnancy": pregnancy}).pregnancy.due_date == due


# --- Sharing and contact --------------------------------------------------------------------


@pytest.mark.parametrize(
    "sharing",
    [
        pytest.param({"consent": False}, id="nothing"),
        pytest.param({"consent": False, "basis_without_consent": "safeguarding"}, id="basis-only"),
        pytest.param(
            {"consent": False, "reason_without_consent": "risk to the unborn baby"},
            id="reason-only",
        ),
        pytest.param(
            {
                "consent": False,
                "basis_without_consent": "safeguarding",
                "reason_without_consent": "   ",
            },
            id="blank-reason",
        ),
    ],
)
def test_sharing_without_consent_needs_the_lawful_basis_and_the_reason(
    sharing: dict[str, Any],
) -> None:
    error = refusal({"sharing": sharing})
    assert "without consent, record the lawful basis and the reason for sharing" in str(error)


@pytest.mark.parametrize("basis", ["safeguarding", "health_or_social_care"])
def test_sharing_without_consent_is_accepted_with_a_basis_and_a_reason(basis: str) -> None:
    form = form_with(
        {
            "sharing": {
                "consent": False,
                "basis_without_consent": basis,
                "reason_without_consent": "risk of significant harm to the unborn baby",
            }
        }
    )
    assert form.sharing.consent is False
    assert form.sharing.basis_without_consent == basis


def test_an_unknown_lawful_basis_is_refused() -> None:
    error = refusal(
        {
            "sharing": {
                "consent": False,
                "basis_without_consent": "curiosity",
                "reason_without_consent": "x",
            }
        }
    )
    assert "'safeguarding' or 'health_or_social_care'" in str(error)


def contact(**fields: Any) -> dict[str, Any]:
    return {"woman.contact": fields}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param(
            contact(mobile="07700 900123", channels=[{"channel": "sms", "safe": False}]),
            "say why sms is not safe for her",
            id="unsafe-sms-without-reason",
        ),
        pytest.param(
            contact(channels=[{"channel": "letter", "safe": False, "unsafe_reason": " "}]),
            "at least 1 character",
            id="unsafe-letter-with-blank-reason",
        ),
        pytest.param(
            contact(channels=[{"channel": "sms", "safe": True}]),
            "a mobile number is needed for text messages",
            id="safe-sms-without-mobile",
        ),
        pytest.param(
            contact(mobile="07700 900123", channels=[{"channel": "email", "safe": True}]),
            "an email address is needed for email",
            id="safe-email-without-email",
        ),
        pytest.param(
            contact(
                mobile="07700 900123",
                channels=[
                    {"channel": "sms", "safe": True},
                    {"channel": "sms", "safe": False, "unsafe_reason": "partner reads texts"},
                ],
            ),
            "each channel may be listed once",
            id="duplicate-channel",
        ),
        pytest.param(
            contact(channels=[{"channel": "pigeon", "safe": True}]),
            "'sms', 'email', 'letter' or 'phone'",
            id="unknown-channel",
        ),
        pytest.param(
            contact(mobile="call me"), "String should match pattern", id="mobile-not-a-number"
        ),
        pytest.param(contact(email="not-an-email"), "valid email address", id="bad-email"),
    ],
)
def test_contact_preferences_are_refused_naming_the_problem(
    changes: dict[str, Any], message: str
) -> None:
    error = refusal(changes)
    assert message in str(error)
    assert all(e["loc"][:2] == ("woman", "contact") for e in error.errors())


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param(
            {"channels": [{"channel": "sms", "safe": False, "unsafe_reason": "shared phone"}]},
            id="unsafe-sms-needs-no-mobile",
        ),
        pytest.param(
            {"email": "jane@example.org", "channels": [{"channel": "email", "safe": True}]},
            id="safe-email-with-email",
        ),
        pytest.param(
            {
                "mobile": "+44 7700 900123",
                "email": "jane@example.org",
                "channels": [
                    {"channel": "sms", "safe": True},
                    {"channel": "email", "safe": True},
                    {"channel": "letter", "safe": False, "unsafe_reason": "shared address"},
                    {"channel": "phone", "safe": True},
                ],
            },
            id="all-four-channels",
        ),
        pytest.param({}, id="no-channels"),
    ],
)
def test_consistent_contact_preferences_are_accepted(fields: dict[str, Any]) -> None:
    form = form_with(contact(**fields))
    assert [c.channel for c in form.woman.contact.channels] == [
        c["channel"] for c in fields.get("channels", [])
    ]


# --- Address, identifiers, unknown fields ---------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("NM1 1AA", "NM1 1AA"),
        ("NM11AA", "NM11AA"),
        ("  SW1A 1AA  ", "SW1A 1AA"),
        ("M1 1AE", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("DN55 1PT", "DN55 1PT"),
        ("EC1A 1BB", "EC1A 1BB"),
    ],
)
def test_uk_postcodes_are_accepted(typed: str, stored: str) -> None:
    assert form_with({"woman.address.postcode": typed}).woman.address.postcode == stored


@pytest.mark.parametrize(("typed", "stored"), [("nm1 1aa", "NM1 1AA"), ("Sw1a 1aA", "SW1A 1AA")])
def test_a_lower_case_postcode_is_accepted_in_upper_case(typed: str, stored: str) -> None:
    assert form_with({"woman.address.postcode": typed}).woman.address.postcode == stored


@pytest.mark.parametrize(
    "typed", ["", "NM1", "NM1 1A", "NM1  1AA", "1NM 1AA", "NMX1 1AA", "NM1 AAA", "NM1-1AA"]
)
def test_malformed_postcodes_are_refused(typed: str) -> None:
    error = refusal({"woman.address.postcode": typed})
    assert "String should match pattern" in str(error)
    assert [e["loc"] for e in error.errors()] == [("woman", "address", "postcode")]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"woman.nhs_number": "9434765918"}, "check digit", id="nhs-check-digit"),
        pytest.param({"woman.nhs_number": "12345"}, "10 digits", id="nhs-length"),
        pytest.param(
            # A valid CHI number for someone born on 1 January 1995.
            {"woman.chi_number": "0101951248", "woman.date_of_birth": "1995-01-02"},
            "does not begin with the date of birth",
            id="chi-born-another-day",
        ),
        pytest.param({"area": "North Moor"}, "String should match pattern", id="area-code"),
        pytest.param({"woman.given_name": "  "}, "at least 1 character", id="blank-name"),
        pytest.param({"woman.family_name": DELETE}, "Field required", id="no-family-name"),
        pytest.param({"sharing": DELETE}, "Field required", id="no-sharing"),
    ],
)
def test_bad_details_are_refused_naming_the_problem(changes: dict[str, Any], message: str) -> None:
    assert message in str(refusal(changes))


def test_identifiers_are_stored_without_the_spaces_people_type() -> None:
    form = form_with(
        {
            "woman.nhs_number": "943 476 5919",
            "woman.date_of_birth": "1995-01-01",
            "woman.chi_number": "010195-1248",
        }
    )
    assert form.woman.nhs_number == "9434765919"
    assert form.woman.chi_number == "0101951248"


def test_an_empty_nhs_number_means_none() -> None:
    assert form_with({"woman.nhs_number": ""}).woman.nhs_number is None


@pytest.mark.parametrize(
    ("path", "loc"),
    [
        ("favourite_colour", ("favourite_colour",)),
        ("woman.middle_name", ("woman", "middle_name")),
        ("woman.address.county", ("woman", "address", "county")),
        ("woman.contact.landline", ("woman", "contact", "landline")),
        ("pregnancy.lmp", ("pregnancy", "lmp")),
        ("referrer.team", ("referrer", "team")),
        ("concerns.notes", ("concerns", "notes")),
        ("sharing.consent_form", ("sharing", "consent_form")),
    ],
)
def test_unknown_fields_are_refused_wherever_they_appear(path: str, loc: tuple[str, ...]) -> None:
    error = refusal({path: "x"})
    assert [(e["type"], e["loc"]) for e in error.errors()] == [("extra_forbidden", loc)]


# --- Checks against today's date ------------------------------------------------------------
# TODAY is 22 November 2026. 14 days ago: 8 November. 280 days ahead, by hand: 8 left in Nov,
# 31 Dec, 31 Jan, 28 Feb, 31 Mar, 30 Apr, 31 May, 30 Jun, 31 Jul (251) -> 29 August 2027;
# 45 weeks (315 days): + 31 Aug (282), 30 Sep (312) -> 3 October 2027.


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"pregnancy": {"edd": "2026-11-08"}}, id="edd-exactly-14-days-ago"),
        pytest.param({"pregnancy": {"edd": "2026-11-22"}}, id="edd-today"),
        pytest.param({"pregnancy": {"edd": "2027-08-29"}}, id="edd-exactly-280-days-ahead"),
        pytest.param({"pregnancy": {"edd": "2027-10-03"}}, id="edd-exactly-45-weeks-ahead"),
        pytest.param(
            {"pregnancy": {"gestation_weeks": 12, "gestation_on": "2026-11-22"}},
            id="gestation-measured-today",
        ),
        pytest.param({"woman.date_of_birth": "2016-11-22"}, id="exactly-ten-today"),
        pytest.param({"woman.date_of_birth": "1980-02-29"}, id="born-on-a-leap-day"),
    ],
)
def test_dates_at_the_limits_are_accepted(changes: dict[str, Any]) -> None:
    assert check_referral_dates(form_with(changes), TODAY) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param(
            {"pregnancy": {"edd": "2026-11-07"}},
            "the EDD 7 November 2026 is more than 14 days ago: record the birth instead",
            id="edd-15-days-ago",
        ),
        pytest.param(
            # 40+0 measured 20 days ago: the EDD is that day, 20 days ago.
            {"pregnancy": {"gestation_weeks": 40, "gestation_on": "2026-11-02"}},
            "the EDD 2 November 2026 is more than 14 days ago",
            id="edd-from-gestation-20-days-ago",
        ),
        pytest.param(
            {"pregnancy": {"edd": "2027-10-04"}},
            "the EDD 4 October 2027 is more than 45 weeks from today",
            id="edd-316-days-ahead",
        ),
        pytest.param(
            {"pregnancy": {"gestation_weeks": 12, "gestation_on": "2026-11-23"}},
            "the gestation date is in the future",
            id="gestation-measured-tomorrow",
        ),
        pytest.param(
            {"woman.date_of_birth": "2026-11-22"},
            "the date of birth must be in the past",
            id="born-today",
        ),
        pytest.param(
            {"woman.date_of_birth": "2027-01-01"},
            "the date of birth must be in the past",
            id="born-in-the-future",
        ),
        pytest.param(
            {"woman.date_of_birth": "2020-06-01"},
            "the date of birth gives an age under 10: check it",
            id="aged-six",
        ),
        pytest.param(
            {"woman.date_of_birth": "2016-11-25"},
            "the date of birth gives an age under 10",
            id="ten-in-three-days",
        ),
    ],
)
def test_dates_past_the_limits_are_flagged_naming_the_problem(
    changes: dict[str, Any], message: str
) -> None:
    problems = check_referral_dates(form_with(changes), TODAY)
    assert len(problems) == 1, problems
    assert message in problems[0].problem


@pytest.mark.parametrize("born", ["2016-11-23", "2016-11-24"])
def test_an_age_of_nine_is_flagged_even_days_before_her_tenth_birthday(born: str) -> None:
    problems = check_referral_dates(form_with({"woman.date_of_birth": born}), TODAY)
    assert problems == [
        Problem("woman.date_of_birth", "the date of birth gives an age under 10: check it")
    ]


def test_every_date_problem_is_reported_together() -> None:
    form = form_with({"pregnancy": {"edd": "2026-10-01"}, "woman.date_of_birth": "2027-01-01"})
    problems = check_referral_dates(form, TODAY)
    assert [p.field for p in problems] == ["pregnancy.edd", "woman.date_of_birth"]
    assert "more than 14 days ago" in problems[0].problem
    assert "must be in the past" in problems[1].problem


# --- Her age: 10 to 60 on the day of the referral -------------------------------------------


@pytest.mark.parametrize(
    ("born", "problems"),
    [
        pytest.param("1966-11-23", [], id="sixty-tomorrow-is-61"),
        pytest.param("1965-11-23", [], id="sixty-one-tomorrow"),
        pytest.param(
            "1965-11-22",
            [Problem("woman.date_of_birth", "the date of birth gives an age over 60: check it")],
            id="sixty-one-today",
        ),
        pytest.param(
            "0001-01-01",
            [Problem("woman.date_of_birth", "the date of birth gives an age over 60: check it")],
            id="year-one",
        ),
    ],
)
def test_an_age_over_sixty_is_refused(born: str, problems: list[Problem]) -> None:
    assert check_referral_dates(form_with({"woman.date_of_birth": born}), TODAY) == problems


# --- Names, and a way to reach her: refused at the boundary -----------------------------------

RLO, ZWSP, BEL = "\u202e", "\u200b", "\u0007"


@pytest.mark.parametrize(
    ("field", "value", "why"),
    [
        pytest.param("woman.given_name", RLO * 100, "invisible formatting", id="rlo-only"),
        pytest.param("woman.family_name", f"Ex{RLO}elpma", "invisible formatting", id="rlo-inside"),
        pytest.param("woman.preferred_name", f"J{ZWSP}ay", "invisible formatting", id="zero-width"),
        pytest.param("woman.given_name", f"Ja{BEL}ne", "control characters", id="control"),
        pytest.param("woman.family_name", "12345", "at least one letter", id="digits"),
        pytest.param("referrer.practitioner_name", "-- . --", "at least one letter", id="marks"),
    ],
)
def test_names_a_person_could_not_have_are_refused_naming_the_field(
    field: str, value: str, why: str
) -> None:
    [problem] = check_referral(form_with({field: value}), TODAY)
    assert problem.field == field
    assert why in problem.problem


@pytest.mark.parametrize(
    "name", ["Zoë", "O'Brien-Smith", "Nguyễn", "Ṣadé", "Мария", "محمد", "李", "Ó Súilleabháin"]
)
def test_names_in_any_script_are_accepted(name: str) -> None:
    assert check_referral(form_with({"woman.given_name": name}), TODAY) == []


def test_names_are_normalised_to_nfc() -> None:
    decomposed = "Zoe\u0308"  # e + combining diaeresis
    form = form_with({"woman.given_name": decomposed, "referrer.practitioner_name": decomposed})
    assert form.woman.given_name == "Zoë" == form.referrer.practitioner_name
    assert len(form.woman.given_name) == 3


@pytest.mark.parametrize(
    "contact", [{"mobile": "07700 900123", "channels": []}, DELETE], ids=["empty", "missing"]
)
def test_a_referral_must_say_how_she_can_be_contacted(contact: object) -> None:
    problems = check_referral(form_with({"woman.contact": contact}), TODAY)
    assert [p.field for p in problems] == ["woman.contact.channels"]


def test_contracts_still_decode_names_accepted_before_the_boundary_rules() -> None:
    """Running workflows replay their input: the contract itself must not refuse it."""
    form = form_with({"woman.given_name": f"J{ZWSP}ay", "woman.contact.channels": []})
    assert form.woman.given_name == f"J{ZWSP}ay"
