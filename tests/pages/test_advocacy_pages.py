"""An advocate answering an offer of a woman's case, as pages: the offer and the time left on
her home page, then accept or decline through the API's own `respond` Update. Until she
accepts, the woman is not hers to see."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.pages.advocacy import time_left
from tests.advocacy.support import allocations, only_advocates, user_id
from tests.helpers.planning import eventually
from tests.pages.browser import Browser
from tests.pages.conftest import Browse
from tests.pages.html import Doc
from tests.pages.support_flows import removed

Sessions = async_sessionmaker[AsyncSession]


async def offered(browse: Browse, sessions: Sessions, now: datetime) -> tuple[str, str, Browser]:
    """A woman whose baby was placed in care, her case offered to Ava (the only advocate free)."""
    await only_advocates(sessions, {"ava.advocate": 12})
    woman_id = await removed(browse, now)
    ava = await browse("ava.advocate")

    async def offer_shown() -> bool:
        return bool((await ava.page("/advocate")).by_testid("offer-row"))

    await eventually(offer_shown)
    [row] = (await ava.page("/advocate")).by_testid("offer-row")
    return woman_id, row.attrs["data-offer-id"], ava


async def test_the_advocate_accepts_an_offer_and_then_sees_her(
    browse: Browse, sessions: Sessions, now: datetime
) -> None:
    woman_id, offer_id, ava = await offered(browse, sessions, now)
    home = await ava.page("/advocate")
    assert "Her baby has been placed in care" in home.texts("offer-row")[0]
    assert home.texts("time-left")[0].endswith("left")
    assert not home.by_testid("woman-row")  # offered is not yet hers
    # The offer is in its own table (with the time left), not repeated among her messages.
    assert not [m for m in home.texts("message-row") if "accept or decline" in m]
    assert (await ava.get(f"/women/{woman_id}")).status_code == 404
    path = f"/advocate/offers/{offer_id}"
    assert home.by_testid("answer-offer")[0].attrs["href"] == path
    kirsty = await browse("kirsty.advocate")  # the offer is not hers
    assert (await kirsty.get(path)).status_code == 404
    token = (await kirsty.page("/advocate")).form("/sign-out").values()["csrf_token"]
    refused = await kirsty.client.post(path, data={"csrf_token": token, "reply": "accept"})
    assert refused.status_code == 404

    forged = await ava.client.post(path, data={"csrf_token": "0" * 64, "reply": "accept"})
    assert forged.status_code == 403
    page = await ava.page(path)
    assert page.form(path).values()["csrf_token"]
    assert "Her baby has been placed in care" in page.texts("offer-why")[0]
    assert page.texts("offer-name") == ["Jay Example"]  # to check for a conflict of interest
    assert "Jay" not in home.html  # her name is only on the offer itself
    response = await ava.submit(path, {})
    assert response.status_code == 422
    assert Doc(response.text).texts("error-summary") == [
        "There is a problem Say whether you will be her advocate"
    ]
    [row] = await allocations(sessions, woman_id=uuid.UUID(woman_id))
    assert row.status == "offered"

    response = await ava.submit(path, {"reply": "accept"})
    assert response.status_code == 303, Doc(response.text).texts("error-summary")
    home = await ava.page(response.headers["location"])
    assert home.texts("notification")[0].startswith("Thank you: you are now her advocate")
    assert [w.attrs["data-woman-id"] for w in home.by_testid("woman-row")] == [woman_id]
    assert not home.by_testid("offer-row")
    assert (await ava.page(f"/women/{woman_id}")).texts("advocate") == ["Ava Lewis"]
    [row] = await allocations(sessions, woman_id=uuid.UUID(woman_id))
    assert row.status == "accepted"
    answered = await ava.page(path)
    assert answered.by_testid("offer-closed")
    assert not answered.by_testid("command-form")


async def test_the_advocate_declines_and_her_case_goes_elsewhere(
    browse: Browse, sessions: Sessions, now: datetime
) -> None:
    woman_id, offer_id, ava = await offered(browse, sessions, now)
    path = f"/advocate/offers/{offer_id}"
    form = (await ava.page(path)).form(path)
    response = await ava.submit(path, {"reply": "decline"})
    assert response.status_code == 422  # a decline says why
    assert Doc(response.text).texts("error-reason") == ["Error: Say why you cannot take this on"]
    response = await ava.submit(path, {"reply": "decline", "reason": "My caseload is full."})
    assert response.status_code == 303
    home = await ava.page(response.headers["location"])
    assert home.texts("notification") == [
        "Your answer is recorded. Her case will be offered to another advocate."
    ]
    assert not home.by_testid("offer-row")
    assert not home.by_testid("woman-row")
    assert (await ava.get(f"/women/{woman_id}")).status_code == 404
    ava_id = await user_id(sessions, "ava.advocate")
    [row] = await allocations(sessions, woman_id=uuid.UUID(woman_id), advocate_user_id=ava_id)
    assert row.status == "declined"
    assert row.end_reason == "declined by the advocate: My caseload is full."
    # Her manager sees who declined and why.
    nadia = await (await browse("nadia.advocate")).page("/advocate")
    [declined] = nadia.texts("declined-row")
    assert "Ava" in declined
    assert "My caseload is full." in declined
    # The same answer again is refused on the form: the offer is no longer waiting.
    again = await ava.client.post(path, data={**form.values(), "reply": "accept"})
    assert again.status_code == 409
    refused = Doc(again.text)
    assert refused.texts("error-summary") == [
        "There is a problem This offer is no longer waiting for an answer"
    ]
    assert refused.by_testid("offer-closed")[0].attrs["id"] == "f-reply"  # where it links


def test_the_time_left_reads_plainly() -> None:
    now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    assert time_left(now + timedelta(days=1, hours=3, minutes=5), now) == "1 day and 3 hours left"
    assert time_left(now + timedelta(days=2), now) == "2 days left"
    assert time_left(now + timedelta(hours=5, minutes=59), now) == "5 hours left"
    assert time_left(now + timedelta(minutes=1), now) == "1 minute left"
    assert time_left(now - timedelta(minutes=1), now) == "The time to answer has passed"
