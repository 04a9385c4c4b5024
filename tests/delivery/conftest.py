"""Delivery fixtures: demo people, a woman with a meeting, notices to send, fake providers."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from activities.delivery import DeliveryActivities
from tests.api.conftest import app_client, demo, sign_in, worker
from tests.delivery.fakes import FakeNotify, NotifyServer, SmtpServer
from waymark.db.models import AdvocateAllocation, Meeting, Notice, Organisation, User, Woman
from waymark.settings import Settings

__all__ = ["app_client", "demo", "sign_in", "worker"]

Sessions = async_sessionmaker[AsyncSession]
# A Tuesday at 10:00 UK time (GMT): inside no one's quiet hours.
NOW = datetime(2027, 2, 2, 10, 0, tzinfo=UTC)


def her_contact(**overrides: Any) -> dict[str, Any]:
    contact: dict[str, Any] = {
        "mobile": "07700 900123",
        "email": "jay@example.org",
        "channels": [
            {"channel": "sms", "safe": True, "unsafe_reason": None},
            {"channel": "letter", "safe": False, "unsafe_reason": "shared address"},
        ],
        "language": "en",
        "formats": [],
    }
    contact.update(overrides)
    return contact


async def org_id(sessions: Sessions, code: str) -> uuid.UUID:
    async with sessions() as session:
        found = await session.scalar(select(Organisation.id).where(Organisation.code == code))
    assert found is not None
    return found


async def user(sessions: Sessions, username: str, **changes: Any) -> uuid.UUID:
    """A demo user's id, after setting the given columns (email, mobile)."""
    async with sessions() as session, session.begin():
        row = await session.scalar(select(User).where(User.username == username))
        assert row is not None
        for name, value in changes.items():
            setattr(row, name, value)
        return row.id


async def add_woman(sessions: Sessions, **overrides: Any) -> uuid.UUID:
    team = await org_id(sessions, "northmoor-csc")
    woman_id = uuid.uuid4()
    fields: dict[str, Any] = {
        "id": woman_id,
        "area_code": "northmoor",
        "team_id": team,
        "given_name": "Jane",
        "family_name": "Example",
        "preferred_name": "Jay",
        "date_of_birth": datetime(1995, 1, 1).date(),
        "address": {"line1": "1 High Street", "town": "Northmoor", "postcode": "NM1 1AA"},
        "contact": her_contact(),
        "edd": (NOW + timedelta(days=120)).date(),
        "stage": "planning",
    }
    fields.update(overrides)
    async with sessions() as session, session.begin():
        session.add(Woman(**fields))
    return woman_id


async def allocate(sessions: Sessions, woman_id: uuid.UUID, advocate_id: uuid.UUID) -> None:
    async with sessions() as session, session.begin():
        session.add(AdvocateAllocation(woman_id=woman_id, advocate_user_id=advocate_id))


async def add_meeting(
    sessions: Sessions, woman_id: uuid.UUID, *, days: int = 10, **overrides: Any
) -> uuid.UUID:
    starts = NOW + timedelta(days=days)
    fields: dict[str, Any] = {
        "id": uuid.uuid4(),
        "woman_id": woman_id,
        "kind": "planning_meeting",
        "starts_at": starts,
        "ends_at": starts + timedelta(minutes=90),
        "format": "in_person",
        "venue": {"name": "Family Centre"},
        "status": "scheduled",
        "sequence": 0,
    }
    fields.update(overrides)
    async with sessions() as session, session.begin():
        session.add(Meeting(**fields))
    return fields["id"]


async def add_notice(
    sessions: Sessions, woman_id: uuid.UUID, *, recipient: str = "woman", **overrides: Any
) -> uuid.UUID:
    fields: dict[str, Any] = {
        "id": uuid.uuid4(),
        "key": f"test:{uuid.uuid4()}",
        "woman_id": woman_id,
        "recipient_kind": recipient,
        "kind": "meeting_scheduled",
        "send_at": NOW - timedelta(minutes=1),
        "summary": "Pre-birth planning meeting scheduled: Friday 12 February 2027 at 10:00",
    }
    fields.update(overrides)
    async with sessions() as session, session.begin():
        session.add(Notice(**fields))
    return fields["id"]


def dispatcher(
    sessions: Sessions, settings: Settings, *, at: datetime = NOW, **changes: Any
) -> DeliveryActivities:
    """The delivery activities with these settings changes, their clock fixed at `at`."""
    return DeliveryActivities(sessions, settings.model_copy(update=changes), clock=lambda: at)


@pytest.fixture
def fake_notify() -> Iterator[FakeNotify]:
    with NotifyServer() as fake:
        yield fake


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


CALLBACK_TOKEN = "notify-callback-secret-for-tests"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The shared test settings, with the token Notify's callbacks must carry."""
    return settings.model_copy(update={"notify_callback_token": CALLBACK_TOKEN})
