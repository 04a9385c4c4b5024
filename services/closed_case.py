"""Closed means closed: commands that make no sense for a closed case are refused (409) with
the reason, unless her own support episode is still open (it outlives her baby's case)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forms.common import Nation
from waymark.areas import get_area
from waymark.db.models import SupportEpisode, Woman
from waymark.errors import Conflict


async def refuse_if_closed(session: AsyncSession, woman: Woman, what: str) -> None:
    """Raise Conflict saying why `what` cannot be done for her closed case."""
    if woman.stage != "closed":
        return
    support = await session.scalar(
        select(SupportEpisode.id).where(
            SupportEpisode.woman_id == woman.id, SupportEpisode.status == "active"
        )
    )
    if support is not None:
        return
    raise closed(what)


def closed(what: str) -> Conflict:
    """The refusal of a command for her closed case, saying what cannot be done and why."""
    return Conflict(f"her case is closed, so {what}: if she needs this now, reopen her case first")


# What each command to her pathway would have done, said when it is refused because her case
# is closed (her pathway ran to its end then, so it takes no more commands).
CLOSED_COMMANDS = {
    "record_screening": "no screening decision can be recorded",
    "record_strategy_discussion": "no strategy discussion can be recorded",
    "record_assessment": "no pre-birth assessment can be recorded",
    "change_edd": "her expected date of delivery cannot be changed",
    "assign_coordinator": "no care co-ordinator can be named",
    "record_birth": "the birth cannot be recorded on her case",
    "record_placement": "no change of where her baby lives can be recorded",
    "record_discharge": "no discharge from hospital can be recorded",
    "move_baby": "no move of her baby in hospital can be recorded",
    "record_meeting_held": "no meeting can be recorded as held",
    "schedule_meeting": "no meeting can be arranged for her",
    "cancel_meeting": "no meeting can be cancelled",
    "close_case": "it cannot be closed again",
    "pause_clock": "her deadlines cannot be paused",
    "resume_clock": "her deadlines cannot be restarted",
    "extend_clock": "her deadlines cannot be extended",
}
# Where Scotland's words differ (an IRD, not a strategy discussion).
SCOTTISH_CLOSED_COMMANDS = {
    **CLOSED_COMMANDS,
    "record_strategy_discussion": "no Inter-agency Referral Discussion (IRD) can be recorded",
}


def closed_command(command: str | None, nation: Nation = Nation.ENGLAND) -> Conflict:
    """The refusal of this command to her finished pathway: her case is closed (in her
    nation's words)."""
    words = SCOTTISH_CLOSED_COMMANDS if nation is Nation.SCOTLAND else CLOSED_COMMANDS
    return closed(words.get(command or "", "her pathway takes no more commands"))


async def closed_pathway_command(
    session: AsyncSession, woman_id: uuid.UUID, command: str | None
) -> Conflict:
    """The refusal of a command to her finished pathway, in the words of where she lives."""
    area = await session.scalar(select(Woman.area_code).where(Woman.id == woman_id))
    nation = get_area(area).nation if area else Nation.ENGLAND
    return closed_command(command, nation)
