"""Business outcomes that carry their HTTP status; one handler renders them."""

from __future__ import annotations


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    status_code = 404


class NotSignedIn(DomainError):
    status_code = 401


class Forbidden(DomainError):
    status_code = 403


class Conflict(DomainError):
    status_code = 409


class Invalid(DomainError):
    """Input that is well-formed but wrong (an unknown area, a date that cannot be)."""

    status_code = 422


class Unavailable(DomainError):
    status_code = 503
