"""Her letters and documents as PDF, rendered by WeasyPrint from the same HTML her record shows.

For the post, the PDF is a GOV.UK Notify precompiled letter: A4, the content inside Notify's
margins, her address alone in the address block on the first page (24.6mm from the left edge,
39.5mm from the top, 95.5mm wide and 26.8mm tall: the envelope's window) and nothing else there.
WeasyPrint needs Pango and a font (`make letters` installs them); it is imported on first use.
"""

from __future__ import annotations

import logging
from datetime import date

from forms.templates import environment

# The page as Notify prints it: 15mm margins all round, the address block on the first page.
# Positions inside the page area are the specification's, less the 15mm margins.
LETTER_CSS = """
@page { size: A4; margin: 15mm; }
body { font-size: 11pt; }
.page { max-width: none; padding: 0; }
.address-block {
  position: absolute; top: 24.5mm; left: 9.6mm; width: 95.5mm; height: 26.8mm;
  overflow: hidden; font-size: 10pt; line-height: 1.2;
}
.address-block p { margin: 0; }
.with-address .masthead { margin-top: 62mm; }
"""
PRINT_CSS = "@page { size: A4; margin: 15mm; } body { font-size: 11pt; }"
_PAGE = '<div class="page">'
# WeasyPrint logs each step of each document at INFO; only its warnings are worth keeping.
logging.getLogger("weasyprint").setLevel(logging.WARNING)


def with_address(html: str, address: tuple[str, ...]) -> str:
    """The document with her address block first on its first page."""
    block = environment().get_template("letter_address.html.j2").render(address=address)
    if _PAGE not in html:
        raise ValueError("not a document rendered from the letter templates")
    return html.replace(_PAGE, f'<div class="page with-address">{block}', 1)


def pdf(html: str, *, address: tuple[str, ...] = ()) -> bytes:
    """The document as an A4 PDF; with `address`, a letter ready for Notify to print and post."""
    from weasyprint import CSS, HTML

    source = with_address(html, address) if address else html
    style = CSS(string=LETTER_CSS if address else PRINT_CSS)
    return bytes(HTML(string=source).write_pdf(stylesheets=[style]))


def notice_letter(area_name: str, title: str, issued_on: date) -> str:
    """A notice to her (not itself a document) as a letter's HTML."""
    template = environment().get_template("notice_letter.html.j2")
    context = {"area_name": area_name, "issued_on": issued_on, "reference": None}
    return template.render(ctx=context, title=title, audience="woman")
