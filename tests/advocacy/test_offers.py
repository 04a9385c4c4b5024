"""Her choice: an advocate is offered at referral; a decline is recorded and the offer is made
again at the next trigger (a conference, birth, a removal) unless she has an advocate by then."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from activities.advocacy import AdvocacyActivities
from forms.advocacy import OfferResponse, RecordAdvocacyOffer, Trigger
from services import advocacy_records as records
from tests.advocacy.support import AT, Sessions, allocate_directly, make_woman, user_id
from waymark.db.models import AdvocacyOffer, Task, Woman
from waymark.db.session import transaction
from waymark.errors import Conflict

pytestmark = pytest.mark.usefixtures("demo")


async def _offer(sessions: Sessions, woman_id: object, trigger: Trigger, key: str) -> None:
    async with transaction(sessions) as session:
        woman = await session.get(Woman, woman_id)
        assert woman is not None
        await records.record_offer(
            session, woman, trigger=trigger, key=key, at=AT, recorded_by=None
        )


async def _respond(sessions: Sessions, woman_id: object, response: OfferResponse) -> None:
    by = await user_id(sessions, "sam.social")
    async with transaction(sessions) as session:
        woman = await session.get(Woman, woman_id)
        assert woman is not None
        await records.record_response(session, woman, response=response, at=AT, by=by)


async def _offers(sessions: Sessions, woman_id: object) -> list[AdvocacyOffer]:
    async with sessions() as session:
        query = select(AdvocacyOffer).where(AdvocacyOffer.woman_id == woman_id)
        return list(await session.scalars(query.order_by(AdvocacyOffer.created_at)))


def _again(woman_id: object, trigger: Trigger, key: str) -> RecordAdvocacyOffer:
    return RecordAdvocacyOffer(woman_id=woman_id, trigger=trigger, key=key, at=AT)


async def test_a_decline_is_recorded_and_offered_again_at_the_next_trigger(
    sessions: Sessions,
) -> None:
    woman = await make_woman(sessions)
    await _offer(sessions, woman, Trigger.REFERRAL, "referral-1")
    await _respond(sessions, woman, OfferResponse.DECLINED)
    acts = AdvocacyActivities(sessions)
    result = await acts.record_advocacy_offer(_again(woman, Trigger.CONFERENCE, "conference-1"))
    assert result.offered
    offers = await _offers(sessions, woman)
    assert [(o.trigger, o.response) for o in offers] == [
        ("referral", "declined"),
        ("conference", "pending"),
    ]
    async with sessions() as session:
        [task] = await session.scalars(select(Task).where(Task.kind == "offer_advocate"))
    assert task.status == "open"
    assert "again" in task.title
    # A repeat of the same trigger changes nothing; a second trigger waits for her answer.
    again = await acts.record_advocacy_offer(_again(woman, Trigger.CONFERENCE, "conference-1"))
    assert again.offered
    waiting = await acts.record_advocacy_offer(_again(woman, Trigger.BIRTH, "birth-1"))
    assert not waiting.offered
    assert len(await _offers(sessions, woman)) == 2
    # Her answer closes the prompt.
    await _respond(sessions, woman, OfferResponse.ACCEPTED)
    async with sessions() as session:
        [task] = await session.scalars(select(Task).where(Task.kind == "offer_advocate"))
    assert task.status == "done"


async def test_no_new_offer_while_she_has_an_advocate(sessions: Sessions) -> None:
    woman = await make_woman(sessions)
    await allocate_directly(sessions, woman, "ava.advocate")
    result = await AdvocacyActivities(sessions).record_advocacy_offer(
        _again(woman, Trigger.BIRTH, "birth-1")
    )
    assert not result.offered
    assert await _offers(sessions, woman) == []


async def test_one_offer_waits_for_her_answer_at_a_time(sessions: Sessions) -> None:
    woman = await make_woman(sessions)
    await _offer(sessions, woman, Trigger.REFERRAL, "referral-1")
    with pytest.raises(Conflict):
        await _offer(sessions, woman, Trigger.CONFERENCE, "conference-1")


async def test_an_answer_needs_an_offer(sessions: Sessions) -> None:
    woman = await make_woman(sessions)
    with pytest.raises(Conflict):
        await _respond(sessions, woman, OfferResponse.ACCEPTED)
