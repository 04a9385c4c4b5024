"""The pages: server-rendered, working without JavaScript, calling the same services and
workflow Updates as the API. `install(app)` adds their routes, static files and error pages."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api import csrf
from api.pages import (
    account,
    admin,
    admin_advocates,
    admin_users,
    advocacy,
    advocacy_offer,
    advocate,
    agency,
    auth,
    birth,
    break_glass,
    case,
    caseload,
    clocks,
    commands,
    conference,
    conference_followup,
    errors,
    help_page,
    her_view,
    lead,
    meeting_held,
    meetings,
    merging,
    oidc,
    onboard,
    planning,
    possible_matches,
    referral,
    search,
    support,
    support_close,
    support_commands,
    support_named,
    texts,
    transfer_request,
    transfers,
    woman,
)

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
MODULES = (
    auth,
    account,
    help_page,
    her_view,
    oidc,
    caseload,
    referral,
    woman,
    commands,
    birth,
    conference,
    meetings,
    meeting_held,
    planning,
    clocks,
    conference_followup,
    case,
    advocacy_offer,
    advocate,
    advocacy,
    support,
    support_commands,
    support_named,
    support_close,
    agency,
    lead,
    texts,
    possible_matches,
    merging,
    search,
    break_glass,
    admin,
    admin_users,
    admin_advocates,
    onboard,
    transfers,
    transfer_request,
)


def install(app: FastAPI) -> None:
    """Register the page routes, /static and the page-aware error handlers."""
    csrf.secret_key(app.state.settings)  # production refuses to start without a secret key
    for module in MODULES:
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    errors.install(app)
