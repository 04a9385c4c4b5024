"""The conference's documents: every one renders for both nations, accessibly, safely and kindly."""

from __future__ import annotations

from datetime import UTC, date, datetime
from html.parser import HTMLParser
from typing import Any

import pytest
from pydantic import ValidationError

from forms.common import Nation
from forms.conference import Category, ConferenceKind
from forms.documents import (
    AgencyInvitationContext,
    DecisionContext,
    DocumentContext,
    DocumentKind,
    InformationPackContext,
    MeetingInfo,
    MinutesContext,
    Person,
    ReportFormContext,
    WomanLetterContext,
    render,
)
from forms.language import stigmatising_terms, text_of
from forms.meeting import MeetingDetails, MeetingFormat, Venue
from forms.situation import Situation
from forms.templates import duration_words, environment
from rules.wording import clock_time, long_date

NATIONS = [Nation.ENGLAND, Nation.SCOTLAND]
WOMAN_KINDS = [
    DocumentKind.INVITATION_WOMAN,
    DocumentKind.DECISION_LETTER,
    DocumentKind.INFORMATION_PACK,
]
# 09:30 UTC on 1 July 2027 is 10:30am British Summer Time.
STARTS_AT = datetime(2027, 7, 1, 9, 30, tzinfo=UTC)
XSS_PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']


# --- Builders -------------------------------------------------------------------------------


def make_person(**overrides: Any) -> Person:
    fields: dict[str, Any] = {
        "name": "Sam Patel",
        "role": "Independent advocate",
        "organisation": "Voices Advocacy",
        "phone": "01632 960 111",
        "email": "sam.patel@example.org",
    }
    return Person(**(fields | overrides))


def make_meeting(**overrides: Any) -> MeetingInfo:
    fields: dict[str, Any] = {
        "starts_at": STARTS_AT,
        "duration_minutes": 90,
        "format": MeetingFormat.IN_PERSON,
        "venue_name": "Northmoor Family Centre",
        "venue_address": "1 Mill Lane, Northmoor NM1 2AB",
        "private_room": True,
        "accessible": True,
        "travel_support": True,
    }
    return MeetingInfo(**(fields | overrides))


def _base(nation: Nation) -> dict[str, Any]:
    return {
        "nation": nation,
        "area_name": "Northmoor Council" if nation is Nation.ENGLAND else "Glenbrae Council",
        "issued_on": date(2027, 6, 10),
        "reference": "WM-0042",
    }


def _for_woman(nation: Nation) -> dict[str, Any]:
    return _base(nation) | {
        "woman_name": "Jo",
        "advocate": make_person(),
        "named_worker": make_person(name="Alex Reid", role="Social worker", organisation=None),
        "complaints_contact": "the complaints team on 01632 960 000",
    }


def make_context(kind: DocumentKind, nation: Nation, **overrides: Any) -> DocumentContext:
    """A filled-in context for any document, in either nation, with fields overridden."""
    return _BUILDERS[kind](nation, overrides)


def _invitation_woman(nation: Nation, overrides: dict[str, Any]) -> DocumentContext:
    fields = _for_woman(nation) | {
        "conference_kind": ConferenceKind.INITIAL,
        "meeting": make_meeting(),
        "reports_by": date(2027, 6, 28),
    }
    return WomanLetterContext(**(fields | overrides))


def _invitation_agency(nation: Nation, overrides: dict[str, Any]) -> DocumentContext:
    fields = _base(nation) | {
        "agency_name": "Northmoor Drug and Alcohol Service",
        "woman_name": "Jo Bloggs",
        "conference_kind": ConferenceKind.INITIAL,
        "meeting": make_meeting(),
        "report_due": date(2027, 6, 25),
        "reports_to_woman_by": date(2027, 6, 28),
        "attendance_required": True,
        "convenor": make_person(name="Alex Reid", role="Social worker"),
    }
    return AgencyInvitationContext(**(fields | overrides))


def _report_form(nation: Nation, overrides: dict[str, Any]) -> DocumentContext:
    fields = _base(nation) | {
        "agency_name": "Maternity",
        "woman_name": "Jo Bloggs",
        "conference_kind": ConferenceKind.INITIAL,
        "meeting_starts_at": STARTS_AT,
        "report_due": date(2027, 6, 25),
        "reports_to_woman_by": date(2027, 6, 28),
    }
    return ReportFormContext(**(fields | overrides))


def _category(nation: Nation, overrides: dict[str, Any]) -> Category | None:
    """England's plans have a category; Scotland's and no-plan decisions have none."""
    plan = overrides.get("plan", True)
    return Category.NEGLECT if nation is Nation.ENGLAND and plan else None


def _decision(nation: Nation, overrides: dict[str, Any]) -> DocumentContext:
    fields = _for_woman(nation) | {
        "conference_kind": ConferenceKind.INITIAL,
        "held_on": date(2027, 7, 1),
        "plan": True,
        "category": _category(nation, overrides),
        "areas_of_concern": ["Housing", "Support after the birth"],
        "core_group_by": date(2027, 7, 15),
        "review_by": date(2027, 10, 1),
    }
    return DecisionContext(**(fields | overrides))


def _minutes(nation: Nation, overrides: dict[str, Any]) -> DocumentContext:
    fields = _base(nation) | {
        "woman_name": "Jo Bloggs",
        "conference_kind": ConferenceKind.INITIAL,
        "meeting": make_meeting(),
        "chair": make_person(name="Chris Doe", role="Independent chair"),
        "attended_agencies": ["children_social_care", "maternity", "drug_treatment"],
        "apologies": ["gp"],
        "woman_attended": True,
        "advocate_attended": True,
        "quorate": True,
        "plan": True,
        "category": _category(nation, overrides),
        "areas_of_concern": ["Housing"],
        "review_by": date(2027, 10, 1),
        "text": "Jo shared her views.\n\nThe midwife described the support plan.",
    }
    return MinutesContext(**(fields | overrides))


def _information_pack(nation: Nation, overrides: dict[str, Any]) -> DocumentContext:
    fields = _for_woman(nation) | {
        "involved": [
            make_person(name="Pat Lee", role="Specialist midwife", organisation="Northmoor NHS"),
            make_person(name="Kim Roe", role="Drug and alcohol worker", email=None),
        ],
        "advocacy_service": make_person(name="Voices Advocacy", role="Advocacy service"),
        "next_steps": ["Your midwife will see you every two weeks."],
    }
    return InformationPackContext(**(fields | overrides))


_BUILDERS = {
    DocumentKind.INVITATION_WOMAN: _invitation_woman,
    DocumentKind.INVITATION_AGENCY: _invitation_agency,
    DocumentKind.REPORT_FORM: _report_form,
    DocumentKind.DECISION_LETTER: _decision,
    DocumentKind.MINUTES: _minutes,
    DocumentKind.INFORMATION_PACK: _information_pack,
}


# --- Structure ------------------------------------------------------------------------------


class _Structure(HTMLParser):
    """Counts what the structural checks need: headings, the html lang, scripts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, int] = {}
        self.lang: str | None = None
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data


def _structure(html: str) -> _Structure:
    parser = _Structure()
    parser.feed(html)
    parser.close()
    return parser


@pytest.mark.parametrize("nation", NATIONS)
@pytest.mark.parametrize("kind", list(DocumentKind))
def test_every_document_renders_accessibly_in_both_nations(kind: DocumentKind, nation: Nation):
    document = render(kind, make_context(kind, nation))
    found = _structure(document.html)

    assert document.html.startswith("<!DOCTYPE html>")
    assert found.lang == "en"
    assert found.tags.get("h1") == 1
    assert found.tags.get("main") == 1
    assert found.tags.get("title") == 1
    assert "script" not in found.tags
    assert "<script" not in document.html.lower()
    assert "@media print" in found.style
    # No external resources: nothing is fetched when the document is opened or printed.
    assert not {"link", "img", "iframe"} & found.tags.keys()
    assert "http://" not in document.html
    assert "https://" not in document.html
    assert f"<h1>{document.title}</h1>" in document.html


@pytest.mark.parametrize(
    ("kind", "audience"),
    [
        (DocumentKind.INVITATION_WOMAN, "woman"),
        (DocumentKind.DECISION_LETTER, "woman"),
        (DocumentKind.INFORMATION_PACK, "woman"),
        (DocumentKind.INVITATION_AGENCY, "agency"),
        (DocumentKind.REPORT_FORM, "agency"),
        (DocumentKind.MINUTES, "staff"),
    ],
)
def test_each_document_names_its_audience(kind: DocumentKind, audience: str):
    assert render(kind, make_context(kind, Nation.ENGLAND)).audience == audience


def test_render_refuses_a_context_made_for_another_document():
    with pytest.raises(TypeError, match="DecisionContext"):
        render(DocumentKind.DECISION_LETTER, make_context(DocumentKind.MINUTES, Nation.ENGLAND))


@pytest.mark.parametrize(
    ("nation", "kind", "title"),
    [
        (Nation.ENGLAND, ConferenceKind.INITIAL, "an initial child protection conference"),
        (Nation.ENGLAND, ConferenceKind.REVIEW, "a review child protection conference"),
        (Nation.SCOTLAND, ConferenceKind.INITIAL, "a child protection planning meeting"),
        (Nation.SCOTLAND, ConferenceKind.REVIEW, "a review child protection planning meeting"),
    ],
)
def test_conference_is_named_as_each_nation_names_it(
    nation: Nation, kind: ConferenceKind, title: str
):
    context = make_context(DocumentKind.INVITATION_AGENCY, nation, conference_kind=kind)
    assert render(DocumentKind.INVITATION_AGENCY, context).title == f"Invitation to {title}"


# --- Language (R7.5) ------------------------------------------------------------------------


def _woman_variants() -> list[tuple[DocumentKind, Nation, dict[str, Any]]]:
    variants: list[tuple[DocumentKind, Nation, dict[str, Any]]] = []
    for nation in NATIONS:
        category = Category.NEGLECT if nation is Nation.ENGLAND else None
        variants += [
            (DocumentKind.INVITATION_WOMAN, nation, {}),
            (DocumentKind.INVITATION_WOMAN, nation, {"conference_kind": ConferenceKind.REVIEW}),
            (DocumentKind.INVITATION_WOMAN, nation, {"advocate": None, "unborn": False}),
            (DocumentKind.DECISION_LETTER, nation, {"plan": True, "category": category}),
            (DocumentKind.DECISION_LETTER, nation, {"plan": False}),
            (DocumentKind.DECISION_LETTER, nation, {"plan": False, "advocate": None}),
            (DocumentKind.INFORMATION_PACK, nation, {}),
            (DocumentKind.INFORMATION_PACK, nation, {"advocate": None, "involved": []}),
        ]
    # Her letters in easy read say the same things in their own words.
    return variants + [(k, n, o | {"formats": ["easy_read"]}) for k, n, o in variants]


@pytest.mark.parametrize(("kind", "nation", "overrides"), _woman_variants())
def test_documents_a_woman_receives_use_no_stigmatising_language(
    kind: DocumentKind, nation: Nation, overrides: dict[str, Any]
):
    document = render(kind, make_context(kind, nation, **overrides))
    assert document.audience == "woman"
    assert stigmatising_terms(document.html) == []


@pytest.mark.parametrize("nation", NATIONS)
@pytest.mark.parametrize("kind", [DocumentKind.INVITATION_AGENCY, DocumentKind.MINUTES])
def test_staff_documents_wording_is_person_first_too(kind: DocumentKind, nation: Nation):
    assert stigmatising_terms(render(kind, make_context(kind, nation)).html) == []


def test_report_form_teaches_the_words_to_use_instead():
    form = render(DocumentKind.REPORT_FORM, make_context(DocumentKind.REPORT_FORM, Nation.ENGLAND))
    text = text_of(form.html)
    assert "Instead of Write addict person who uses drugs" in text
    assert "dirty test result positive test result" in text
    assert "shared with Jo Bloggs by 28 June 2027, before the meeting" in text


# --- Escaping -------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
@pytest.mark.parametrize("kind", list(DocumentKind))
def test_names_and_venues_are_escaped(kind: DocumentKind, payload: str):
    overrides: dict[str, Any] = {
        "woman_name": payload,
        "meeting": make_meeting(venue_name=payload, venue_address=payload),
    }
    if kind is DocumentKind.REPORT_FORM:
        overrides = {"woman_name": payload, "agency_name": payload}
    elif kind in {DocumentKind.DECISION_LETTER, DocumentKind.INFORMATION_PACK}:
        overrides = {"woman_name": payload, "advocate": make_person(name=payload, email=payload)}
    html = render(kind, make_context(kind, Nation.ENGLAND, **overrides)).html

    assert payload not in html
    assert "<script" not in html
    assert "<img" not in html
    assert payload.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;") in html


def test_minutes_text_is_escaped_and_kept_in_paragraphs():
    text = "First point <b>bold</b>.\n\n<script>alert(1)</script>"
    minutes = make_context(DocumentKind.MINUTES, Nation.SCOTLAND, text=text)
    html = render(DocumentKind.MINUTES, minutes).html
    assert "<p>First point &lt;b&gt;bold&lt;/b&gt;.</p>" in html
    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>" in html


@pytest.mark.parametrize(
    ("nation", "title"),
    [
        (Nation.ENGLAND, "Minutes of the initial child protection conference"),
        (Nation.SCOTLAND, "Record of the child protection planning meeting"),
    ],
)
def test_the_minutes_are_titled_in_her_nations_words(nation: Nation, title: str):
    """Scotland's guidance keeps a record of the child protection planning meeting."""
    document = render(DocumentKind.MINUTES, make_context(DocumentKind.MINUTES, nation))
    assert document.title == title
    assert f"<h1>{title}</h1>" in document.html


# --- The decision ---------------------------------------------------------------------------


@pytest.mark.parametrize("plan", [True, False])
@pytest.mark.parametrize("kind", [DocumentKind.DECISION_LETTER, DocumentKind.MINUTES])
def test_scotland_never_mentions_a_category(kind: DocumentKind, plan: bool):
    html = render(kind, make_context(kind, Nation.SCOTLAND, plan=plan)).html
    assert "category" not in html.lower()
    register = "will be placed on" if plan else "will not be placed on"
    if kind is DocumentKind.DECISION_LETTER:
        assert f"Your baby's name {register} the child protection register." in text_of(html)


@pytest.mark.parametrize(
    ("category", "words"),
    [
        (Category.NEGLECT, "neglect"),
        (Category.EMOTIONAL, "emotional abuse"),
        (Category.PHYSICAL, "physical abuse"),
        (Category.SEXUAL, "sexual abuse"),
    ],
)
def test_england_names_the_category_in_plain_words(category: Category, words: str):
    context = make_context(DocumentKind.DECISION_LETTER, Nation.ENGLAND, category=category)
    html = render(DocumentKind.DECISION_LETTER, context).html
    assert f"The category of your baby's plan is: {words}." in text_of(html)
    assert f"<strong>{words}</strong>" in html
    assert "_abuse" not in html  # the plain words, not the stored value


def test_england_without_a_plan_says_so_and_names_no_category():
    context = make_context(DocumentKind.DECISION_LETTER, Nation.ENGLAND, plan=False)
    html = render(DocumentKind.DECISION_LETTER, context).html
    assert "Your baby does not need a child protection plan." in html
    assert "category" not in html.lower()
    assert "core group" not in html


@pytest.mark.parametrize(
    ("nation", "fields"),
    [
        (Nation.SCOTLAND, {"plan": True, "category": Category.NEGLECT}),
        (Nation.ENGLAND, {"plan": True, "category": None}),
        (Nation.ENGLAND, {"plan": False, "category": Category.NEGLECT}),
    ],
)
def test_decision_must_fit_the_nation(nation: Nation, fields: dict[str, Any]):
    with pytest.raises(ValidationError):
        make_context(DocumentKind.DECISION_LETTER, nation, **fields)
    with pytest.raises(ValidationError):
        make_context(DocumentKind.MINUTES, nation, **fields)


def test_decision_letter_says_what_happens_next_and_her_rights():
    context = make_context(DocumentKind.DECISION_LETTER, Nation.ENGLAND)
    html = render(DocumentKind.DECISION_LETTER, context).html
    assert "15 July 2027" in html  # core group
    assert "1 October 2027" in html  # review
    assert "challenge the decision" in html
    assert "tel:01632960111" in html
    assert "Complaining will not be held against you." in html


def test_inquorate_minutes_record_no_decision_and_who_was_missing():
    context = make_context(
        DocumentKind.MINUTES,
        Nation.ENGLAND,
        quorate=False,
        missing=["maternity"],
        plan=None,
    )
    html = render(DocumentKind.MINUTES, context).html
    assert "The meeting was not quorate." in html
    assert "<li>Midwifery</li>" in html
    assert "No decision was made." in html


# --- What the woman is told -----------------------------------------------------------------


@pytest.mark.parametrize("nation", NATIONS)
def test_woman_invitation_covers_meeting_support_reports_and_rights(nation: Nation):
    context = make_context(DocumentKind.INVITATION_WOMAN, nation)
    html = render(DocumentKind.INVITATION_WOMAN, context).html
    for expected in (
        "Dear Jo,",
        "Northmoor Family Centre",
        "28 June 2027",  # reports by
        "private room",
        "step-free access",
        "help pay for your travel",
        "bring your advocate",
        "friend or family member",
        "Your advocate is Sam Patel.",
        "get the decision in writing",
        "complain",
        "easy read",
        "interpreter",
        "Alex Reid",
    ):
        assert expected in html, expected


def test_woman_invitation_without_an_advocate_tells_her_how_to_ask():
    context = make_context(DocumentKind.INVITATION_WOMAN, Nation.ENGLAND, advocate=None)
    html = render(DocumentKind.INVITATION_WOMAN, context).html
    assert "If you would like one, ask your named worker" in html


def test_phone_meetings_do_not_offer_a_venue_or_travel():
    meeting = make_meeting(format=MeetingFormat.PHONE, venue_name=None, venue_address=None)
    context = make_context(DocumentKind.INVITATION_WOMAN, Nation.SCOTLAND, meeting=meeting)
    html = render(DocumentKind.INVITATION_WOMAN, context).html
    assert "By phone." in html
    assert "travel" not in html


def test_agency_invitation_notes_england_quorum_for_an_unborn_baby():
    context = make_context(DocumentKind.INVITATION_AGENCY, Nation.ENGLAND)
    html = render(DocumentKind.INVITATION_AGENCY, context).html
    assert "Midwifery must attend for an unborn baby." in html
    assert "25 June 2027" in html  # report due
    assert "shared with Jo Bloggs before the meeting" in html


def test_agency_invitation_uses_scotland_quorum_and_area_notes_when_given():
    scotland = make_context(DocumentKind.INVITATION_AGENCY, Nation.SCOTLAND)
    assert "Social work, health and police" in render(DocumentKind.INVITATION_AGENCY, scotland).html
    custom = make_context(
        DocumentKind.INVITATION_AGENCY, Nation.ENGLAND, quorum_notes=["Housing must attend."]
    )
    html = render(DocumentKind.INVITATION_AGENCY, custom).html
    assert "Housing must attend." in html
    assert "Midwifery must attend" not in html


@pytest.mark.parametrize("nation", NATIONS)
def test_information_pack_lists_who_is_involved_and_how_to_get_an_advocate(nation: Nation):
    context = make_context(DocumentKind.INFORMATION_PACK, nation, advocate=None)
    html = render(DocumentKind.INFORMATION_PACK, context).html
    assert "Pat Lee" in html
    assert "Specialist midwife, Northmoor NHS" in html
    assert "Voices Advocacy" in html
    assert "You can have an advocate." in html
    assert "support for you carries on" in html
    assert "Your midwife will see you every two weeks." in html
    assert "large print" in html


# --- Dates and times ------------------------------------------------------------------------


def test_meeting_time_is_shown_in_london_time_in_uk_style():
    context = make_context(DocumentKind.INVITATION_WOMAN, Nation.ENGLAND)
    html = render(DocumentKind.INVITATION_WOMAN, context).html
    assert "<dd>1 July 2027</dd>" in html
    assert "<dd>10:30am</dd>" in html
    assert "About 1 hour 30 minutes" in html


@pytest.mark.parametrize(
    ("when", "date_text", "time_text"),
    [
        (datetime(2027, 1, 12, 14, 0, tzinfo=UTC), "12 January 2027", "2:00pm"),
        (datetime(2027, 3, 2, 12, 0, tzinfo=UTC), "2 March 2027", "12:00pm"),
        (datetime(2027, 7, 1, 23, 15, tzinfo=UTC), "2 July 2027", "12:15am"),
        (datetime(2027, 10, 31, 0, 5, tzinfo=UTC), "31 October 2027", "1:05am"),
    ],
)
def test_uk_date_and_time(when: datetime, date_text: str, time_text: str):
    assert long_date(when) == date_text
    assert clock_time(when) == time_text
    # Letters write dates and times with the one formatter the pages use.
    filters = environment().filters
    assert (filters["uk_date"](when), filters["uk_time"](when)) == (date_text, time_text)


def test_plain_dates_and_durations():
    assert long_date(date(2027, 3, 2)) == "2 March 2027"
    assert duration_words(60) == "1 hour"
    assert duration_words(45) == "45 minutes"
    assert duration_words(121) == "2 hours 1 minute"


def test_meeting_info_is_built_from_scheduled_details():
    details = MeetingDetails(
        starts_at=STARTS_AT,
        venue=Venue(name="Glenbrae Hub", address="2 High Street", private_room=True),
        travel_support=True,
    )
    info = MeetingInfo.from_details(details)
    assert info.venue_name == "Glenbrae Hub"
    assert info.private_room is True
    assert info.accessible is False
    assert info.travel_support is True


def test_meeting_time_must_be_aware():
    with pytest.raises(ValidationError):
        make_meeting(starts_at=datetime(2027, 7, 1, 9, 30))


@pytest.mark.parametrize(
    ("situation", "words"),
    [
        (Situation.BEFORE_BIRTH, "Your baby is not born yet"),
        (Situation.NEONATAL_UNIT, "on the neonatal unit"),
        (Situation.TRANSITIONAL_CARE, "in transitional care"),
        (Situation.AT_HOME, "at home with you"),
        (Situation.IN_CARE, "looked after away from you"),
    ],
)
def test_the_decision_letter_says_where_her_baby_is(situation: Situation, words: str) -> None:
    ctx = make_context(DocumentKind.DECISION_LETTER, Nation.SCOTLAND, situation=situation)
    assert words in render(DocumentKind.DECISION_LETTER, ctx).html


def test_an_information_pack_after_the_birth_speaks_of_her_baby_where_she_is() -> None:
    before = render(
        DocumentKind.INFORMATION_PACK, make_context(DocumentKind.INFORMATION_PACK, Nation.ENGLAND)
    ).html
    assert "before your baby is born" in before
    after = make_context(
        DocumentKind.INFORMATION_PACK,
        Nation.ENGLAND,
        unborn=False,
        situation=Situation.NEONATAL_UNIT,
    )
    html = render(DocumentKind.INFORMATION_PACK, after).html
    assert "before your baby is born" not in html
    assert "Your baby is being cared for on the neonatal unit" in html


@pytest.mark.parametrize("kind", [DocumentKind.DECISION_LETTER, DocumentKind.INFORMATION_PACK])
def test_scotland_s_orders_are_told_to_her_with_the_children_s_hearing(kind: DocumentKind) -> None:
    extra = {"unborn": False} if kind is DocumentKind.INFORMATION_PACK else {}
    supervision = make_context(
        kind,
        Nation.SCOTLAND,
        situation=Situation.IN_CARE,
        orders=["compulsory_supervision_order"],
        **extra,
    )
    html = render(kind, supervision).html
    assert "compulsory supervision order" in html
    assert "Children&#39;s Hearing" in html or "Children's Hearing" in html
    protection = make_context(
        kind,
        Nation.SCOTLAND,
        situation=Situation.IN_CARE,
        orders=["child_protection_order"],
        **extra,
    )
    assert "child protection order" in render(kind, protection).html
    england = make_context(
        kind, Nation.ENGLAND, situation=Situation.IN_CARE, orders=["interim_care_order"], **extra
    )
    assert "Hearing" not in render(kind, england).html
