"""SQLite writers take turns (`waymark.db.write_turn`): within a process in order, between
processes on the lock file beside the database; a turn is given back however its transaction
ends, and a writer that waits too long fails without holding anyone up."""

from __future__ import annotations

import asyncio
import fcntl
import os
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from waymark.db.session import SQLITE_BUSY_TIMEOUT_MS, make_engine, make_sessionmaker, transaction
from waymark.db.write_turn import WriteTurns, lock_file_of

Sessions = async_sessionmaker[AsyncSession]
ROOT = Path(__file__).resolve().parents[2]

# Another process's writers: the same `_add_many` as this process's.
OTHER_PROCESS = (
    "import asyncio, sys; from tests.db.test_write_turns import _add_many; "
    "asyncio.run(_add_many(sys.argv[1], int(sys.argv[2])))"
)


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[tuple[Path, Sessions]]:
    path = tmp_path / "turns.db"
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    sessions = make_sessionmaker(engine)
    async with transaction(sessions) as session:
        await session.execute(text("CREATE TABLE counter (n INTEGER NOT NULL)"))
        await session.execute(text("INSERT INTO counter VALUES (0)"))
    yield path, sessions
    await engine.dispose()


async def _add_one(sessions: Sessions) -> None:
    async with transaction(sessions) as session:
        n = await session.scalar(text("SELECT n FROM counter"))
        await asyncio.sleep(0.001)  # others run meanwhile: only turns keep this from losing one
        await session.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})


async def _add_many(url: str, times: int, *, inline: bool = False) -> None:
    """`times` writers at once, each adding one, on an engine of their own."""
    engine = make_engine(url, inline=inline)
    sessions = make_sessionmaker(engine)
    await asyncio.gather(*(_add_one(sessions) for _ in range(times)))
    await engine.dispose()


async def _counter(sessions: Sessions) -> int:
    async with transaction(sessions) as session:
        return int(await session.scalar(text("SELECT n FROM counter")) or 0)


@contextmanager
def _held_by_another_process(lock_file: Path) -> Iterator[int]:
    """The lock file held as another process would hold it (an open file of its own)."""
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        os.close(fd)


@pytest.mark.parametrize("inline", [False, True], ids=["aiosqlite", "inline (as the worker)"])
async def test_two_processes_writing_at_once_lose_nothing(
    database: tuple[Path, Sessions], inline: bool
) -> None:
    path, sessions = database
    url = f"sqlite+aiosqlite:///{path}"
    other = await asyncio.create_subprocess_exec(
        sys.executable, "-c", OTHER_PROCESS, url, "100", cwd=ROOT, stderr=subprocess.PIPE
    )
    while other.returncode is None and await _counter(sessions) == 0:  # both write from here
        await asyncio.sleep(0.01)
    await _add_many(url, 40, inline=inline)
    _, errors = await other.communicate()
    assert other.returncode == 0, errors.decode()
    assert await _counter(sessions) == 140


async def test_a_writer_waits_while_another_process_has_the_turn(
    database: tuple[Path, Sessions],
) -> None:
    path, sessions = database
    lock_file = lock_file_of(str(path))
    assert lock_file is not None
    with _held_by_another_process(lock_file) as fd:
        writer = asyncio.create_task(_add_one(sessions))
        await asyncio.sleep(0.3)
        assert not writer.done(), "it wrote while another process had the turn"
        fcntl.flock(fd, fcntl.LOCK_UN)
        await asyncio.wait_for(writer, 5)
    assert await _counter(sessions) == 1


async def test_a_failed_transaction_gives_its_turn_back(
    database: tuple[Path, Sessions],
) -> None:
    _, sessions = database

    async def fail_while_writing() -> None:
        async with transaction(sessions) as session:
            await session.execute(text("UPDATE counter SET n = 99"))
            raise LookupError("the unit of work fails")

    with pytest.raises(LookupError):
        await fail_while_writing()
    await asyncio.wait_for(_add_one(sessions), 5)  # would wait out the timeout if still held
    assert await _counter(sessions) == 1


async def test_a_turn_not_given_in_time_fails_and_the_next_goes_on(tmp_path: Path) -> None:
    lock_file = tmp_path / "x.db-write-turn"
    turns = WriteTurns(lock_file, timeout_seconds=0.2)
    first, second = object(), object()
    with _held_by_another_process(lock_file):
        with pytest.raises(OperationalError, match="database is locked"):  # as SQLite's own wait
            await turns.take(first)
    # The wait that timed out got the file once it was let go, and gave it straight back.
    await asyncio.wait_for(turns.take(second), 5)
    turns.give_back(first)  # not its turn: changes nothing
    fd = os.open(lock_file, os.O_RDWR)
    try:
        with pytest.raises(BlockingIOError):
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # still the second's turn
        turns.give_back(second)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # given back: free
    finally:
        os.close(fd)
        turns.close()


async def test_writers_of_one_process_take_their_turns_in_order(tmp_path: Path) -> None:
    turns = WriteTurns(None, timeout_seconds=5)
    order: list[int] = []
    holders = [object() for _ in range(5)]

    async def write(number: int) -> None:
        await turns.take(holders[number])
        order.append(number)
        await asyncio.sleep(0)
        turns.give_back(holders[number])

    await turns.take(holders[0])
    waiting = [asyncio.create_task(write(n)) for n in range(1, 5)]
    await asyncio.sleep(0)  # all four are queued behind the first
    order.append(0)
    turns.give_back(holders[0])
    await asyncio.gather(*waiting)
    assert order == [0, 1, 2, 3, 4]


def test_an_in_memory_database_has_no_lock_file() -> None:
    assert lock_file_of(None) is None
    assert lock_file_of(":memory:") is None
    assert lock_file_of("/var/waymark/waymark.db") == Path("/var/waymark/waymark.db-write-turn")


async def test_a_lock_file_that_cannot_be_opened_leaves_sqlite_s_own_lock(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    turns = WriteTurns(tmp_path / "no-such-folder" / "x.db-write-turn", timeout_seconds=5)
    holder = object()
    await turns.take(holder)  # taken all the same: SQLite's own lock still keeps writers apart
    turns.give_back(holder)
    await asyncio.wait_for(turns.take(holder), 5)
    assert "busy handler" in caplog.text


async def test_a_disposed_engine_closes_its_lock_file(database: tuple[Path, Sessions]) -> None:
    path, sessions = database
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    await _add_one(sessions)  # the fixture's engine has the lock file open
    before = _open_lock_files()
    await _add_one(make_sessionmaker(engine))
    assert _open_lock_files() == before + 1
    await engine.dispose()
    assert _open_lock_files() == before
    await _add_one(make_sessionmaker(engine))  # a disposed engine may still be used
    await engine.dispose()
    assert await _counter(sessions) == 3


def _open_lock_files() -> int:
    """The files this process has open that are writers' lock files."""
    found = 0
    for fd in os.listdir("/proc/self/fd"):
        with suppress(FileNotFoundError):  # the listing's own, closed by now
            found += os.readlink(f"/proc/self/fd/{fd}").endswith("-write-turn")
    return found


async def test_a_connection_that_begins_again_keeps_its_turn(
    database: tuple[Path, Sessions],
) -> None:
    path, sessions = database
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    async with engine.connect() as connection:
        for _ in range(2):  # each begin would otherwise wait for its own turn
            async with connection.begin():
                await asyncio.wait_for(connection.execute(text("UPDATE counter SET n = n + 1")), 5)
    await asyncio.wait_for(_add_one(sessions), 5)  # checked in: the turn was given back
    await engine.dispose()
    assert await _counter(sessions) == 3


async def test_the_workers_loop_runs_on_while_a_process_outside_the_turns_holds_the_lock(
    database: tuple[Path, Sessions],
) -> None:
    """Statements on the loop's thread (the worker's): SQLite's lock held by a process that
    takes no turns is waited out in the loop's sleeps, so the loop goes on meanwhile."""
    path, sessions = database
    engine = make_engine(f"sqlite+aiosqlite:///{path}", inline=True)
    outsider = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        outsider.execute("BEGIN EXCLUSIVE")
        # Lets go in 0.2 s, but only if the loop is free to run it: were the write waiting in
        # SQLite's busy handler on the loop, it would wait out the whole busy timeout, then fail.
        asyncio.get_running_loop().call_later(0.2, outsider.rollback)
        await asyncio.wait_for(_add_one(make_sessionmaker(engine)), 5)
        async with engine.connect() as connection:  # its busy timeout is as before
            timeout = await connection.exec_driver_sql("PRAGMA busy_timeout")
            assert timeout.scalar() == SQLITE_BUSY_TIMEOUT_MS
    finally:
        outsider.close()
        await engine.dispose()
    assert await _counter(sessions) == 1
