"""Reading a PDF the way a test needs to: its text, and the text inside a box on its first page."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader

POINTS_PER_MM = 72 / 25.4


def pdf_text(data: bytes) -> str:
    """Every page's text, its lines and spaces run together (it opens, or this raises)."""
    assert data.startswith(b"%PDF-")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def first_page_text_in(data: bytes, left: float, top: float, width: float, height: float) -> str:
    """The first page's text whose baseline starts inside the box (millimetres from the top
    left corner of the page)."""
    page = PdfReader(io.BytesIO(data)).pages[0]
    page_height = float(page.mediabox.height)
    found: list[str] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: Any) -> None:
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        x_mm, y_mm = x / POINTS_PER_MM, (page_height - y) / POINTS_PER_MM
        if text.strip() and left <= x_mm <= left + width and top <= y_mm <= top + height:
            found.append(text.strip())

    page.extract_text(visitor_text=visit)
    return " ".join(found)
