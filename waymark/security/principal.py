"""The signed-in person, as every check and audit row sees them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from forms.common import Actor, Role


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
