"""The signed-in person, as every check and audit row sees them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from forms.common import Actor, Role
from waymark.db.models import Organisation, User


@dataclass(frozen=True)
class Principal:
    user_id: uuid.UUID
    username: str
    display_name: str
    role: Role
    organisation_id: uuid.UUID
    area_code: str
    request_id: str

    def actor(self) -> Actor:
        """The contract form carried into workflows and activities."""
        return Actor(
            user_id=self.user_id,
            role=self.role,
            organisation_id=self.organisation_id,
            request_id=self.request_id,
        )


async def principal_of(session: AsyncSession, user: User, request_id: str) -> Principal:
    """The signed-in person for this user account, with her organisation's area."""
    org = await session.get(Organisation, user.organisation_id)
    assert org is not None
    return Principal(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=Role(user.role),
        organisation_id=user.organisation_id,
        area_code=org.area_code,
        request_id=request_id,
    )
