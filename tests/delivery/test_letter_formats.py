"""Easy-read and large-print versions of her letters, where her area offers them and she asked:
each prints as a PDF that opens, with her dates, her name and nothing of another woman, and
keeps Notify's layout."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from delivery.letters import notice_letter, pdf
from forms.common import Nation
from forms.documents import DocumentKind, render
from services.documents import her_formats
from tests.delivery.test_letter_layout import ADDRESS, ADDRESS_WINDOW, _inside
from tests.forms.test_documents import WOMAN_KINDS, _structure, make_context
from tests.helpers.pdfs import pdf_text, placed_text
from waymark.areas import get_area
from waymark.db.models import Woman

# The dates each letter's test context carries (tests/forms/test_documents.py), and a sentence
# only its easy-read version has.
DATES = {
    DocumentKind.INVITATION_WOMAN: ["10 June 2027", "1 July 2027", "10:30am", "28 June 2027"],
    DocumentKind.DECISION_LETTER: ["10 June 2027", "1 October 2027"],
    DocumentKind.INFORMATION_PACK: ["10 June 2027"],
}
EASY = {
    DocumentKind.INVITATION_WOMAN: "We would like you to come to a meeting.",
    DocumentKind.DECISION_LETTER: "This letter tells you what was decided.",
    DocumentKind.INFORMATION_PACK: "It tells you what happens while we plan with you.",
}
LARGE_PRINT_MM = 16 * 25.4 / 72  # 16 point
NOTICE_DAY = date(2027, 6, 10)


def _her_letter(kind: DocumentKind, version: str) -> bytes:
    html = render(kind, make_context(kind, Nation.ENGLAND, formats=[version])).html
    return pdf(html, address=ADDRESS)


@pytest.mark.parametrize("version", ["easy_read", "large_print"])
@pytest.mark.parametrize("kind", WOMAN_KINDS)
def test_each_version_prints_with_her_dates_and_nothing_of_another_woman(
    kind: DocumentKind, version: str
) -> None:
    other = render(kind, make_context(kind, Nation.ENGLAND, woman_name="Zara"))
    assert "Zara" in other.html  # another woman's letter, rendered alongside
    data = _her_letter(kind, version)
    text = pdf_text(data)
    assert "Dear Jo" in text or "for you, Jo" in text
    assert "Zara" not in text
    for day in DATES[kind]:
        assert day in text, (kind, version, day)
    assert (EASY[kind] in text) is (version == "easy_read")
    first = [run for run in placed_text(data) if run.page == 0]
    window = [run.text for run in first if _inside(run, ADDRESS_WINDOW)]
    assert window == list(ADDRESS)


@pytest.mark.parametrize("kind", WOMAN_KINDS)
def test_large_print_is_at_least_16_point(kind: DocumentKind) -> None:
    body = Counter(round(run.size, 1) for run in placed_text(_her_letter(kind, "large_print")))
    regular = Counter(
        round(run.size, 1)
        for run in placed_text(pdf(render(kind, make_context(kind, Nation.ENGLAND)).html))
    )
    assert body.most_common(1)[0][0] >= round(LARGE_PRINT_MM, 1)
    assert regular.most_common(1)[0][0] < round(LARGE_PRINT_MM, 1)


@pytest.mark.parametrize("kind", WOMAN_KINDS)
def test_easy_read_is_a_whole_accessible_document(kind: DocumentKind) -> None:
    document = render(kind, make_context(kind, Nation.SCOTLAND, formats=["easy_read"]))
    found = _structure(document.html)
    assert found.lang == "en"
    assert found.tags.get("h1") == 1
    assert found.tags.get("h2", 0) >= 2
    assert "script" not in found.tags
    assert f"<h1>{document.title}</h1>" in document.html


def test_a_notice_by_letter_comes_in_large_print_too() -> None:
    html = notice_letter("Northmoor Council", "Your meeting has moved", NOTICE_DAY, ["large_print"])
    sizes = Counter(round(run.size, 1) for run in placed_text(pdf(html, address=ADDRESS)))
    assert max(sizes) >= round(LARGE_PRINT_MM, 1)


def test_her_versions_are_those_she_asked_for_that_her_area_offers() -> None:
    asked = Woman(contact={"formats": ["large_print", "interpreter"]})
    assert her_formats(asked, get_area("northmoor")) == ["large_print"]
    assert her_formats(asked, get_area("glenbrae")) == []  # Glenbrae offers none
    assert her_formats(Woman(contact={}), get_area("northmoor")) == []
