"""The documents a conference produces: context models and `render()` over the Jinja2 templates.

Rendering happens in activities, never in workflows: it reads template files and converts times
to Europe/London. The context models are plain contracts, so a workflow may build one and pass it
to an activity; Jinja2 itself is imported only when the first document is rendered.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal, NamedTuple

from pydantic import AwareDatetime, Field, StringConstraints, model_validator

from forms.common import Contract, Nation
from forms.conference import Category, ConferenceKind
from forms.labels import label
from forms.languages import language_name
from forms.meeting import MeetingDetails, MeetingFormat
from forms.situation import Situation
from forms.templates import conference_name, environment, with_article

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]
Audience = Literal["woman", "agency", "staff"]
# The versions of her letters an area can offer and she can ask for.
LetterFormat = Literal["easy_read", "large_print"]


class DocumentKind(StrEnum):
    """Which document to render; each value names its template."""

    INVITATION_WOMAN = "invitation_woman"
    INVITATION_AGENCY = "invitation_agency"
    REPORT_FORM = "report_form"
    DECISION_LETTER = "decision_letter"
    MINUTES = "minutes"
    INFORMATION_PACK = "information_pack"


class Person(Contract):
    """Someone a reader may need to reach: their name, role and (optionally) how to contact them."""

    name: ShortText
    role: ShortText
    organisation: ShortText | None = None
    phone: ShortText | None = None
    email: ShortText | None = None


class MeetingInfo(Contract):
    """When, where and how a meeting happens, as a reader needs to know it."""

    starts_at: AwareDatetime
    duration_minutes: int = Field(default=90, ge=15, le=480)
    format: MeetingFormat = MeetingFormat.IN_PERSON
    venue_name: ShortText | None = None
    venue_address: ShortText | None = None
    private_room: bool = False
    accessible: bool = False
    travel_support: bool = False
    # The interpreter's language, by name ("Polish").
    interpreter: ShortText | None = None

    @classmethod
    def from_details(cls, details: MeetingDetails) -> MeetingInfo:
        """The reader's view of a scheduled meeting's details."""
        venue = details.venue
        return cls(
            starts_at=details.starts_at,
            duration_minutes=details.duration_minutes,
            format=details.format,
            venue_name=venue.name if venue else None,
            venue_address=venue.address if venue else None,
            private_room=venue.private_room if venue else False,
            accessible=venue.accessible if venue else False,
            travel_support=details.travel_support,
            interpreter=language_name(details.interpreter) if details.interpreter else None,
        )


class DocumentContext(Contract):
    """What every document carries: the nation, the area that sends it and the date it is issued."""

    nation: Nation
    area_name: ShortText
    issued_on: date
    reference: ShortText | None = None


class WomanDocumentContext(DocumentContext):
    """What every document for the woman carries: her preferred name and who she can turn to."""

    woman_name: ShortText
    advocate: Person | None = None
    named_worker: Person | None = None
    complaints_contact: ShortText | None = None
    # Where her baby is, for the words of the document (forms.situation).
    situation: Situation = Situation.BEFORE_BIRTH
    # The orders her babies are in care under (Scotland's are said to her: forms.situation).
    orders: list[ShortText] = Field(default_factory=list)
    # Easy read and large print, where her area offers them and she asked (her_formats).
    formats: list[LetterFormat] = Field(default_factory=list)


class WomanLetterContext(WomanDocumentContext):
    """The woman's invitation to her conference (ICPC / CPPM, or their review)."""

    conference_kind: ConferenceKind
    meeting: MeetingInfo
    reports_by: date
    unborn: bool = True


class AgencyInvitationContext(DocumentContext):
    """An agency's invitation to a conference, with its report due date and the quorum rules."""

    agency_name: ShortText
    woman_name: ShortText
    conference_kind: ConferenceKind
    meeting: MeetingInfo
    report_due: date
    reports_to_woman_by: date
    unborn: bool = True
    attendance_required: bool = False
    quorum_notes: list[ShortText] = Field(default_factory=list)
    convenor: Person | None = None


class ReportFormContext(DocumentContext):
    """The printable report form an agency fills in for a conference."""

    agency_name: ShortText
    woman_name: ShortText
    conference_kind: ConferenceKind
    meeting_starts_at: AwareDatetime
    report_due: date
    reports_to_woman_by: date
    author: Person | None = None


class DecisionContext(WomanDocumentContext):
    """The decision letter: England's plan and category, or Scotland's registration and areas."""

    conference_kind: ConferenceKind
    held_on: date
    plan: bool
    category: Category | None = None
    areas_of_concern: list[ShortText] = Field(default_factory=list, max_length=20)
    core_group_by: date | None = None
    review_by: date | None = None

    @model_validator(mode="after")
    def _decision_fits_nation(self) -> DecisionContext:
        _check_decision(self.nation, self.plan, self.category)
        return self


class MinutesContext(DocumentContext):
    """The minutes: who attended, whether the meeting was quorate, the decision and the record."""

    woman_name: ShortText
    conference_kind: ConferenceKind
    meeting: MeetingInfo
    chair: Person | None = None
    attended_agencies: list[ShortText] = Field(default_factory=list)
    apologies: list[ShortText] = Field(default_factory=list)
    woman_attended: bool
    advocate_attended: bool = False
    quorate: bool
    missing: list[ShortText] = Field(default_factory=list)
    plan: bool | None = None
    category: Category | None = None
    areas_of_concern: list[ShortText] = Field(default_factory=list, max_length=20)
    core_group_by: date | None = None
    review_by: date | None = None
    text: LongText

    @model_validator(mode="after")
    def _decision_fits_nation(self) -> MinutesContext:
        if self.plan is None and self.category is not None:
            raise ValueError("a category needs a decision")
        _check_decision(self.nation, bool(self.plan), self.category)
        return self


class InformationPackContext(WomanDocumentContext):
    """The woman's plain-language information pack for pre-birth planning (R8.1)."""

    unborn: bool = True
    involved: list[Person] = Field(default_factory=list)
    advocacy_service: Person | None = None
    next_steps: list[ShortText] = Field(default_factory=list)


class RenderedDocument(Contract):
    """A rendered document: its title (also its one heading), the HTML and who it is for."""

    kind: DocumentKind
    title: str
    html: str
    audience: Audience


def _check_decision(nation: Nation, plan: bool, category: Category | None) -> None:
    if nation is Nation.SCOTLAND and category is not None:
        raise ValueError("Scotland records areas of concern, not a category")
    if nation is Nation.ENGLAND and plan and category is None:
        raise ValueError("a child protection plan in England needs a category")
    if not plan and category is not None:
        raise ValueError("a category needs a child protection plan")


class _Spec(NamedTuple):
    context_type: type[DocumentContext]
    audience: Audience
    title: str
    worded: bool = False  # `title` is a forms/labels.py key: its words differ by nation


_SPECS: dict[DocumentKind, _Spec] = {
    DocumentKind.INVITATION_WOMAN: _Spec(WomanLetterContext, "woman", "Invitation to your {name}"),
    DocumentKind.INVITATION_AGENCY: _Spec(
        AgencyInvitationContext, "agency", "Invitation to {a_name}"
    ),
    DocumentKind.REPORT_FORM: _Spec(ReportFormContext, "agency", "Agency report for {a_name}"),
    DocumentKind.DECISION_LETTER: _Spec(
        DecisionContext, "woman", "What was decided at your {name}"
    ),
    DocumentKind.MINUTES: _Spec(MinutesContext, "staff", "minutes_document", worded=True),
    DocumentKind.INFORMATION_PACK: _Spec(
        InformationPackContext, "woman", "Planning for your baby: information for you"
    ),
}


def _title(spec: _Spec, context: DocumentContext) -> str:
    kind = getattr(context, "conference_kind", None)
    name = conference_name(context.nation, kind) if kind is not None else ""
    title = label(spec.title, context.nation) if spec.worded else spec.title
    return title.format(name=name, a_name=with_article(name))


def render(kind: DocumentKind, context: DocumentContext) -> RenderedDocument:
    """Render a document from its context; the context must be the model made for that kind."""
    spec = _SPECS[kind]
    if not isinstance(context, spec.context_type):
        raise TypeError(f"{kind.value} needs a {spec.context_type.__name__}")
    title = _title(spec, context)
    easy_read = "easy_read" in getattr(context, "formats", [])
    template = environment().get_template(
        f"{kind.value}{'_easy_read' if easy_read else ''}.html.j2"
    )
    html = template.render(ctx=context, title=title, audience=spec.audience)
    return RenderedDocument(kind=kind, title=title, html=html, audience=spec.audience)
