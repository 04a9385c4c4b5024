"""The lead's ledger page, a page at a time: the woman owed something overdue first, with
what is owed, by whom and whether it is dropped; a link to the next page and back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.helpers.planning import rows
from tests.oversight.builders import make_woman, owe
from tests.pages.conftest import Browse
from waymark.db.base import utcnow
from waymark.db.models import AuditEvent


async def test_the_ledger_page_pages_overdue_first(
    browse: Browse,
    sessions: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("api.pages.lead.PAGE_SIZE", 2)
    women = [await make_woman(sessions, given=name) for name in ("Amy", "Bea", "Cat")]
    await owe(sessions, women[2], "contact", utcnow() - timedelta(days=2))
    lee = await browse("lee.lead")
    first = await lee.page("/lead")
    listed = [r.attrs["data-woman-id"] for r in first.by_testid("ledger-row")]
    assert listed[0] == str(women[2])
    assert len(listed) == 2
    [duty] = first.by_testid("duty")
    assert duty.attrs["data-kind"] == "contact"
    assert "Sam Okafor" in first.texts("duty")[0]
    assert "Dropped" in first.texts("duty")[0]
    following = first.by_testid("ledger-next")[0].attrs["href"]
    second = await lee.page(following)
    rest = [r.attrs["data-woman-id"] for r in second.by_testid("ledger-row")]
    assert sorted(listed + rest) == sorted(str(w) for w in women)
    assert not second.by_testid("ledger-next")
    assert second.by_testid("ledger-first")
    assert len(await rows(sessions, AuditEvent, action="view_ledger")) == 2
