"""Rendering pages: one Jinja2 environment (autoescape always on), filters for UK dates and
plain-language labels, and the context every page gets (who is signed in, the form token)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from starlette.requests import Request
from starlette.responses import HTMLResponse

from api import csrf
from forms.common import Nation, Role
from forms.labels import label as words
from forms.languages import language_name
from forms.situation import baby_place
from rules.wording import date_and_time, long_date, readable_dates, readable_times
from waymark.areas import UnknownAreaError, get_area
from waymark.security.principal import Principal

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"

# Plain, person-first words for stored codes; anything else is shown as its words.
LABELS = {
    "screening": "Referral being screened",
    "early_help": "Early help",
    "pre_birth_assessment": "Pre-birth assessment",
    "strategy_discussion": "Strategy discussion",
    "conference": "Case conference",
    "child_protection_plan": "Child protection plan",
    "support_without_plan": "Support without a plan",
    "postnatal": "After the birth",
    "baby_in_care": "Her baby is in care; her own support continues",
    "closed": "Closed",
    "no_further_action": "No further action",
    "planning_meeting": "Planning meeting",
    "review_conference": "Review conference",
    "core_group": "Core group",
    "pre_discharge": "Pre-discharge meeting",
    "pre_proceedings": "Pre-proceedings meeting",
    "court_hearing": "Court hearing",
    "in_person": "In person",
    "sms": "Text message",
    "permanent-failure": "Not delivered (permanent failure)",
    "temporary-failure": "Not delivered yet (temporary failure)",
    "technical-failure": "Not delivered yet (technical failure)",
    "withheld": "Not sent: no safe way to reach them",
    "superseded": "Replaced by a later message",
    "care": "In care",
    "mother_and_baby_placement": "Mother and baby placement",
    "voluntary_accommodation_s20": "Voluntary accommodation (section 20)",
    "voluntary_accommodation_s25": "Voluntary accommodation (section 25)",
    "safeguarding_lead": "Safeguarding lead",
}
# Scotland's words where they differ from England's: a page about a woman in Scotland (one given
# `nation`) says these (an IRD, a child protection planning meeting, the register, a Children's
# Hearing rather than a court for her baby).
SCOTTISH_LABELS = {
    "strategy_discussion": "Inter-agency Referral Discussion (IRD)",
    "conference": "Child protection planning meeting",
    "review_conference": "Review child protection planning meeting",
    "child_protection_plan": "On the child protection register",
    "court_hearing": "Children's Hearing",
}
ROLE_HOMES = {
    Role.SOCIAL_WORKER: "/caseload",
    Role.ADVOCATE: "/advocate",
    Role.SAFEGUARDING_LEAD: "/lead",
    Role.PRACTITIONER: "/agency",
    Role.ADMIN: "/admin",
}
NAV: dict[Role, list[tuple[str, str]]] = {
    Role.SOCIAL_WORKER: [
        ("/caseload", "Caseload"),
        ("/referrals/new", "Make a referral"),
        ("/texts", "Texts to match"),
        ("/possible-matches", "Possible matches"),
        ("/transfers", "Transfers"),
        ("/search", "Find a record"),
    ],
    Role.PRACTITIONER: [
        ("/agency", "Meetings and women"),
        ("/referrals/new", "Make a referral"),
        ("/search", "Find a record"),
    ],
    Role.ADVOCATE: [
        ("/advocate", "My women and meetings"),
        ("/advocate/calendar", "Calendar"),
        ("/search", "Find a record"),
    ],
    Role.SAFEGUARDING_LEAD: [
        ("/lead", "Ledger"),
        ("/lead/compliance", "Compliance"),
        ("/lead/emergency-access", "Emergency access reviews"),
        ("/lead/searches", "Searches made"),
        ("/transfers", "Transfers"),
        ("/texts", "Texts to match"),
        ("/search", "Find a record"),
    ],
    Role.ADMIN: [("/admin", "Users"), ("/admin/advocates", "Advocates"), ("/admin/areas", "Areas")],
}


def label(value: object, nation: object = None) -> str:
    """A stored code in plain words: 'pre_birth_assessment' -> 'Pre-birth assessment'; in
    Scotland's words where they differ when her `nation` is given."""
    text = str(value) if value is not None else ""
    if str(nation) == Nation.SCOTLAND.value and text in SCOTTISH_LABELS:
        return SCOTTISH_LABELS[text]
    if text in LABELS:
        return LABELS[text]
    words = text.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


@pass_context
def label_for_her(context: Context, value: object, nation: object = None) -> str:
    """The `label` filter: in her nation's words, given for a row about one woman in a list
    (`w.stage|label(w.nation)`), else the page's (`nation`)."""
    return label(value, nation or context.get("nation"))


@pass_context
def words_for_her(context: Context, key: str) -> str:
    """The `words` filter: a step's words from forms/labels.py in the page's nation (England's
    where the page knows none)."""
    return words(key, Nation(context.get("nation") or Nation.ENGLAND.value))


def uk_date(value: date | datetime | None) -> str:
    """'1 March 2027' (a datetime is first turned into UK time)."""
    return "" if value is None else long_date(value)


def uk_datetime(value: datetime | None) -> str:
    """'1 March 2027 at 2:30pm', in UK time."""
    return "" if value is None else date_and_time(value)


def field_id(name: str) -> str:
    """The HTML id of a form field (dots are awkward in CSS selectors and URLs)."""
    return "f-" + name.replace(".", "-").replace("_", "-")


def place(baby: Any) -> str:
    """Where a baby is, as recorded and kept current (the neonatal unit, home, in care)."""
    return baby_place(baby.location, baby.placement, baby.discharged_at is not None)


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,  # every template, whatever its extension: never turned off
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(label=label_for_her, uk_date=uk_date, uk_datetime=uk_datetime, fid=field_id)
    env.filters.update(place=place, dates=readable_dates, language=language_name)
    env.filters.update(times=readable_times, words=words_for_her)
    return env


templates = Jinja2Templates(env=_environment())


def form_token(request: Request) -> str:
    """The CSRF token for this request's session (or pre-sign-in binding); '' without one."""
    binding: str | None = getattr(request.state, "csrf_binding", None)
    if binding is None:
        return ""
    return csrf.token_for(request.app.state.settings, binding)


def _nation_of(me: Principal | None) -> str | None:
    """The nation of the signed-in person's area (None when signed out or without one)."""
    if me is None:
        return None
    try:
        return get_area(me.area_code).nation.value
    except UnknownAreaError:
        return None


def render(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    """A page from api/templates with the common context."""
    me: Principal | None = getattr(request.state, "principal", None)
    base: dict[str, Any] = {
        "me": me,
        "nav": NAV.get(me.role, []) if me else [],
        # Where the reader works, for words about no one woman; a page about one woman gives
        # her own nation instead, and a list gives each row its woman's.
        "nation": _nation_of(me),
        "path": request.url.path,
        "csrf_field": csrf.FIELD,
        "csrf_token": form_token(request),
        "errors": {},
        "notice": None,
        "values": {},
    }
    response: HTMLResponse = templates.TemplateResponse(
        request, template, {**base, **context}, status_code=status
    )
    return response
