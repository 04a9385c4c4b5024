"""Saving a workflow's history as a golden history, when asked (WAYMARK_RECORD_HISTORIES=1);
tests/workflows/test_replay.py replays every saved one against the current code."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

HISTORIES = Path(__file__).parents[1] / "workflows" / "histories"


async def save_if_recording(handle: Any, name: str) -> None:
    if os.environ.get("WAYMARK_RECORD_HISTORIES") == "1":
        history = await handle.fetch_history()
        (HISTORIES / f"{name}.json").write_text(history.to_json())
