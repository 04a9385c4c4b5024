"""The search page: terms are posted (never in the URL), results link to her record, and a
search with nothing in it says what to give."""

from __future__ import annotations

from tests.pages.conftest import Browse
from tests.pages.flows import refer
from tests.pages.html import Doc


async def test_a_social_worker_finds_her_by_name_on_the_page(browse: Browse) -> None:
    sam = await browse("sam.social")
    woman_id = await refer(sam, **{"woman.family_name": "O'Brien-Lowe"})
    form = await sam.page("/search")
    assert form.texts("search")
    found = await sam.submit("/search", {"name": "obrien lowe", "number": "", "date_of_birth": ""})
    assert found.status_code == 200, found.text[:500]
    assert found.request.url.query == b""
    doc = Doc(found.text)
    assert len(doc.texts("search-result")) == 1
    assert f'href="/women/{woman_id}"' in found.text


async def test_an_empty_search_says_what_to_give(browse: Browse) -> None:
    sam = await browse("sam.social")
    empty = await sam.submit("/search", {"name": "", "number": "", "date_of_birth": ""})
    assert empty.status_code == 422
    assert "her name" in " ".join(Doc(empty.text).texts("error-summary"))


async def test_an_advocate_finds_no_woman_she_does_not_act_for(browse: Browse) -> None:
    sam = await browse("sam.social")
    await refer(sam, **{"woman.family_name": "Notforyou"})
    ava = await browse("ava.advocate")
    found = await ava.submit("/search", {"name": "notforyou", "number": "", "date_of_birth": ""})
    assert found.status_code == 200
    assert Doc(found.text).texts("no-results")


async def test_the_lead_sees_each_search_with_its_terms(browse: Browse) -> None:
    sam = await browse("sam.social")
    await sam.submit("/search", {"name": "Quayle", "number": "", "date_of_birth": ""})
    lee = await browse("lee.lead")
    doc = await lee.page("/lead/searches")
    [row] = doc.texts("search-row")
    assert "Quayle" in row
    assert "Sam" in row
    assert (await sam.get("/lead/searches")).status_code in (403, 404)
