"""The files `tests/helpers/order.py` runs first all exist (a renamed file would quietly lose
its place at the front and could become the long pole at the end of `make test`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.order import LONGEST_FIRST

ROOT = Path(__file__).resolve().parent.parent


def test_every_file_run_first_exists_and_is_named_once() -> None:
    assert [path for path in LONGEST_FIRST if not (ROOT / path).is_file()] == []
    assert len(set(LONGEST_FIRST)) == len(LONGEST_FIRST)
