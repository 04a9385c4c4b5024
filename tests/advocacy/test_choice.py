"""Choosing an advocate: continuity, language, load; independence, conflicts, leave, capacity."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date, timedelta

import pytest
from sqlalchemy import update

from services import advocates
from services.advocates import Attempt
from tests.advocacy.support import (
    AT,
    Sessions,
    allocate_directly,
    make_woman,
    only_advocates,
    org_id,
    set_profile,
    user_id,
)
from waymark.db.models import AdvocateConflict, AdvocateProfile, Organisation, User, Woman
from waymark.db.session import transaction

pytestmark = pytest.mark.usefixtures("demo")
TODAY = AT.date()


async def offer(
    sessions: Sessions, woman_id: uuid.UUID, *, exclude: Collection[uuid.UUID] = (), key: str = ""
) -> Attempt:
    async with transaction(sessions) as session:
        woman = await session.get(Woman, woman_id)
        assert woman is not None
        return await advocates.allocate(
            session,
            woman,
            request_key=key or uuid.uuid4().hex,
            exclude=exclude,
            today=TODAY,
            at=AT,
            accept_by=AT + timedelta(hours=4),
            after_removal=False,
        )


async def chosen(sessions: Sessions, woman_id: uuid.UUID, **kwargs: object) -> str:
    attempt = await offer(sessions, woman_id, **kwargs)  # type: ignore[arg-type]
    assert attempt.status == "offered", attempt.reason
    assert attempt.allocation is not None
    for name in ("ava", "ben", "nadia", "kirsty", "rory", "ailsa"):
        if attempt.allocation.advocate_user_id == await user_id(sessions, f"{name}.advocate"):
            return name
    raise AssertionError("an unknown advocate was chosen")


async def test_equal_advocates_are_taken_by_username(sessions: Sessions) -> None:
    assert await chosen(sessions, await make_woman(sessions)) == "ava"


async def test_the_lowest_load_comes_first(sessions: Sessions) -> None:
    for _ in range(2):
        await allocate_directly(sessions, await make_woman(sessions), "ava.advocate")
    await allocate_directly(sessions, await make_woman(sessions), "nadia.advocate")
    assert await chosen(sessions, await make_woman(sessions)) == "ben"


async def test_her_language_comes_before_load(sessions: Sessions) -> None:
    await allocate_directly(sessions, await make_woman(sessions), "ben.advocate")
    assert await chosen(sessions, await make_woman(sessions, language="pl")) == "ben"
    assert await chosen(sessions, await make_woman(sessions, language="ur")) == "nadia"


async def test_her_previous_advocate_comes_first(sessions: Sessions) -> None:
    woman = await make_woman(sessions, language="pl")
    await allocate_directly(
        sessions, woman, "nadia.advocate", status="ended", ended_at=AT - timedelta(days=30)
    )
    for _ in range(3):
        await allocate_directly(sessions, await make_woman(sessions), "nadia.advocate")
    assert await chosen(sessions, woman) == "nadia"


async def test_an_offer_she_never_took_is_not_continuity(sessions: Sessions) -> None:
    woman = await make_woman(sessions)
    await allocate_directly(
        sessions, woman, "nadia.advocate", status="timed_out", responded_at=None, ended_at=AT
    )
    assert await chosen(sessions, woman) == "ava"


async def test_a_previous_advocate_on_leave_is_passed_over(sessions: Sessions) -> None:
    woman = await make_woman(sessions)
    await allocate_directly(sessions, woman, "ben.advocate", status="ended", ended_at=AT)
    await set_profile(sessions, "ben.advocate", on_leave_from=TODAY, on_leave_until=None)
    assert await chosen(sessions, woman) == "ava"


@pytest.mark.parametrize(
    ("start", "end", "away"),
    [
        pytest.param(-1, 1, True, id="during"),
        pytest.param(0, 0, True, id="one-day"),
        pytest.param(-10, -1, False, id="back"),
        pytest.param(1, 5, False, id="not-yet"),
        pytest.param(-3, None, True, id="open-ended"),
        pytest.param(None, 2, True, id="until"),
    ],
)
async def test_leave_excludes_only_while_it_lasts(
    sessions: Sessions, start: int | None, end: int | None, away: bool
) -> None:
    def days(n: int | None) -> date | None:
        return None if n is None else TODAY + timedelta(days=n)

    await set_profile(sessions, "ava.advocate", on_leave_from=days(start), on_leave_until=days(end))
    assert await chosen(sessions, await make_woman(sessions)) == ("ben" if away else "ava")


def test_no_leave_recorded_is_not_leave() -> None:
    assert not advocates.on_leave(AdvocateProfile(), TODAY)


async def test_an_advocate_of_her_care_team_is_never_allocated(sessions: Sessions) -> None:
    # Ben works for the drug service here, which is on her care team.
    recovery = await org_id(sessions, "northmoor-recovery")
    async with transaction(sessions) as session:
        await session.execute(
            update(User).where(User.username == "ben.advocate").values(organisation_id=recovery)
        )
    on_team = await make_woman(sessions, language="pl", agencies=("northmoor-recovery",))
    assert await chosen(sessions, on_team) == "ava"
    assert await chosen(sessions, await make_woman(sessions, language="pl")) == "ben"


async def test_a_peer_service_on_her_care_team_excludes_its_advocates(sessions: Sessions) -> None:
    await only_advocates(sessions, {"rory.advocate": 2})
    await set_profile(sessions, "rory.advocate", areas=["glenbrae", "northmoor"])
    glenbrae_advocacy = await org_id(sessions, "glenbrae-advocacy")
    async with transaction(sessions) as session:
        await session.execute(
            update(Organisation)
            .where(Organisation.id == glenbrae_advocacy)
            .values(agency_kind="peer_support")
        )
    woman = await make_woman(sessions, agencies=("glenbrae-advocacy",))
    assert (await offer(sessions, woman)).status == "none_available"
    assert await chosen(sessions, await make_woman(sessions)) == "rory"


async def test_an_advocacy_service_recorded_as_involved_is_not_her_care_team(
    sessions: Sessions,
) -> None:
    woman = await make_woman(sessions, agencies=("northmoor-advocacy",))
    assert await chosen(sessions, woman) == "ava"


async def test_a_recorded_conflict_excludes(sessions: Sessions) -> None:
    woman = await make_woman(sessions)
    async with transaction(sessions) as session:
        session.add(
            AdvocateConflict(
                advocate_user_id=await user_id(sessions, "ava.advocate"),
                woman_id=woman,
                reason="Ava is her cousin",
                recorded_by=await user_id(sessions, "lee.lead"),
            )
        )
    assert await chosen(sessions, woman) == "ben"


async def test_advocates_who_said_no_to_this_request_are_skipped(sessions: Sessions) -> None:
    woman = await make_woman(sessions)
    ava = await user_id(sessions, "ava.advocate")
    ben = await user_id(sessions, "ben.advocate")
    assert await chosen(sessions, woman, exclude={ava, ben}) == "nadia"


async def test_an_inactive_advocate_is_not_chosen(sessions: Sessions) -> None:
    async with transaction(sessions) as session:
        await session.execute(
            update(User).where(User.username == "ava.advocate").values(active=False)
        )
    assert await chosen(sessions, await make_woman(sessions)) == "ben"


async def test_only_advocates_covering_her_area(sessions: Sessions) -> None:
    assert await chosen(sessions, await make_woman(sessions, area="glenbrae")) == "ailsa"
    assert await chosen(sessions, await make_woman(sessions, area="glenbrae")) == "kirsty"


async def test_capacity_counts_offers_and_accepted_cases(sessions: Sessions) -> None:
    await only_advocates(sessions, {"ava.advocate": 2})
    await allocate_directly(sessions, await make_woman(sessions), "ava.advocate")
    assert await chosen(sessions, await make_woman(sessions)) == "ava"  # now 1 accepted, 1 offered
    attempt = await offer(sessions, await make_woman(sessions))
    assert attempt.status == "none_available"
    assert "capacity" in attempt.reason


async def test_ended_allocations_free_capacity(sessions: Sessions) -> None:
    await only_advocates(sessions, {"ava.advocate": 1})
    await allocate_directly(
        sessions, await make_woman(sessions), "ava.advocate", status="ended", ended_at=AT
    )
    assert await chosen(sessions, await make_woman(sessions)) == "ava"


async def test_one_open_allocation_per_woman(sessions: Sessions) -> None:
    woman = await make_woman(sessions)
    assert (await offer(sessions, woman)).status == "offered"
    again = await offer(sessions, woman)
    assert again.status == "already_open"


async def test_a_repeated_request_key_changes_nothing(sessions: Sessions) -> None:
    woman = await make_woman(sessions)
    first = await offer(sessions, woman, key="request-1:0")
    second = await offer(sessions, woman, key="request-1:0")
    assert first.allocation is not None
    assert second.allocation is not None
    assert first.allocation.id == second.allocation.id


async def test_a_neighbouring_pool_is_asked_when_her_areas_pool_is_full(
    sessions: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    woman = await make_woman(sessions)
    await only_advocates(sessions, {"kirsty.advocate": 2})  # Northmoor's pool is full
    assert (await offer(sessions, woman)).status == "none_available"
    northmoor = advocates.get_area("northmoor")
    neighbourly = northmoor.model_copy(update={"neighbouring_advocacy_areas": ["glenbrae"]})
    monkeypatch.setattr(advocates, "get_area", lambda code: neighbourly)
    assert await chosen(sessions, woman) == "kirsty"
    # Her own area's pool still comes first when someone there has room.
    await set_profile(sessions, "ben.advocate", capacity=3)
    assert await chosen(sessions, await make_woman(sessions)) == "ben"
