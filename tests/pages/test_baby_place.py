"""Her baby's place on her record is the one recorded, kept current: a baby born onto the
neonatal unit is shown there (never "with mother"), and at home with her once discharged."""

from __future__ import annotations

from datetime import datetime

from tests.pages.conftest import Browse
from tests.pages.flows import birth_fields, command, refer
from tests.pages.outsider import form_for_her, outsider_gets_404, refused_on_form


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


async def test_a_baby_moves_between_the_unit_transitional_care_and_the_ward(
    browse: Browse, now: datetime
) -> None:
    sam = await browse("sam.social")
    woman_id = await refer(sam)
    base = f"/women/{woman_id}"
    await command(sam, f"{base}/screening", {"decision": "early_help", "reason": "Support"})
    doc = await command(sam, f"{base}/birth", birth_fields(now, location="neonatal_unit"))
    move = doc.by_testid("action-move")[0].attrs["href"]
    await form_for_her(sam, move)

    response = await sam.submit(move, {"location": "the_car_park"})
    assert response.status_code == 422
    refused_on_form(response.text, "where in hospital the baby is now")
    response = await sam.submit(move, {"location": "neonatal_unit"})
    assert response.status_code == 409
    refused_on_form(response.text, "already there")
    assert (await sam.page(base)).texts("baby-place") == ["on the neonatal unit"]

    doc = await command(sam, move, {"location": "transitional_care"})
    assert doc.texts("baby-place") == ["in transitional care"]
    doc = await command(sam, move, {"location": "with_mother"})
    assert doc.texts("baby-place") == ["with her in hospital"]
    await command(sam, doc.by_testid("action-discharge")[0].attrs["href"], {})
    doc = await sam.page(base)
    assert not doc.by_testid("action-move")
    response = await sam.submit(move, {"location": "neonatal_unit"})
    assert response.status_code == 409
    refused_on_form(response.text, "No baby in hospital")
    await outsider_gets_404(browse, move)
