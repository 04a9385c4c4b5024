"""Her baby's place on her record is the one recorded, kept current: a baby born onto the
neonatal unit is shown there (never "with mother"), and at home with her once discharged."""

from __future__ import annotations

from datetime import datetime

from tests.pages.conftest import Browse
from tests.pages.flows import birth_fields, command, refer


async def test_a_baby_on_the_neonatal_unit_is_shown_there_then_at_home(
    browse: Browse, now: datetime
) -> None:
    sam = await browse("sam.social")
    woman_id = await refer(sam)
    base = f"/women/{woman_id}"
    await command(sam, f"{base}/screening", {"decision": "early_help", "reason": "Support"})
    doc = await command(sam, f"{base}/birth", birth_fields(now, location="neonatal_unit"))
    assert doc.texts("baby-place") == ["on the neonatal unit"]
    discharge = doc.by_testid("action-discharge")[0].attrs["href"]
    doc = await command(sam, discharge, {})
    assert doc.texts("baby-place") == ["at home with her"]
