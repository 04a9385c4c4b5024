"""The merge page: a safeguarding lead merges another record into hers, with a reason; the
merge shows on her timeline; a page without a reason says what to give and merges nothing."""

from __future__ import annotations

from tests.pages.conftest import Browse
from tests.pages.flows import command, refer
from tests.pages.html import Doc


async def test_a_lead_merges_another_record_into_hers_on_the_page(browse: Browse) -> None:
    sam, lee = await browse("sam.social"), await browse("lee.lead")
    keep, other = await refer(sam), await refer(sam)
    her_page = await lee.page(f"/women/{keep}")
    assert her_page.by_testid("action-merge")
    empty = await lee.submit(f"/women/{keep}/merge", {"merge_woman_id": other, "reason": ""})
    assert empty.status_code == 422
    assert "reason" in " ".join(Doc(empty.text).texts("error-summary"))
    done = await command(
        lee, f"/women/{keep}/merge", {"merge_woman_id": other, "reason": "The same woman"}
    )
    assert any("merged into hers" in t for t in done.texts("notification"))
    timeline = done.texts("timeline-entry")
    assert any(f"Merged into record {keep}: The same woman" in t for t in timeline)
    assert any("merged into this one: The same woman" in t for t in timeline)
    again = await lee.submit(f"/women/{keep}/merge", {"merge_woman_id": other, "reason": "Again"})
    assert again.status_code == 409
    assert "already merged" in " ".join(Doc(again.text).texts("error-summary"))


async def test_only_a_lead_may_open_the_merge_page(browse: Browse) -> None:
    sam = await browse("sam.social")
    keep = await refer(sam)
    assert not (await sam.page(f"/women/{keep}")).by_testid("action-merge")
    assert (await sam.get(f"/women/{keep}/merge")).status_code == 403
