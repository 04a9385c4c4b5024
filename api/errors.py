"""One place that turns errors into responses: a clear message, never a stack trace."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy.exc import InterfaceError, OperationalError

from waymark.errors import DomainError

log = logging.getLogger("waymark.api")


def _where(loc: tuple[object, ...]) -> str:
    return ".".join(str(part) for part in loc if part not in ("body",))


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
    body: dict[str, object] = {"detail": exc.message}
    if exc.problems:
        body["problems"] = [{"field": field, "problem": why} for field, why in exc.problems]
    return JSONResponse(body, status_code=exc.status_code, headers=headers)


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    # The database is unreachable or failing: a temporary outage, not a fault in the request.
    log.warning(
        "database unavailable (request %s): %s", request.state.request_id, type(exc).__name__
    )
    return JSONResponse({"detail": "the database is not available; try again shortly"}, 503)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    # Name the field and the problem; never echo the submitted values (they may be personal).
    # A contract built in a route from parts that were each valid (a placement in care with no
    # legal basis) is refused the same way: the combination is the caller's mistake.
    assert isinstance(exc, RequestValidationError | ValidationError)
    problems = [
        {"field": _where(tuple(err.get("loc", ()))), "problem": _message(dict(err))}
        for err in exc.errors()
    ]
    return JSONResponse({"detail": "the request is not valid", "problems": problems}, 422)


def _message(err: dict[str, object]) -> str:
    message = str(err.get("msg", "invalid"))
    return message.removeprefix("Value error, ")


def install_error_handlers(app: FastAPI) -> None:
    """Domain errors and bad input; unexpected errors become a 500 in RequestContext."""
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(ValidationError, _validation_error)
    app.add_exception_handler(OperationalError, _database_error)
    app.add_exception_handler(InterfaceError, _database_error)
