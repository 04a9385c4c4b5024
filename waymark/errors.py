"""Business outcomes that carry their HTTP status; one handler renders them."""

from __future__ import annotations

from collections.abc import Sequence


class DomainError(Exception):
    """`problems` names each field that is wrong, as (dotted path or header, what is wrong)."""

    status_code = 400

    def __init__(self, message: str, problems: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems)


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


class UnsupportedMediaType(DomainError):
    status_code = 415


class Unavailable(DomainError):
    status_code = 503
