"""The referral form: what any agency sends to children's social care about a pregnant woman."""

from __future__ import annotations

from datetime import date, time, timedelta
from enum import StrEnum
from typing import Annotated, Literal
from uuid import UUID

from pydantic import (
    EmailStr,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from forms.common import Contract, PersonName, Problem, name_problem
from forms.identifiers import check_chi_number, check_nhs_number
from rules.wording import long_date

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Code = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
]

POSTCODE = r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$"
FULL_TERM_DAYS = 280
# A pregnancy can run to 42 weeks, so an EDD up to 14 days ago may still be awaited.
EDD_OVERDUE_ALLOWED = timedelta(days=14)
# Further ahead than this an EDD is surely mistyped (the referral and a change of EDD alike).
EDD_FURTHEST_AHEAD = timedelta(weeks=45)
# Her age on the day of the referral: outside this, the date of birth is surely mistyped.
YOUNGEST, OLDEST = 10, 60
NAMES = [
    "woman.given_name",
    "woman.family_name",
    "woman.preferred_name",
    "referrer.practitioner_name",
]


class Channel(StrEnum):
    SMS = "sms"
    EMAIL = "email"
    LETTER = "letter"
    PHONE = "phone"


class ChannelPreference(Contract):
    """A way to reach her, and whether it is safe to use (a shared phone is not)."""

    channel: Channel
    safe: bool
    unsafe_reason: ShortText | None = None

    @model_validator(mode="after")
    def _reason_when_unsafe(self) -> ChannelPreference:
        if not self.safe and not self.unsafe_reason:
            raise ValueError(f"say why {self.channel.value} is not safe for her")
        return self


class Address(Contract):
    line1: ShortText
    line2: ShortText | None = None
    town: ShortText
    postcode: Annotated[str, StringConstraints(pattern=POSTCODE)]

    @field_validator("postcode", mode="before")
    @classmethod
    def _upper_postcode(cls, value: object) -> object:
        # Before the pattern check: pydantic checks a pattern before it changes case.
        return value.strip().upper() if isinstance(value, str) else value


class QuietHours(Contract):
    """When not to text or call her (UK time); the default is 21:00 to 08:00."""

    start: time = time(21, 0)
    end: time = time(8, 0)


class ContactPreferences(Contract):
    """How she wants to be contacted, which channels are safe, and in what language and format."""

    mobile: Annotated[str, StringConstraints(pattern=r"^\+?[0-9 ]{10,16}$")] | None = None
    email: EmailStr | None = None
    channels: list[ChannelPreference] = Field(default_factory=list, max_length=4)
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")] = "en"
    quiet_hours: QuietHours | None = None
    formats: list[Literal["easy_read", "large_print", "interpreter"]] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_entry_per_channel(self) -> ContactPreferences:
        seen = [c.channel for c in self.channels]
        if len(seen) != len(set(seen)):
            raise ValueError("each channel may be listed once")
        for pref in self.channels:
            if pref.safe and pref.channel is Channel.SMS and not self.mobile:
                raise ValueError("a mobile number is needed for text messages")
            if pref.safe and pref.channel is Channel.PHONE and not self.mobile:
                raise ValueError("a phone number is needed for phone calls")
            if pref.safe and pref.channel is Channel.EMAIL and not self.email:
                raise ValueError("an email address is needed for email")
        return self


class WomanDetails(Contract):
    given_name: PersonName
    family_name: PersonName
    preferred_name: PersonName | None = None
    date_of_birth: date
    nhs_number: str | None = None
    chi_number: str | None = None
    address: Address
    contact: ContactPreferences = Field(default_factory=ContactPreferences)

    @field_validator("nhs_number")
    @classmethod
    def _nhs(cls, value: str | None) -> str | None:
        return check_nhs_number(value) if value else None

    @field_validator("chi_number")
    @classmethod
    def _chi(cls, value: str | None, info: ValidationInfo) -> str | None:
        # On the field (so a refusal names woman.chi_number); her date of birth is declared
        # before it, so it is here when it was valid.
        return check_chi_number(value, info.data.get("date_of_birth")) if value else None


class Pregnancy(Contract):
    """The EDD, or the gestation on a given date from which the EDD follows."""

    edd: date | None = None
    gestation_weeks: Annotated[int, Field(ge=0, le=42)] | None = None
    gestation_days: Annotated[int, Field(ge=0, le=6)] = 0
    gestation_on: date | None = None
    babies_expected: Annotated[int, Field(ge=1, le=4)] = 1

    @model_validator(mode="after")
    def _edd_or_gestation(self) -> Pregnancy:
        by_gestation = (
            self.gestation_weeks is not None
            or self.gestation_on is not None
            or self.gestation_days != 0
        )
        if self.edd is None and not by_gestation:
            raise ValueError("give the EDD, or the gestation and the date it was measured")
        if self.edd is not None and by_gestation:
            raise ValueError("give either the EDD or the gestation, not both")
        if by_gestation and (self.gestation_weeks is None or self.gestation_on is None):
            raise ValueError("gestation needs both the weeks and the date it was measured")
        return self

    @property
    def due_date(self) -> date:
        """The EDD, computed from gestation when that is what was given."""
        if self.edd is not None:
            return self.edd
        assert self.gestation_weeks is not None
        assert self.gestation_on is not None
        elapsed = self.gestation_weeks * 7 + self.gestation_days
        return self.gestation_on + timedelta(days=FULL_TERM_DAYS - elapsed)


class Concerns(Contract):
    substances: list[ShortText] = Field(default_factory=list, max_length=20)
    in_drug_treatment: bool = False
    drug_treatment_service: ShortText | None = None
    opioid_substitution_therapy: bool = False
    domestic_abuse: bool = False
    mental_health: bool = False
    housing: bool = False
    previous_children_removed: Annotated[int, Field(ge=0, le=20)] = 0
    summary: LongText = ""


class LawfulBasis(StrEnum):
    """Why information is shared without consent (DPA 2018 Schedule 1)."""

    SAFEGUARDING = "safeguarding"  # para 18: safeguarding of children and individuals at risk
    HEALTH_OR_SOCIAL_CARE = "health_or_social_care"  # para 2


class Sharing(Contract):
    """Her consent to share, or the lawful basis and reason for sharing without it."""

    consent: bool
    basis_without_consent: LawfulBasis | None = None
    reason_without_consent: LongText | None = None

    @model_validator(mode="after")
    def _basis_when_no_consent(self) -> Sharing:
        if not self.consent and not (self.basis_without_consent and self.reason_without_consent):
            raise ValueError("without consent, record the lawful basis and the reason for sharing")
        return self


class Referrer(Contract):
    """The referring agency (by code; default the referrer's own) and practitioner."""

    organisation_code: Code | None = None
    practitioner_name: PersonName
    practitioner_role: ShortText | None = None
    phone: Annotated[str, StringConstraints(pattern=r"^\+?[0-9 ]{10,16}$")] | None = None


class ReferralForm(Contract):
    """A referral as submitted; validated again by the API against today's date and known areas."""

    area: Code
    woman: WomanDetails
    pregnancy: Pregnancy
    referrer: Referrer
    concerns: Concerns = Field(default_factory=Concerns)
    sharing: Sharing


def check_referral(form: ReferralForm, today: date) -> list[Problem]:
    """What the API refuses beyond the contract: dates against today, names a person could
    not have, no way of reaching her. Kept out of validators, which also run when workflows
    replay their input (a stricter rule there would stop a pathway accepted before it)."""
    problems = check_referral_dates(form, today)
    for field in NAMES:
        value = _at(form, field)
        why = name_problem(value) if value else None
        if why:
            problems.append(Problem(field, f"the name {why}"))
    if not form.woman.contact.channels:
        problems.append(
            Problem(
                "woman.contact.channels",
                "say at least one way to contact her, and whether it is safe",
            )
        )
    return problems


def _at(form: ReferralForm, field: str) -> str | None:
    node: object = form
    for part in field.split("."):
        node = getattr(node, part)
    return node if isinstance(node, str) else None


def check_referral_dates(form: ReferralForm, today: date) -> list[Problem]:
    """Problems that depend on today's date."""
    problems = []
    edd = form.pregnancy.due_date
    edd_field = "pregnancy.edd" if form.pregnancy.edd else "pregnancy.gestation_on"
    if edd < today - EDD_OVERDUE_ALLOWED:
        problems.append(
            Problem(
                edd_field,
                f"the EDD {long_date(edd)} is more than {EDD_OVERDUE_ALLOWED.days} days ago: "
                "record the birth instead of a pregnancy",
            )
        )
    if edd > today + EDD_FURTHEST_AHEAD:
        problems.append(
            Problem(edd_field, f"the EDD {long_date(edd)} is more than 45 weeks from today")
        )
    if form.pregnancy.gestation_on and form.pregnancy.gestation_on > today:
        problems.append(Problem("pregnancy.gestation_on", "the gestation date is in the future"))
    born = form.woman.date_of_birth
    if born >= today:
        problems.append(Problem("woman.date_of_birth", "the date of birth must be in the past"))
    elif born > _years_before(today, YOUNGEST):
        problems.append(
            Problem(
                "woman.date_of_birth", f"the date of birth gives an age under {YOUNGEST}: check it"
            )
        )
    elif born <= _years_before(today, OLDEST + 1):
        problems.append(
            Problem(
                "woman.date_of_birth", f"the date of birth gives an age over {OLDEST}: check it"
            )
        )
    return problems


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


class ReferralReceipt(Contract):
    """What the referrer gets back: the opaque ids and where the pathway now stands."""

    # None when her record is held by another area: nothing of it crosses the boundary.
    woman_id: UUID | None
    referral_id: UUID
    stage: str
    outcome: str = "new_record"
    message: str = ""
