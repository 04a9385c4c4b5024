"""The form her feedback request links to: no sign-in, the link's one-time token is the key.
Nothing on it names her; an answered or unknown link says so plainly."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from starlette.responses import Response

from api import csrf, web_session
from api.deps import AppSettings, Session
from api.pages.render import render
from services import feedback
from waymark import audit
from waymark.db.models import MeetingFeedback

router = APIRouter(include_in_schema=False)
WENT_OPTIONS = [(value, feedback.WENT_WORDS[value]) for value in feedback.WENT.values()]
UNDERSTOOD_OPTIONS = [("yes", "Yes"), ("no", "No")]
MAX_WORDS = 2000


def _page(
    request: Request, settings: AppSettings, *, status: int = 200, **context: object
) -> Response:
    binding, new = web_session.presession(request)
    request.state.csrf_binding = f"pre:{binding}"
    page = {"went": WENT_OPTIONS, "understood": UNDERSTOOD_OPTIONS, "open": True, "thanked": False}
    page.update(context)
    response = render(request, "her_view.html.j2", status=status, **page)
    if new:
        web_session.set_cookie(response, web_session.PRE_COOKIE, binding, settings)
    return response


@router.get("/feedback/{token}")
async def her_view_form(
    request: Request, token: str, session: Session, settings: AppSettings
) -> Response:
    """The three questions, all optional."""
    row = await feedback.by_token(session, token[:100])
    return _page(request, settings, status=200 if row else 404, open=row is not None)


@router.post("/feedback/{token}")
async def her_view_answer(
    request: Request, token: str, session: Session, settings: AppSettings
) -> Response:
    """Her answer goes on her record; the link then stops working."""
    csrf.check_origin(request, settings)
    form = await request.form()
    binding = request.cookies.get(web_session.PRE_COOKIE)
    csrf.check_token(settings, f"pre:{binding}" if binding else None, form.get(csrf.FIELD))
    row = await feedback.by_token(session, token[:100])
    if row is None:
        return _page(request, settings, status=404, open=False)
    values = {name: str(form.get(name, "")) for name in ("went", "understood", "would_help")}
    errors = _problems(values)
    if errors:
        return _page(request, settings, status=422, errors=errors, values=values)
    _answer(session, row, values)
    return _page(request, settings, open=False, thanked=True)


def _problems(values: dict[str, str]) -> dict[str, str]:
    errors = {}
    if values["went"] and values["went"] not in feedback.WENT_WORDS:
        errors["went"] = "Choose one of the answers, or leave it blank"
    if values["understood"] and values["understood"] not in dict(UNDERSTOOD_OPTIONS):
        errors["understood"] = "Choose one of the answers, or leave it blank"
    if len(values["would_help"]) > MAX_WORDS:
        errors["would_help"] = f"Please keep this to {MAX_WORDS} characters or fewer"
    return errors


def _answer(session: Session, row: MeetingFeedback, values: dict[str, str]) -> None:
    understood = {"yes": True, "no": False}.get(values["understood"])
    feedback.answer(
        session,
        row,
        went=values["went"] or None,
        understood=understood,
        would_help=values["would_help"].strip(),
        via="form",
        at=datetime.now(UTC),
    )
    audit.record(
        session, None, action="receive_feedback", record_type="woman", record_id=row.woman_id
    )
