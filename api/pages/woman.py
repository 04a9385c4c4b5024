"""The woman's page: her stage, deadlines, the people around her, meetings, babies, timeline
and every message about her, with what the signed-in person may do next. Every view passes
the record-level policy and is audited (by the same service the API uses)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from api.deps import Session
from api.pages import emergency_records, woman_data
from api.pages.guard import PagePrincipal
from api.pages.render import render
from api.women import DOCUMENT_CSP
from delivery import letters
from forms.common import Nation, Role
from forms.labels import label as words
from forms.pathway import ALLOWED_DECISIONS, Stage
from forms.women import WomanSummary
from services import feedback, women
from waymark.areas import get_area
from waymark.db.models import Baby, MeetingFeedback, Organisation
from waymark.localtime import today_in_uk
from waymark.security.principal import Principal

router = APIRouter(tags=["pages: her record"], include_in_schema=False)

# What a finished command says on her page (the address names only the kind, never data).
DONE = {
    "screening": "The screening decision is recorded.",
    "meeting": "The meeting is scheduled. Everyone invited is being told.",
    "rescheduled": "The meeting is moved. Everyone invited is being told at once.",
    "cancelled": "The meeting is cancelled. Everyone invited is being told at once.",
    "birth": "The birth is recorded. Her deadlines are being worked out again from the birth.",
    "placement": "Where her baby lives is recorded.",
    "text_matched": "Her text is on her record. Her worker has been asked to respond.",
    "edd": "The expected date of delivery is changed. Her deadlines are being worked out again.",
    "assessment": "The pre-birth assessment is recorded as complete.",
    "held": "The meeting is recorded as held.",
    "coordinator": "Her care co-ordinator is named.",
    "deadline": "The deadline is changed, with your reason on her record.",
    "core_group": "The first core group meeting is recorded.",
    "discharge": "Her baby's discharge from hospital is recorded.",
    "move": "Where her baby is in hospital is recorded.",
    "closed": "Her baby's case is closed. Her own support carries on.",
    "reopened": "Her case is reopened, with your reason on her record.",
    "advocacy": "The offer of an advocate and her answer are recorded.",
    "merged": "The other record is merged into hers. Its history is now part of hers.",
    "transfer_asked": "The transfer is asked. Her record stays with your team until the other "
    "area's team accepts it.",
    "transfer_withdrawn": "The transfer is withdrawn. Her record stays with your team.",
    "pending": "This was sent, but her pathway has not confirmed it yet. "
    "Look at her record again in a minute before trying again.",
}


# Notices said in her nation's words (forms/labels.py): an IRD, a child protection planning
# meeting and its record in Scotland.
DONE_IN_HER_WORDS = {
    "minutes": "minutes_done",
    "strategy": "strategy_done",
    "outcome": "outcome_done",
    "report": "report_done",
}


def _notice(done: str | None, nation: Nation) -> str | None:
    """What her page says was done, in her nation's words where they differ."""
    if done in DONE_IN_HER_WORDS:
        return words(DONE_IN_HER_WORDS[done], nation)
    return DONE.get(done or "")


async def _is_maternity(session: Session, principal: Principal) -> bool:
    org = await session.get(Organisation, principal.organisation_id)
    return org is not None and org.agency_kind == "maternity"


async def actions_for(
    session: Session, principal: Principal, summary: WomanSummary, babies: list[Baby]
) -> dict[str, bool]:
    """Which commands to offer (the commands check again, and the pathway has the last word)."""
    social_worker = principal.role is Role.SOCIAL_WORKER
    open_case = summary.stage != Stage.CLOSED.value
    midwife = principal.role is Role.PRACTITIONER and await _is_maternity(session, principal)
    return {
        "screening": social_worker and summary.stage in {s.value for s in ALLOWED_DECISIONS},
        "strategy": social_worker and summary.stage == Stage.STRATEGY_DISCUSSION.value,
        "meetings": social_worker and open_case,
        "outcome": social_worker,
        "birth": (social_worker or midwife) and open_case and not babies,
        "placement": social_worker and open_case,
        "report": principal.role is Role.PRACTITIONER,
        "merge": principal.role is Role.SAFEGUARDING_LEAD and open_case,
        "transfer": social_worker and open_case,
        "reopen": social_worker and not open_case,
    }


@router.get("/women/{woman_id}")
async def her_page(
    request: Request,
    woman_id: uuid.UUID,
    principal: PagePrincipal,
    session: Session,
    done: str | None = None,
) -> Response:
    """Her record, for everyone whose work involves her."""
    summary = await women.woman_summary(session, principal, woman_id)
    babies = await woman_data.babies(session, woman_id)
    episode, named_worker = await woman_data.support(session, woman_id)
    nation = get_area(summary.area).nation
    return render(
        request,
        "woman.html.j2",
        title=f"{summary.preferred_name or summary.given_name} {summary.family_name}",
        woman=summary,
        nation=nation.value,
        babies=babies,
        episode=episode,
        named_worker=named_worker,
        meeting_rows=await woman_data.meetings(session, woman_id),
        told=woman_data.told_and_due(
            await woman_data.notices(session, woman_id), datetime.now(UTC)
        ),
        attention=await woman_data.needs_attention(session, woman_id),
        actions=await actions_for(session, principal, summary, babies),
        today=today_in_uk(),
        now=datetime.now(UTC),
        notice=_notice(done, nation),
        emergency_until=await emergency_records.emergency_until(session, principal, woman_id),
        her_views=await _her_views(session, principal, woman_id),
        went_words=feedback.WENT_WORDS,
    )


async def _her_views(
    session: Session, principal: Principal, woman_id: uuid.UUID
) -> list[MeetingFeedback]:
    """What she said after meetings: for her social worker and her advocate."""
    if principal.role not in (Role.SOCIAL_WORKER, Role.ADVOCATE):
        return []
    return await feedback.for_woman(session, woman_id)


@router.get("/women/{woman_id}/documents/{document_id}")
async def her_document(
    woman_id: uuid.UUID, document_id: uuid.UUID, principal: PagePrincipal, session: Session
) -> HTMLResponse:
    """One of her documents (letter, invitation, minutes, information pack), as stored."""
    html = await women.document_html(session, principal, woman_id, document_id)
    # Stored documents carry their own print styles and never any script.
    return HTMLResponse(html, headers={"content-security-policy": DOCUMENT_CSP})


@router.get("/women/{woman_id}/documents/{document_id}/pdf")
async def her_document_pdf(
    woman_id: uuid.UUID, document_id: uuid.UUID, principal: PagePrincipal, session: Session
) -> Response:
    """One of her documents as an A4 PDF to print or hand to her (no address on it)."""
    html = await women.document_html(session, principal, woman_id, document_id)
    data = await asyncio.to_thread(letters.pdf, html)
    return Response(
        data,
        media_type="application/pdf",
        headers={
            "content-disposition": f'inline; filename="document-{document_id}.pdf"',
            "cache-control": "no-store",
        },
    )
