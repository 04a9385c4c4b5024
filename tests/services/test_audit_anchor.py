"""Anchors for the audit trail: signed heads kept outside the database, which show rows cut from
the end of the chain and a chain rewritten with fresh hashes; the anchors themselves cannot be
forged, edited or thinned without the key."""

from __future__ import annotations

import asyncio
import base64
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from services.audit_trail import ChainReport, verify_and_anchor
from tests.services.test_audit_trail import Sessions, rows, swap, tamper, write
from waymark import audit
from waymark.audit_anchor import AnchorBook, anchor_book, anchor_head, keep_anchoring
from waymark.settings import Settings

AT = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def book(tmp_path: Path) -> AnchorBook:
    return AnchorBook(tmp_path / "anchors.jsonl", b"k" * 32)


async def check(sessions: Sessions, book: AnchorBook) -> ChainReport:
    async with sessions() as session:
        return await verify_and_anchor(session, book)


def test_each_anchor_signs_the_head_and_the_anchor_before(book: AnchorBook) -> None:
    first = book.anchor(3, "a" * 64, AT)
    second = book.anchor(5, "b" * 64, AT + timedelta(minutes=5))
    assert book.anchor(5, "b" * 64, AT + timedelta(minutes=6)) is None  # held already
    assert book.anchor(4, "c" * 64, AT + timedelta(minutes=7)) is None  # a later row is
    assert book.read() == [first, second]
    assert first is not None
    assert second is not None
    assert second.prev_mac == first.mac
    assert book.check(book.read()) == []
    stranger = AnchorBook(book.path, b"x" * 32)  # a key the writer did not have
    assert stranger.check(book.read()) == [
        "anchor 1 is not genuine (its signature does not match)",
        "anchor 2 is not genuine (its signature does not match)",
    ]


def test_an_anchor_edited_or_taken_out_is_found(book: AnchorBook) -> None:
    for seq in (1, 2, 3):
        book.anchor(seq, f"{seq}" * 64, AT)
    lines = book.path.read_text().splitlines()
    edited = json.loads(lines[1]) | {"seq": 9}
    book.path.write_text("\n".join([lines[0], json.dumps(edited), lines[2]]) + "\n")
    assert book.check(book.read()) == ["anchor 2 is not genuine (its signature does not match)"]
    book.path.write_text("\n".join([lines[0], lines[2]]) + "\n")
    assert book.check(book.read()) == ["anchor 2 does not follow the anchor before it"]


async def test_verify_anchors_the_head_once(sessions: Sessions, book: AnchorBook) -> None:
    await write(sessions, 3)
    report = await check(sessions, book)
    assert (report.intact, report.anchors, report.anchored_seq) == (True, 0, 3)
    again = await check(sessions, book)  # nothing new: no second line for the same head
    assert (again.intact, again.anchors, again.anchored_seq) == (True, 1, 3)
    [anchor] = book.read()
    assert (anchor.seq, anchor.hash) == (3, (await rows(sessions))[-1].hash)


async def test_rows_cut_from_the_end_are_found_against_the_anchor(
    sessions: Sessions, database_url: str, book: AnchorBook
) -> None:
    """The gap the chain alone cannot show: its last rows deleted, triggers out of the way."""
    await write(sessions, 6)
    assert (await check(sessions, book)).intact
    tamper(database_url, "DELETE FROM audit_events WHERE seq > 3")
    report = await check(sessions, book)
    assert report.intact is False
    [problem] = report.problems
    assert problem.startswith("rows 4 to 6 cut from the end (the trail reached row 6 on ")


async def test_rows_cut_and_written_again_differ_from_the_anchor(
    sessions: Sessions, database_url: str, book: AnchorBook
) -> None:
    await write(sessions, 4)
    assert (await check(sessions, book)).intact
    tamper(database_url, "DELETE FROM audit_events WHERE seq > 2")
    await write(sessions, 3)  # rows 3 to 5 again: the chain itself is whole
    report = await check(sessions, book)
    assert report.intact is False
    assert [p.split(" of ")[0] for p in report.problems] == ["row 4 differs from its anchor"]


async def test_a_chain_rewritten_with_fresh_hashes_differs_from_the_anchor(
    sessions: Sessions, database_url: str, book: AnchorBook
) -> None:
    await write(sessions, 6)
    assert (await check(sessions, book)).intact
    written = await rows(sessions)
    statements, prev = [], written[2].hash
    for row in written[3:]:  # an edit at row 4, every hash after it recomputed
        row.outcome = "denied" if row.seq == 4 else row.outcome
        row.prev_hash = prev
        row.hash = prev = audit.chain_hash(row)
        statements.append(
            f"UPDATE audit_events SET outcome = '{row.outcome}', prev_hash = '{row.prev_hash}',"
            f" hash = '{row.hash}' WHERE seq = {row.seq}"
        )
    tamper(database_url, *statements)
    report = await check(sessions, book)
    assert report.intact is False
    assert [p.split(" of ")[0] for p in report.problems] == ["row 6 differs from its anchor"]


async def test_a_broken_trail_is_not_anchored(
    sessions: Sessions, database_url: str, book: AnchorBook
) -> None:
    await write(sessions, 5)
    assert (await check(sessions, book)).intact
    tamper(database_url, *swap(2, 3))
    await write(sessions, 1)
    report = await check(sessions, book)
    assert report.intact is False
    assert "rows out of order / chain broken at 2 (row 2 was written as row 3)" in report.problems
    assert [anchor.seq for anchor in book.read()] == [5]  # the broken head was not signed


async def test_the_worker_anchors_the_head_every_interval(
    sessions: Sessions, book: AnchorBook
) -> None:
    await write(sessions, 2)
    anchoring = asyncio.create_task(keep_anchoring(sessions, book, timedelta(seconds=0.05)))
    try:
        await wait_for_anchor(book, 2)
        await write(sessions, 3)
        await wait_for_anchor(book, 5)
    finally:
        anchoring.cancel()
    seqs = [anchor.seq for anchor in book.read()]  # heads in between may be anchored too
    assert (seqs[0], seqs[-1]) == (2, 5)
    assert seqs == sorted(set(seqs))
    assert book.check(book.read()) == []


async def wait_for_anchor(book: AnchorBook, seq: int) -> None:
    for _ in range(200):
        if any(anchor.seq == seq for anchor in book.read()):
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"row {seq} was never anchored: {book.read()}")


async def test_concurrent_anchoring_keeps_one_chain_of_anchors(
    sessions: Sessions, book: AnchorBook
) -> None:
    for _ in range(5):
        await write(sessions, 1)

        async def anchor_once() -> None:
            async with sessions() as session:
                await anchor_head(session, book)

        await asyncio.gather(anchor_once(), anchor_once())
    assert [anchor.seq for anchor in book.read()] == [1, 2, 3, 4, 5]
    assert book.check(book.read()) == []


def test_the_key_is_made_once_in_development_and_required_in_production(tmp_path: Path) -> None:
    settings = Settings(environment="development", state_dir=tmp_path)
    made = anchor_book(settings)
    assert made.key == anchor_book(settings).key
    assert len(made.key) == 32
    assert made.path == tmp_path / "audit-anchors.jsonl"
    assert (tmp_path / "audit-anchor-key").stat().st_mode & 0o777 == 0o600
    key = base64.b64encode(b"p" * 32).decode()
    production = Settings(environment="production", state_dir=tmp_path, audit_anchor_key=key)
    assert anchor_book(production).key == b"p" * 32
    with pytest.raises(RuntimeError, match="WAYMARK_AUDIT_ANCHOR_KEY"):
        anchor_book(Settings(environment="production", state_dir=tmp_path))
