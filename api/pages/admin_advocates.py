"""The admin's form for an advocate's profile: how many women she can take, her languages, the
areas she covers and her leave. It calls the service the API's PUT profile route calls
(services.users.save_advocate_profile), through the same contract."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from api.deps import Session
from api.pages.actions import given, sentence, validated
from api.pages.fields import Errors, Values, text, ticked, values_of
from api.pages.guard import Admin, CheckedForm
from api.pages.render import render
from forms.advocacy import ProfileRequest
from forms.languages import language_name, sorted_languages
from services import advocacy_views as views
from services import users
from waymark import audit
from waymark.areas import load_areas
from waymark.db.models import AdvocateProfile, User
from waymark.errors import Invalid

router = APIRouter(tags=["pages: admin"], include_in_schema=False)

PROFILE = {
    "capacity": "the most women she can work with at once",
    "languages": "the languages she works in",
    "areas": "the areas she covers",
    "on_leave_from": "the first day of her leave",
    "on_leave_until": "the last day of her leave",
}
LEAVE_ORDER = "Leave must end on or after the day it starts"


def _values(profile: AdvocateProfile | None, area: str) -> Values:
    if profile is None:
        return {"languages[]": ["en"], "areas[]": [area]}
    return {
        "capacity": str(profile.capacity),
        "languages[]": list(profile.languages or ["en"]),
        "areas[]": list(profile.areas or []),
        "on_leave_from": profile.on_leave_from.isoformat() if profile.on_leave_from else "",
        "on_leave_until": profile.on_leave_until.isoformat() if profile.on_leave_until else "",
        "is_manager": "yes" if profile.is_manager else "",
    }


def _language_choices(values: Values) -> list[tuple[str, str]]:
    """Every listed language by name, English first, and any other she was given (by the API)."""
    listed = [("en", "English"), *sorted_languages()]
    known = {code for code, _ in listed}
    others = [code for code in values.get("languages[]", []) if code not in known]
    return listed + [(code, language_name(code)) for code in others]


def _page(
    request: Request, advocate: User, values: Values, errors: Errors, status: int = 200
) -> Response:
    return render(
        request,
        "admin_advocate_profile.html.j2",
        status=status,
        title="Change an advocate's profile",
        advocate=advocate,
        areas=[(code, rules.name) for code, rules in sorted(load_areas().items())],
        languages=_language_choices(values),
        values=values,
        errors=errors,
    )


@router.get("/admin/advocates/{user_id}/profile")
async def profile_form(
    request: Request, user_id: uuid.UUID, principal: Admin, session: Session
) -> Response:
    """The advocate's profile, filled in as it is now."""
    advocate = await views.advocate_account(session, user_id, area=principal.area_code)
    audit.record(
        session,
        principal.actor(),
        action="open_advocate_profile_form",
        record_type="user",
        record_id=advocate.id,
    )
    profile = await session.get(AdvocateProfile, advocate.id)
    return _page(request, advocate, _values(profile, principal.area_code), {})


@router.post("/admin/advocates/{user_id}/profile")
async def save_profile(
    request: Request, user_id: uuid.UUID, principal: Admin, form: CheckedForm, session: Session
) -> Response:
    """Save the profile as the API would; a wrong answer is the form again, nothing saved."""
    advocate = await views.advocate_account(session, user_id, area=principal.area_code)
    languages = [str(code) for code in form.getlist("languages")]
    data = given(
        capacity=text(form, "capacity"),
        languages=languages or None,
        areas=[str(area) for area in form.getlist("areas")] or None,
        on_leave_from=text(form, "on_leave_from"),
        on_leave_until=text(form, "on_leave_until"),
    )
    body, errors = validated(
        ProfileRequest, {**data, "is_manager": ticked(form, "is_manager")}, PROFILE
    )
    if body is not None:
        try:
            await users.save_advocate_profile(session, principal, advocate.id, body)
        except Invalid as exc:
            errors = {"areas": sentence(exc.message)}
        else:
            return RedirectResponse("/admin/advocates?done=profile", status_code=303)
    if "areas" in errors and "areas" not in data:
        errors["areas"] = "Choose at least one area she covers"
    for name, message in list(errors.items()):
        if message == LEAVE_ORDER:  # a rule about the pair: shown at the day it ends
            del errors[name]
            errors["on_leave_until"] = "The last day of her leave must be on or after the first"
    return _page(request, advocate, values_of(form), errors, 422)
