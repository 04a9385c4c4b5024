"""Checks shared by the command pages' tests: the form as she is shown in it, and a social
worker outside her care (Iona, in Glenbrae) refused with a 404 that gives nothing of her away."""

from __future__ import annotations

from api import csrf
from tests.pages.browser import Browser
from tests.pages.conftest import Browse
from tests.pages.html import Doc

HER_NAME = "Jay Example"  # the preferred name in tests.pages.flows.referral_fields


async def form_for_her(browser: Browser, path: str) -> Doc:
    """The command's form: her name above the title, and a form token to post it with."""
    doc = await browser.page(path)
    assert doc.texts("her-name") == [HER_NAME], path
    assert doc.form(path).values().get(csrf.FIELD), path
    return doc


def refused_on_form(html: str, *words: str) -> Doc:
    """A refusal drawn on the form: the summary at the top says what is wrong."""
    doc = Doc(html)
    summary = " ".join(doc.texts("error-summary"))
    assert summary.startswith("There is a problem"), html[:800]
    for word in words:
        assert word in summary, (word, summary)
    return doc


async def outsider_gets_404(browse: Browse, *paths: str) -> None:
    """Reading or posting any of these pages, as someone outside her care: not found."""
    iona = await browse("iona.social")
    home = await iona.page("/caseload")
    form_token = home.form("/sign-out").values()[csrf.FIELD]
    for path in paths:
        page = await iona.get(path)
        posted = await iona.client.post(path, data={csrf.FIELD: form_token, "reason": "x"})
        for response in (page, posted):
            assert response.status_code == 404, (path, response.status_code)
            assert "Example" not in response.text, path
