"""Reading a PDF the way a test needs to: its text, and where each piece of text sits."""

from __future__ import annotations

import io
from typing import Any, NamedTuple

from pypdf import PdfReader

POINTS_PER_MM = 72 / 25.4


class Placed(NamedTuple):
    """A run of text on a page: where its baseline starts (millimetres from the page's top left
    corner) and its height (the font size, in millimetres)."""

    page: int
    text: str
    x: float
    y: float
    size: float


def pdf_text(data: bytes) -> str:
    """Every page's text, its lines and spaces run together (it opens, or this raises)."""
    assert data.startswith(b"%PDF-")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def placed_text(data: bytes) -> list[Placed]:
    """Every run of text on every page, with where it starts."""
    found: list[Placed] = []
    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages):
        page.extract_text(visitor_text=_visitor(found, number, float(page.mediabox.height)))
    return found


def _visitor(found: list[Placed], number: int, page_height: float) -> Any:
    """pypdf's text visitor for one page: each run's start in millimetres from the top left."""

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, size: float) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        points = size * (abs(tm[3] * cm[3]) or 1.0)
        where = (x / POINTS_PER_MM, (page_height - y) / POINTS_PER_MM)
        found.append(Placed(number, text.strip(), *where, points / POINTS_PER_MM))

    return visit


def first_page_text_in(data: bytes, left: float, top: float, width: float, height: float) -> str:
    """The first page's text whose baseline starts inside the box (millimetres from the top
    left corner of the page)."""
    return " ".join(
        run.text
        for run in placed_text(data)
        if run.page == 0 and left <= run.x <= left + width and top <= run.y <= top + height
    )
