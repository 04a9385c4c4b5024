"""Her documents print: each has a PDF from the same template, with her dates and nothing of
another woman, opened only by those who may see her record, and audited."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rules.uktime import uk_date
from tests.helpers.pdfs import pdf_text
from tests.helpers.planning import eventually
from tests.pages.conftest import Browse
from tests.pages.flows import refer, to_conference
from waymark.db.models import AuditEvent


async def test_her_information_pack_prints_as_a_pdf_of_hers_alone(
    browse: Browse, sessions: async_sessionmaker[AsyncSession], now: datetime
) -> None:
    sam = await browse("sam.social")
    woman_id = await refer(sam)
    other = await refer(sam, **{"woman.given_name": "Zara", "woman.preferred_name": "Zed"})
    await to_conference(sam, woman_id, now)
    await to_conference(sam, other, now)

    links: list[str] = []

    async def has_pdf_link() -> bool:
        doc = await sam.page(f"/women/{woman_id}")
        hrefs = [e.attrs.get("href") or "" for e in doc.elements if e.tag == "a"]
        links[:] = [href for href in hrefs if href.endswith("/pdf")]
        return bool(links)

    await eventually(has_pdf_link)
    link = links[0]
    response = await sam.get(link)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Planning for your baby" in text
    assert "Jay" in text
    day = uk_date(now)
    assert f"{day.day} {day:%B %Y}" in text  # the day it was issued
    assert "Zara" not in text
    assert "Zed" not in text
    async with sessions() as session:
        viewed = await session.scalar(
            select(AuditEvent.seq).where(
                AuditEvent.action == "view_document",
                AuditEvent.detail.contains(link.split("/")[-2]),
            )
        )
    assert viewed is not None
    # Her advocate's manager in another area has no part in her care: not found, nothing shown.
    kirsty = await browse("kirsty.advocate")
    refused = await kirsty.get(link)
    assert refused.status_code in (403, 404)
    assert not refused.content.startswith(b"%PDF")
