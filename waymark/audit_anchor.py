"""Anchors for the audit trail: the chain's head (last `seq` and `hash`), signed with an HMAC key
the database does not hold and appended to a store outside the database.

The hash chain alone shows an edited, moved or deleted row, but not rows cut from its end, nor
a chain rewritten from an edited row onwards: whoever can change the table can recompute every
hash. An anchor fixes the head as it was at a time; later, each anchored row must still be there
with the same hash. Without the key no one can write a believable anchor, and the store only
grows: each line also signs the one before it, so a line taken out of the middle shows too.

Embedded, the store is a file in the state folder (`audit-anchors.jsonl`), and the key another
(`audit-anchor-key`, made once); in production the key comes from WAYMARK_AUDIT_ANCHOR_KEY and the
file lives where the database's administrators cannot write (see deploy/README.md).
"""

from __future__ import annotations

import asyncio
import base64
import fcntl
import hashlib
import hmac
import json
import logging
import os
import secrets
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from waymark.db.models import AuditEvent
from waymark.settings import Settings

log = logging.getLogger("waymark.audit")

ANCHOR_VERSION = "waymark-anchor-v1"
FIRST_MAC = "0" * 64


@dataclass(frozen=True)
class Anchor:
    """The chain's head at a time, signed together with the anchor before it."""

    seq: int
    hash: str
    at: datetime
    prev_mac: str
    mac: str


@dataclass(frozen=True)
class AnchorBook:
    """Where the anchors are kept, and the key that signs them."""

    path: Path
    key: bytes

    def read(self) -> list[Anchor]:
        """Every anchor line, oldest first (an empty list before the first)."""
        if not self.path.exists():
            return []
        return [_parse(line) for line in self.path.read_text().splitlines() if line.strip()]

    def check(self, anchors: list[Anchor]) -> list[str]:
        """Each line that was not signed with this key, or does not follow the line before."""
        problems = []
        prev_mac = FIRST_MAC
        for number, anchor in enumerate(anchors, start=1):
            if not hmac.compare_digest(anchor.mac, self._sign(anchor, anchor.prev_mac)):
                problems.append(f"anchor {number} is not genuine (its signature does not match)")
            elif anchor.prev_mac != prev_mac:
                problems.append(f"anchor {number} does not follow the anchor before it")
            prev_mac = anchor.mac
        return problems

    def anchor(self, seq: int, head: str, at: datetime) -> Anchor | None:
        """Sign this head and append it, flushed to disk; nothing when the last anchor already
        holds it or a later row. The file's lock is held from reading the last line to writing
        the next (no await in between), so two processes anchoring at once cannot interleave."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            anchors = self.read()
            if anchors and anchors[-1].seq >= seq:
                return None
            prev_mac = anchors[-1].mac if anchors else FIRST_MAC
            draft = Anchor(seq=seq, hash=head, at=at.astimezone(UTC), prev_mac=prev_mac, mac="")
            anchor = replace(draft, mac=self._sign(draft, prev_mac))
            line = json.dumps({**asdict(anchor), "at": anchor.at.isoformat()}) + "\n"
            os.write(fd, line.encode())
            os.fsync(fd)
            return anchor
        finally:
            os.close(fd)  # closing releases the lock

    def _sign(self, anchor: Anchor, prev_mac: str) -> str:
        fields = [ANCHOR_VERSION, anchor.seq, anchor.hash, anchor.at.isoformat(), prev_mac]
        message = json.dumps(fields, separators=(",", ":")).encode()
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()


def _parse(line: str) -> Anchor:
    data = json.loads(line)
    return Anchor(
        seq=int(data["seq"]),
        hash=str(data["hash"]),
        at=datetime.fromisoformat(data["at"]),
        prev_mac=str(data["prev_mac"]),
        mac=str(data["mac"]),
    )


def anchor_book(settings: Settings) -> AnchorBook:
    """The configured store and key; development makes a key once under the state folder."""
    return AnchorBook(settings.audit_anchor_path, _key(settings))


def _key(settings: Settings) -> bytes:
    if settings.audit_anchor_key:
        return base64.b64decode(settings.audit_anchor_key)
    if settings.environment == "production":
        raise RuntimeError("WAYMARK_AUDIT_ANCHOR_KEY must be set in production")
    path = settings.state_dir / "audit-anchor-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first: use theirs
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(base64.b64encode(secrets.token_bytes(32)).decode())
    return base64.b64decode(path.read_text().strip())


async def chain_head(session: AsyncSession) -> tuple[int, str] | None:
    """The last row's seq and hash, or None for an empty trail."""
    row = (
        await session.execute(
            select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
        )
    ).first()
    return (row.seq, row.hash) if row else None


async def anchor_head(session: AsyncSession, book: AnchorBook) -> Anchor | None:
    """Anchor the chain's head now, unless it is anchored already."""
    head = await chain_head(session)
    return book.anchor(*head, datetime.now(UTC)) if head is not None else None


async def keep_anchoring(
    sessions: async_sessionmaker[AsyncSession], book: AnchorBook, every: timedelta
) -> None:
    """Anchor the head every interval until cancelled; a failed round (the database down) is
    logged and the next round tries again."""
    while True:
        try:
            async with sessions() as session:
                await anchor_head(session, book)
        except Exception:
            log.exception("could not anchor the audit trail; trying again in %s", every)
        await asyncio.sleep(every.total_seconds())
