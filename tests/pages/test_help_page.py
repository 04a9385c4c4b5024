"""A help page for every role, in plain words: your own role's help first, colleagues' below."""

from __future__ import annotations

import pytest

from forms.language import stigmatising_terms
from tests.pages.conftest import Browse

FIRST = {
    "sam.social": ("social worker", "Make a referral"),
    "ava.advocate": ("advocate", "If you decline, say why"),
    "mia.midwife": ("practitioner", "A report"),
    "lee.lead": ("safeguarding lead", "no woman is dropped"),
    "ada.admin": ("admin", "It works once"),
}


@pytest.mark.parametrize("username", list(FIRST))
async def test_each_role_finds_its_own_help_first(browse: Browse, username: str) -> None:
    person = await browse(username)
    doc = await person.page("/help")
    role, words = FIRST[username]
    [mine] = doc.texts("help-mine")
    assert mine.startswith(f"Help for you ({role})")
    assert words in mine
    assert len(doc.by_testid("help-other")) == 4
    assert stigmatising_terms(" ".join(doc.texts("help-mine"))) == []
    # Every page links to it.
    assert any(e.attrs.get("href") == "/help" for e in (await person.page("/help")).elements)


async def test_help_links_only_to_pages_your_role_may_open(browse: Browse) -> None:
    mia = await browse("mia.midwife")
    doc = await mia.page("/help")
    hrefs = {e.attrs["href"] for e in doc.elements if e.tag == "a" and "href" in e.attrs}
    for href in hrefs - {"#main"}:
        assert (await mia.get(href)).status_code in (200, 303), href
    assert "/caseload" not in hrefs
