"""One place that turns errors into responses: a clear message, never a stack trace."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from waymark.errors import DomainError

log = logging.getLogger("waymark.api")


def _where(loc: tuple[object, ...]) -> str:
    return ".".join(str(part) for part in loc if part not in ("body",))


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return JSONResponse({"detail": exc.message}, status_code=exc.status_code)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    # Name the field and the problem; never echo the submitted values (they may be personal).
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"field": _where(tuple(err.get("loc", ()))), "problem": _message(err)}
        for err in exc.errors()
    ]
    return JSONResponse({"detail": "the request is not valid", "problems": problems}, 422)


def _message(err: dict[str, object]) -> str:
    message = str(err.get("msg", "invalid"))
    return message.removeprefix("Value error, ")


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    request_id = getattr(request.state, "request_id", "-")
    log.exception("unhandled error (request %s)", request_id)
    return JSONResponse(
        {"detail": f"something went wrong on our side; quote reference {request_id}"}, 500
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
