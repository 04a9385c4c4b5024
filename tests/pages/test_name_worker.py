"""Naming her worker later (`POST /api/v1/women/{id}/support/named-worker`, and its page):
when nobody could be named at the opening, her team's social worker or the lead names one, which
meets the duty, closes her team's task and makes the worker owe her contacts; the baby's social
worker, someone outside her team, or a person who may not name one are refused (4xx) and nothing
changes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.conftest import SignIn
from tests.helpers.planning import eventually, rows
from tests.pages.conftest import Browse
from tests.pages.flows import command
from tests.pages.html import Doc
from tests.pages.support_flows import removed
from waymark.db.models import Duty, SupportEpisode, Task, User
from waymark.db.session import transaction

Sessions = async_sessionmaker[AsyncSession]


async def _active(sessions: Sessions, username: str, active: bool) -> None:
    async with transaction(sessions) as session:
        await session.execute(update(User).where(User.username == username).values(active=active))


async def _user_id(sessions: Sessions, username: str) -> str:
    [user] = await rows(sessions, User, username=username)
    return str(user.id)


async def test_a_worker_named_later_meets_the_duty_and_refusals_change_nothing(
    browse: Browse, sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    await _active(sessions, "ola.social", False)  # nobody but the baby's worker to name
    woman_id = await removed(browse, now)
    await _active(sessions, "ola.social", True)
    [named] = await rows(sessions, Duty, kind="named_worker")
    assert named.status == "open"
    [task] = await rows(sessions, Task, kind="name_support_worker")
    assert task.status == "open"
    path = f"/api/v1/women/{woman_id}/support/named-worker"
    sam, ola = await _user_id(sessions, "sam.social"), await _user_id(sessions, "ola.social")

    api = await sign_in("sam.social")
    refused = await api.post(path, json={"worker_id": sam})
    assert refused.status_code == 409
    assert "her baby's social worker" in refused.json()["detail"]
    outside = await api.post(path, json={"worker_id": await _user_id(sessions, "iona.social")})
    assert outside.status_code == 422
    assert "social worker in her team" in outside.text
    assert (await api.post(path, json={"worker_id": "not-an-id"})).status_code == 422
    advocate = await sign_in("ava.advocate")
    assert (await advocate.post(path, json={"worker_id": ola})).status_code == 403
    [episode] = await rows(sessions, SupportEpisode)
    assert episode.named_worker_id is None
    assert [d.status for d in await rows(sessions, Duty, kind="named_worker")] == ["open"]

    # Her team's social worker names Ola through the page; her baby's worker is refused there.
    browser = await browse("sam.social")
    support = f"/women/{woman_id}/support"
    link = (await browser.page(support)).by_testid("action-name-worker")[0].attrs["href"]
    form = (await browser.page(link)).form(link)
    assert form.values()["csrf_token"]
    body = (await browser.get(link)).text
    assert f'value="{ola}"' in body
    assert f'value="{sam}"' not in body  # her baby's social worker is not offered
    response = await browser.submit(link, {"worker_id": sam})
    assert response.status_code == 409
    assert "her baby's social worker" in Doc(response.text).texts("error-worker_id")[0]
    page = await command(browser, link, {"worker_id": ola})
    assert page.texts("notification")[0] == "Her named worker is recorded."

    async def met() -> bool:
        [duty] = await rows(sessions, Duty, kind="named_worker")
        return duty.status == "met"

    await eventually(met)
    [named] = await rows(sessions, Duty, kind="named_worker")
    assert named.met_by.startswith(f"support:{episode.id}:named_worker:")
    [episode] = await rows(sessions, SupportEpisode)
    assert str(episode.named_worker_id) == ola
    [task] = await rows(sessions, Task, kind="name_support_worker")
    assert task.status == "done"
    contacts = await rows(sessions, Duty, kind="contact", status="open")
    assert contacts
    assert {str(d.owed_by_user_id) for d in contacts} == {ola}
    lead = await sign_in("lee.lead")
    again = await lead.post(path, json={"worker_id": ola})
    assert again.status_code == 409
    assert "already her named worker" in again.json()["detail"]
