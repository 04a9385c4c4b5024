"""Bringing existing cases in, as an admin's page: upload the file (docs/onboarding.md), see
every problem by line and column (nothing written), or what was brought in. The page runs the
same checks and import as `waymark onboard`, for the admin's own area."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.responses import Response

from api.deps import AppSettings, Session, Temporal
from api.pages.fields import ticked
from api.pages.guard import Admin, CheckedForm
from api.pages.render import render
from services.onboard.run import Onboarding, Report, run
from waymark.localtime import today_in_uk

router = APIRouter(tags=["pages: admin"], include_in_schema=False)

MAX_BYTES = 20_000_000


def _page(request: Request, report: Report | None, dry_run: bool, status: int = 200) -> Response:
    return render(
        request,
        "admin_onboard.html.j2",
        status=status,
        title="Bring existing cases in",
        report=report,
        dry_run=dry_run,
        values={},
        errors={},
    )


@router.get("/admin/onboard")
async def onboard_form(request: Request, principal: Admin) -> Response:
    """The upload form."""
    return _page(request, None, False)


@router.post("/admin/onboard")
async def onboard(
    request: Request,
    principal: Admin,
    form: CheckedForm,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Response:
    """Check the file; bring the cases in unless it is a dry run or anything is wrong."""
    # The import writes in its own transactions: end this request's first (on SQLite it would
    # hold the one write lock).
    await session.commit()
    upload = form.get("file")
    dry_run = ticked(form, "dry_run")
    if not isinstance(upload, UploadFile):
        return _page(request, Report(problems=[]), dry_run, 422)
    data = await upload.read(MAX_BYTES + 1)
    context = Onboarding(request.app.state.sessions, temporal, settings.temporal_task_queue)
    report = await run(
        context,
        data[:MAX_BYTES].decode("utf-8-sig", errors="replace"),
        principal.username,
        today_in_uk(),
        dry_run=dry_run,
        area=principal.area_code,
    )
    return _page(request, report, dry_run, 422 if report.problems else 200)
