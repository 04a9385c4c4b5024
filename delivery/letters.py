"""Her letters and documents as PDF, rendered by WeasyPrint from the same HTML her record shows.

For the post, the PDF is a GOV.UK Notify precompiled letter laid out by
delivery.letter_layout: her address alone in the envelope's window, the body below it.
WeasyPrint needs Pango and a font (`make letters` installs them); it is imported on first use.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date

from delivery.letter_layout import LETTER_CSS, PRINT_CSS
from forms.templates import environment

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


def notice_letter(area_name: str, title: str, issued_on: date, formats: Sequence[str] = ()) -> str:
    """A notice to her (not itself a document) as a letter's HTML, in large print if asked."""
    template = environment().get_template("notice_letter.html.j2")
    context = {
        "area_name": area_name,
        "issued_on": issued_on,
        "reference": None,
        "formats": list(formats),
    }
    return template.render(ctx=context, title=title, audience="woman")
