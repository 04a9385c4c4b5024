"""The duty register against the facts it mirrors: what the facts say is owed has a live duty,
and what they say is done (or signed off) has none. Set-based: a few queries in all."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from forms.oversight_reports import Discrepancy, DiscrepancyKind, RecordType
from services.duties import LIVE
from waymark.db.models import Deadline, Duty, SupportEpisode

CHECKS = (
    ("a live deadline has no live duty", "pending missed paused", True),
    ("a met or cancelled deadline still has a live duty", "met cancelled", False),
)


def _live(key: ColumnElement[str]) -> ColumnElement[bool]:
    return exists().where(Duty.key == key, Duty.status.in_(LIVE))


async def duties_against_facts(session: AsyncSession, settled: datetime) -> list[Discrepancy]:
    """Every mismatch between the register and deadlines or support episodes."""
    found: list[Discrepancy] = []
    for detail, statuses, wanted in CHECKS:
        has = _live("clock:" + Deadline.key)
        rows = await session.scalars(
            select(Deadline.id).where(
                Deadline.status.in_(statuses.split()),
                Deadline.updated_at < settled,
                has if not wanted else ~has,
            )
        )
        found += [_gap("deadline", row, detail) for row in rows]
    found += await _episodes(session, settled)
    return found


async def _episodes(session: AsyncSession, settled: datetime) -> list[Discrepancy]:
    """Episode ids are in their duties' keys (`support:<episode>:<what>`)."""
    live: set[tuple[str, str]] = set()
    for key, kind in await session.execute(
        select(Duty.key, Duty.kind).where(Duty.status.in_(LIVE), Duty.key.startswith("support:"))
    ):
        live.add((key.split(":")[1], kind))
    owing = {episode for episode, _ in live}
    found = []
    for episode in await session.scalars(
        select(SupportEpisode).where(SupportEpisode.updated_at < settled)
    ):
        ident = str(episode.id)
        for detail in _episode_gaps(episode, ident, live, owing):
            found.append(_gap("support_episode", ident, detail))
    return found


def _episode_gaps(
    episode: SupportEpisode, ident: str, live: set[tuple[str, str]], owing: set[str]
) -> list[str]:
    if episode.status != "active":
        return ["a signed-off episode still has live duties"] if ident in owing else []
    gaps = []
    if (ident, "contact") not in live:
        gaps.append("an active episode has no live contact duty")
    if episode.named_worker_id is None and (ident, "named_worker") not in live:
        gaps.append("an episode without a named worker has no live duty to name one")
    return gaps


def _gap(record_type: RecordType, record_id: object, detail: str) -> Discrepancy:
    return Discrepancy(
        kind=DiscrepancyKind.DUTY_DIFFERS,
        record_type=record_type,
        record_id=str(record_id),
        detail=detail,
    )
