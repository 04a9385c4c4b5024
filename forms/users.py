"""An admin's changes to people's accounts: adding one, and a role or organisation."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

from forms.common import Contract, Role, checked_name

Username = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_lower=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{1,59}$"
    ),
]
DisplayName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(checked_name),
]


class AccessChange(Contract):
    """A user's role and organisation."""

    role: Role
    organisation_id: uuid.UUID


class NewUser(AccessChange):
    """An account an admin adds (usernames are kept in lower case, and unique in any case)."""

    username: Username
    display_name: DisplayName
