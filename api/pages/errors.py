"""Errors on pages become pages: a friendly 404/403/409 page, a 403 for an expired form, a
redirect to sign in. API paths keep the JSON handlers they had."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from api.csrf import CsrfRefused
from api.pages.guard import PasswordChangeNeeded, SignInNeeded
from api.pages.render import render
from waymark.errors import DomainError, NotSignedIn
from waymark.security.policy import BREAK_GLASS_ROLES

log = logging.getLogger("waymark.pages")
Handler = Callable[[Request, Any], Response | Awaitable[Response]]

# Paths that are not pages: their errors stay JSON.
NOT_PAGES = ("/api/", "/codec", "/calendar/", "/health", "/docs", "/redoc", "/openapi", "/static/")
TITLES = {
    400: "There is a problem with the request",
    403: "You cannot do this",
    404: "Page not found",
    405: "This page cannot do that",
    409: "This cannot be done now",
    413: "What you sent is too large",
    422: "There is a problem",
    503: "Sorry, the service is not available",
}


def is_page(request: Request) -> bool:
    return not request.url.path.startswith(NOT_PAGES)


def error_page(request: Request, status: int, message: str | None = None) -> Response:
    """The one error page; a 404 reads the same whether or not the record exists."""
    me = getattr(request.state, "principal", None)
    return render(
        request,
        "error.html.j2",
        status=status,
        title=TITLES.get(status, "Sorry, something went wrong"),
        message=None if status == 404 else message,
        status_code=status,
        can_break_glass=status == 404 and me is not None and me.role in BREAK_GLASS_ROLES,
    )


def sign_in_redirect(request: Request, *, expired: bool) -> Response:
    """To the sign-in page, coming back to this page (a GET) afterwards."""
    target = request.url.path if request.method == "GET" else "/"
    query = f"?next={quote(target, safe='/')}" + ("&expired=1" if expired else "")
    return RedirectResponse("/sign-in" + query, status_code=303)


async def _delegate(handler: Handler, request: Request, exc: Exception) -> Response:
    result = handler(request, exc)
    return await result if inspect.isawaitable(result) else result


def install(app: FastAPI) -> None:
    """Put page-aware handlers in front of the JSON ones (which API paths still get)."""
    json_domain: Handler = app.exception_handlers[DomainError]
    json_validation: Handler = app.exception_handlers[RequestValidationError]

    async def domain(request: Request, exc: Exception) -> Response:
        if not is_page(request):
            return await _delegate(json_domain, request, exc)
        assert isinstance(exc, DomainError)
        if isinstance(exc, NotSignedIn):
            return sign_in_redirect(request, expired=False)
        return error_page(request, exc.status_code, exc.message)

    async def validation(request: Request, exc: Exception) -> Response:
        # On a page only a malformed address gets here (forms are checked by the pages).
        if not is_page(request):
            return await _delegate(json_validation, request, exc)
        return error_page(request, 404)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if not is_page(request):
            return await http_exception_handler(request, exc)
        response = error_page(request, exc.status_code, str(exc.detail))
        response.headers.update(exc.headers or {})
        return response

    async def csrf_refused(request: Request, exc: Exception) -> Response:
        # A possible cross-site attack or just a stale form: on the log, without any data.
        log.warning("page form refused (%s) on request %s", exc, request.state.request_id)
        return render(request, "form_expired.html.j2", status=403)

    async def sign_in_needed(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SignInNeeded)
        return sign_in_redirect(request, expired=exc.expired)

    app.add_exception_handler(DomainError, domain)
    app.add_exception_handler(RequestValidationError, validation)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(CsrfRefused, csrf_refused)
    app.add_exception_handler(SignInNeeded, sign_in_needed)
    app.add_exception_handler(
        PasswordChangeNeeded, lambda request, exc: RedirectResponse("/account/password", 303)
    )
