"""Reading the audit trail: checking its hash chain against its anchors, and who viewed a
woman's record."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import fields, replace
from datetime import date, datetime, time, timedelta

from pydantic import BaseModel
from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from waymark.audit import GENESIS_HASH, ChainRow, chain_hash
from waymark.audit_anchor import Anchor, AnchorBook, anchor_head
from waymark.db.models import AuditEvent, Organisation, User
from waymark.errors import Invalid
from waymark.localtime import UK

BATCH_SIZE = 1000
# Actions whose one row names every woman it listed (`AuditEvent.listed`).
LISTINGS = ("view_ledger", "search_women")


class ChainReport(BaseModel):
    """The outcome of walking the chain, and of checking it against the anchors kept outside."""

    intact: bool
    rows: int
    problems: list[str]
    last_seq: int | None = None
    last_hash: str | None = None
    anchors: int = 0
    anchored_seq: int | None = None
    anchored_at: datetime | None = None


class AccessEntry(BaseModel):
    """One audited action on her record: when, who, what and with what outcome."""

    seq: int
    at: datetime
    user_id: uuid.UUID | None
    name: str | None
    role: str | None
    organisation: str | None
    action: str
    outcome: str
    request_id: str | None
    detail: str | None
    reason: str | None


async def verify_and_anchor(session: AsyncSession, book: AnchorBook) -> ChainReport:
    """Check the anchors, then the chain against them; if all is well, anchor its head now."""
    anchors = book.read()
    problems = book.check(anchors)
    report = await verify_chain(session, anchors=anchors)
    report.problems = problems + report.problems
    report.intact = not report.problems
    if report.intact:
        await anchor_head(session, book)
    latest = book.read()[-1:] if report.intact else anchors[-1:]
    for anchor in latest:
        report.anchored_seq, report.anchored_at = anchor.seq, anchor.at
    return report


async def verify_chain(
    session: AsyncSession, *, anchors: Sequence[Anchor] = (), batch_size: int = BATCH_SIZE
) -> ChainReport:
    """Walk every row in seq order; name each edited, missing or out-of-order row, and each
    anchored row that is no longer there as it was.

    From the table alone: an edited row (its hash no longer fits its fields), a deleted row
    anywhere but the end (a gap in seq, which the writer keeps gap-free), rows reordered (a
    prev_hash that is not the hash of the row before). Against the anchors (signed heads kept
    outside the database, `waymark.audit_anchor`): rows cut from the end, and a chain rewritten
    with fresh hashes from an edited row onwards.
    """
    walk = _Walk(session, anchors)
    after = 0
    while True:
        query = (
            select(*(AuditEvent.__table__.c[field.name] for field in fields(ChainRow)))
            .where(AuditEvent.seq > after)
            .order_by(AuditEvent.seq)
            .limit(batch_size)
        )
        rows = [ChainRow(**row._mapping) for row in await session.execute(query)]
        for row in rows:
            await walk.check(row)
        if len(rows) < batch_size:
            break
        after = rows[-1].seq
    walk.check_end()
    return ChainReport(
        intact=not walk.problems,
        rows=walk.rows,
        problems=walk.problems,
        last_seq=walk.expected_seq - 1 if walk.rows else None,
        last_hash=walk.prev_hash if walk.rows else None,
        anchors=len(anchors),
    )


class _Walk:
    """The state of one walk along the chain: where it should be, and what it found."""

    def __init__(self, session: AsyncSession, anchors: Sequence[Anchor] = ()) -> None:
        self.session = session
        self.anchored = {anchor.seq: anchor for anchor in anchors}
        self.expected_seq = 1
        self.prev_hash = GENESIS_HASH
        self.rows = 0
        self.problems: list[str] = []

    async def check(self, row: ChainRow) -> None:
        """Check one row against its own hash and against the row before it."""
        gap = row.seq > self.expected_seq
        if gap:
            self.problems.append(_missing(self.expected_seq, row.seq - 1))
        linked = gap or row.prev_hash == self.prev_hash  # a gap already explains the link
        if chain_hash(row) != row.hash:
            written_as = await self._written_as(row)
            if written_as is None:
                self.problems.append(f"row {row.seq} was edited")
            else:
                self.problems.append(
                    f"rows out of order / chain broken at {row.seq}"
                    f" (row {row.seq} was written as row {written_as})"
                )
        elif not linked:
            self.problems.append(f"rows out of order / chain broken at {row.seq}")
        anchor = self.anchored.get(row.seq)
        if anchor is not None and anchor.hash != row.hash:
            self.problems.append(
                f"row {row.seq} differs from its anchor of {_when(anchor)}"
                " (the chain was rewritten)"
            )
        self.rows += 1
        self.expected_seq, self.prev_hash = row.seq + 1, row.hash

    def check_end(self) -> None:
        """Rows anchored past the last row left: cut from the end."""
        last = self.expected_seq - 1
        beyond = [anchor for seq, anchor in self.anchored.items() if seq > last]
        if beyond:
            latest = max(beyond, key=lambda anchor: anchor.seq)
            cut = (
                f"row {latest.seq}"
                if latest.seq == last + 1
                else f"rows {last + 1} to {latest.seq}"
            )
            self.problems.append(
                f"{cut} cut from the end (the trail reached row {latest.seq} on {_when(latest)})"
            )

    async def _written_as(self, row: ChainRow) -> int | None:
        """The seq this unaltered row was written with, if it was only moved; else None."""
        before = await self.session.scalar(
            select(AuditEvent.seq).where(AuditEvent.hash == row.prev_hash)
        )
        after = await self.session.scalar(
            select(AuditEvent.seq).where(AuditEvent.prev_hash == row.hash)
        )
        candidates = {before + 1 if before is not None else None}
        candidates.add(after - 1 if after is not None else None)
        for seq in sorted(c for c in candidates if c is not None and c != row.seq):
            if chain_hash(replace(row, seq=seq)) == row.hash:
                return seq
        return None


def _when(anchor: Anchor) -> str:
    return anchor.at.strftime("%Y-%m-%d %H:%M:%S UTC")


def _missing(first: int, last: int) -> str:
    if first == last:
        return f"row {first} is missing (sequence gap)"
    return f"rows {first} to {last} are missing (sequence gap)"


async def who_viewed(
    session: AsyncSession,
    *,
    woman_id: uuid.UUID,
    since: date | None = None,
    until: date | None = None,
) -> list[AccessEntry]:
    """Every audited action on her record (views, changes, denials), oldest first.

    `since` and `until` are UK calendar days, both included.
    """
    if since and until and since > until:
        raise Invalid("'from' is after 'to'")
    query = (
        select(AuditEvent, User.display_name, Organisation.name)
        .outerjoin(User, User.id == AuditEvent.actor_user_id)
        .outerjoin(Organisation, Organisation.id == AuditEvent.organisation_id)
        .where(
            or_(
                and_(AuditEvent.record_type == "woman", AuditEvent.record_id == str(woman_id)),
                # A ledger page or search that listed her (one row each, naming whom it listed).
                and_(AuditEvent.action.in_(LISTINGS), AuditEvent.listed.contains(woman_id.hex)),
            )
        )
        .order_by(AuditEvent.seq)
    )
    if since:
        query = query.where(AuditEvent.occurred_at >= _uk_midnight(since))
    if until:
        query = query.where(AuditEvent.occurred_at < _uk_midnight(until + timedelta(days=1)))
    return [
        AccessEntry(
            seq=row.seq,
            at=row.occurred_at,
            user_id=row.actor_user_id,
            name=name,
            role=row.actor_role,
            organisation=organisation,
            action=row.action,
            outcome=row.outcome,
            request_id=row.request_id,
            detail=row.detail,
            reason=row.reason,
        )
        for row, name, organisation in await session.execute(query)
    ]


def _uk_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UK)
