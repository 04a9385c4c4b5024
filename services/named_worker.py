"""Naming her worker later: who may name one, and who may be named. Her named worker is a
social worker in her team who does not work for her baby; her team's social workers and her
area's safeguarding lead may name one. Checked before the command reaches her episode."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from forms.common import Actor, Role
from waymark.db.models import SupportEpisode, User, Woman
from waymark.errors import Conflict, Forbidden, Invalid

BABY_WORKER = (
    "this person is her baby's social worker: her named worker must be someone else, for her "
    "own support"
)


def may_name(actor: Actor, woman: Woman) -> bool:
    """Her team's social workers, and a safeguarding lead (the policy has checked the area)."""
    if actor.role is Role.SAFEGUARDING_LEAD:
        return True
    return actor.role is Role.SOCIAL_WORKER and actor.organisation_id == woman.team_id


async def check_named_worker(
    session: AsyncSession,
    actor: Actor,
    woman: Woman,
    episode: SupportEpisode,
    worker_id: uuid.UUID,
) -> User:
    """The worker to name, or a refusal saying why (nothing is written)."""
    if not may_name(actor, woman):
        raise Forbidden("only her team's social workers or a safeguarding lead can name her worker")
    if episode.status != "active":
        raise Conflict(f"her support episode is {episode.status}")
    worker = await session.get(User, worker_id)
    if (
        worker is None
        or not worker.active
        or worker.role != Role.SOCIAL_WORKER.value
        or worker.organisation_id != woman.team_id
    ):
        raise Invalid(
            "her named worker must be an active social worker in her team",
            [("worker_id", "is not an active social worker in her team")],
        )
    if worker_id == woman.coordinator_user_id:
        raise Conflict(BABY_WORKER)
    if worker_id == episode.named_worker_id:
        raise Conflict("this person is already her named worker")
    return worker
