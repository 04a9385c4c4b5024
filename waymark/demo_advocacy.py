"""Demo advocates: profiles for Ava and Kirsty, and two more advocates in each area."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from waymark.db.models import AdvocateProfile, Organisation, User


@dataclass(frozen=True)
class DemoAdvocate:
    username: str
    display_name: str
    org: str
    area: str
    languages: tuple[str, ...]
    capacity: int
    is_manager: bool = False


ADVOCATES = [
    DemoAdvocate("ava.advocate", "Ava Lewis", "northmoor-advocacy", "northmoor", ("en",), 12),
    DemoAdvocate(
        "ben.advocate", "Ben Kowalski", "northmoor-advocacy", "northmoor", ("en", "pl"), 3
    ),
    DemoAdvocate(
        "nadia.advocate",
        "Nadia Hussain",
        "northmoor-advocacy",
        "northmoor",
        ("en", "ur", "pa"),
        6,
        is_manager=True,
    ),
    DemoAdvocate("kirsty.advocate", "Kirsty Reid", "glenbrae-advocacy", "glenbrae", ("en",), 12),
    DemoAdvocate(
        "rory.advocate", "Rory Campbell", "glenbrae-advocacy", "glenbrae", ("en", "gd"), 8
    ),
    DemoAdvocate(
        "ailsa.advocate",
        "Ailsa Murray",
        "glenbrae-advocacy",
        "glenbrae",
        ("en", "pl"),
        2,
        is_manager=True,
    ),
]


async def seed_advocates(session: AsyncSession, password_hash: str) -> None:
    """Add the demo advocates who are not there yet, and a profile for each."""
    await session.flush()
    orgs = {o.code: o.id for o in await session.scalars(select(Organisation))}
    users = {u.username: u for u in await session.scalars(select(User))}
    for advocate in ADVOCATES:
        user = users.get(advocate.username)
        if user is None:
            user = User(
                username=advocate.username,
                display_name=advocate.display_name,
                role="advocate",
                organisation_id=orgs[advocate.org],
                password_hash=password_hash,
            )
            session.add(user)
            await session.flush()
        if await session.get(AdvocateProfile, user.id) is None:
            session.add(
                AdvocateProfile(
                    user_id=user.id,
                    areas=[advocate.area],
                    languages=list(advocate.languages),
                    capacity=advocate.capacity,
                    is_manager=advocate.is_manager,
                )
            )
