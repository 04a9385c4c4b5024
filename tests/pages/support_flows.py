"""Driving a removal through the pages: a referral, the birth, and the baby placed in care,
which opens her own support episode and makes sure she has an advocate."""

from __future__ import annotations

from datetime import datetime

from tests.helpers.planning import eventually
from tests.pages.browser import Browser
from tests.pages.conftest import Browse
from tests.pages.flows import birth_fields, command, refer
from tests.pages.html import Doc


async def removed(browse: Browse, now: datetime) -> str:
    """A Northmoor woman whose baby, born an hour ago, was placed in care; her support is open."""
    sam = await browse("sam.social")
    woman_id = await refer(sam)
    base = f"/women/{woman_id}"
    await command(
        sam,
        f"{base}/birth",
        birth_fields(now),
    )
    placement = (await sam.page(base)).by_testid("action-placement")[0].attrs["href"]
    await command(
        sam,
        placement,
        {"placement": "care", "legal_basis": "police_protection", "reason": "Police protection"},
    )
    await eventually(lambda: support_ready(sam, woman_id))
    return woman_id


async def support_ready(browser: Browser, woman_id: str) -> bool:
    """Her episode is open, with its named worker and a date on every referral's clock."""
    response = await browser.get(f"/women/{woman_id}/support")
    if response.status_code != 200:
        return False
    rows = Doc(response.text).texts("plan-row")
    return bool(rows) and not any("Being worked out" in row for row in rows)
