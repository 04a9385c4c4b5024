"""Where things go on a letter's pages: GOV.UK Notify's precompiled letter specification, once.

Every letter and document she receives is one of the templates under forms/templates, all of
which extend base.html.j2; this module is the one place that lays them out on A4 for print and
for the post. Measurements are millimetres from the top left corner of the page, as Notify's
letter specification gives them:

- every page: A4 portrait, content within 15mm of the left and right edges and 5mm of the top
  and bottom (Notify prints its own mark in the top left margin of the first page);
- first page: her address alone in the address block (the envelope's window), the sender's
  details in the column to its right, and the body starting 95mm from the top.
"""

from __future__ import annotations

from typing import NamedTuple


class Box(NamedTuple):
    """A rectangle on the page, in millimetres from the page's top left corner."""

    left: float
    top: float
    right: float
    bottom: float

    def holds(self, x: float, y: float) -> bool:
        """Whether the point (x from the left, y from the top) is inside the box."""
        return self.left <= x <= self.right and self.top <= y <= self.bottom


PAGE_WIDTH, PAGE_HEIGHT = 210.0, 297.0
# Notify's printable area on every page.
PRINTABLE = Box(15.0, 5.0, PAGE_WIDTH - 15.0, PAGE_HEIGHT - 5.0)
# First page only: her address, the sender's column, the top strip, and where the body starts.
ADDRESS = Box(24.6, 39.5, 120.0, 66.3)
SENDER = Box(125.0, 5.0, PRINTABLE.right, 95.0)
TOP_STRIP = Box(PRINTABLE.left, 5.0, SENDER.left, 30.0)
BODY_TOP = 95.0
FIRST_PAGE_BODY = Box(PRINTABLE.left, BODY_TOP, PRINTABLE.right, PRINTABLE.bottom)

# The page margin the letters use (inside Notify's printable area); boxes are placed within it.
MARGIN = 15.0
# Up to seven address lines fit the block's height at this size (Notify's own limit is seven).
ADDRESS_POINTS = 9


def _mm(value: float) -> str:
    return f"{value:.1f}mm"


def _in_page_area(box: Box) -> str:
    """CSS placing an absolutely positioned element on the box (relative to the page area)."""
    return (
        f"position: absolute; left: {_mm(box.left - MARGIN)}; top: {_mm(box.top - MARGIN)}; "
        f"width: {_mm(box.right - box.left)}; height: {_mm(box.bottom - box.top)};"
    )


PRINT_CSS = f"""
@page {{ size: A4; margin: {_mm(MARGIN)}; }}
body {{ font-size: 11pt; }}
.page {{ max-width: none; padding: 0; }}
"""

# The sender's details fill the column beside her address, and the body starts below the window's
# row, so nothing else shows through it. WeasyPrint takes these as a user stylesheet, which the
# document's own styles outrank: what the masthead must lose here is marked !important.
LETTER_CSS = f"""{PRINT_CSS}
.address-block {{
  {_in_page_area(ADDRESS)}
  overflow: hidden; font-size: {ADDRESS_POINTS}pt; line-height: 1.2;
}}
.address-block p {{ margin: 0; }}
.with-address .masthead {{
  {_in_page_area(Box(SENDER.left, MARGIN, SENDER.right, SENDER.bottom))}
  margin: 0 !important; padding: 0 !important; border: 0 !important; overflow: hidden;
  font-size: 9pt !important; line-height: 1.3 !important;
}}
.with-address .masthead .sender {{ font-size: 11pt !important; }}
.with-address main {{ margin-top: {_mm(BODY_TOP - MARGIN)}; }}
.with-address main > h1:first-child {{ margin-top: 0; }}
"""
