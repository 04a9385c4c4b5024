"""Every letter she can be posted meets GOV.UK Notify's precompiled letter specification: A4, her
address alone in the envelope's window, the sender beside it, the body below it, all within
Notify's printable area. The boxes are written out here from Notify's specification, not read
from the layout module, so a change there that breaks the specification fails here."""

from __future__ import annotations

from datetime import date

import pytest

from delivery.letters import notice_letter, pdf
from forms.common import Nation
from forms.documents import DocumentKind, render
from tests.forms.test_documents import WOMAN_KINDS, make_context
from tests.helpers.pdfs import Placed, placed_text

# Millimetres from the page's top left corner: (left, top, right, bottom).
ADDRESS_WINDOW = (24.6, 39.5, 120.0, 66.3)
SENDER_COLUMN = (125.0, 5.0, 195.0, 95.0)
TOP_STRIP = (15.0, 5.0, 125.0, 30.0)
BODY_STARTS = 95.0
PRINTABLE = (15.0, 5.0, 195.0, 292.0)
ADDRESS = ("Jay Example", "Flat 2", "1 High Street", "Northmoor", "NM1 1AA")


def _inside(run: Placed, box: tuple[float, float, float, float]) -> bool:
    """The run's first letter, from its top (its baseline less its size) down, is in the box."""
    left, top, right, bottom = box
    x, y, height = round(run.x, 1), round(run.y, 1), round(run.size * 0.8, 1)
    return left <= x <= right and top <= y - height and y <= bottom


def _letters() -> list[tuple[str, str]]:
    documents = [
        (f"{kind.value}-{nation.value}", render(kind, make_context(kind, nation)).html)
        for kind in WOMAN_KINDS
        for nation in (Nation.ENGLAND, Nation.SCOTLAND)
    ]
    versions = [
        (
            f"{kind.value}-{version}",
            render(kind, make_context(kind, Nation.ENGLAND, formats=[version])).html,
        )
        for kind in WOMAN_KINDS
        for version in ("easy_read", "large_print")
    ]
    notice = notice_letter("Northmoor Council", "Your meeting has moved", date(2027, 6, 10))
    return [*documents, *versions, ("notice", notice)]


@pytest.mark.parametrize(("name", "html"), _letters(), ids=[name for name, _ in _letters()])
def test_her_letter_puts_her_address_in_notifys_window_and_nothing_else_there(
    name: str, html: str
) -> None:
    runs = placed_text(pdf(html, address=ADDRESS))
    first = [run for run in runs if run.page == 0]
    in_window = [run.text for run in first if _inside(run, ADDRESS_WINDOW)]
    assert in_window == list(ADDRESS), name
    for run in first:
        allowed = (ADDRESS_WINDOW, SENDER_COLUMN, TOP_STRIP)
        below = run.y - run.size * 0.8 >= BODY_STARTS
        assert below or any(_inside(run, box) for box in allowed), (name, run)
    for run in runs:
        assert _inside(run, PRINTABLE), (name, run)
    assert any(run.y > BODY_STARTS for run in first), name  # the body starts on the first page


def test_the_sender_and_date_sit_beside_her_address() -> None:
    kind = DocumentKind.DECISION_LETTER
    html = render(kind, make_context(kind, Nation.ENGLAND)).html
    first = [run for run in placed_text(pdf(html, address=ADDRESS)) if run.page == 0]
    beside = " ".join(run.text for run in first if _inside(run, SENDER_COLUMN))
    assert "Northmoor Council" in beside
    assert "Private and confidential" in beside
    assert "10 June 2027" in beside  # the day it was issued


def test_a_printed_document_without_an_address_keeps_its_heading_at_the_top() -> None:
    html = render(DocumentKind.MINUTES, make_context(DocumentKind.MINUTES, Nation.ENGLAND)).html
    first = [run for run in placed_text(pdf(html)) if run.page == 0]
    assert not [run for run in first if _inside(run, ADDRESS_WINDOW) and "Jay" in run.text]
    assert min(run.y for run in first) < 30.0
