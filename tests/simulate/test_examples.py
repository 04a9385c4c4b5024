"""Each example under examples/ runs on the real workflows and produces the key lines it
documents (its `expect` list); none of its commands is refused; the daily checks hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from waymark.simulate.runner import run_scenario
from waymark.simulate.scenario import load_scenario

EXAMPLES = Path(__file__).parents[2] / "examples"


EXAMPLE_NAMES = [
    "routine",
    "removal",
    "missed-contact",
    "reschedule",
    "edd-moves-earlier",
    "early-birth",
    "hospital-days",
    "scotland-police",
    "closed-day-deadline",
]


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
async def test_example_produces_its_documented_timeline(name: str) -> None:
    result = await run_scenario(load_scenario(EXAMPLES / f"{name}.toml"))
    missing = [text for text, met in result.expectations if not met]
    assert missing == [], "\n".join(f"{e.kind}: {e.text}" for e in result.entries)
    assert [e.text for e in result.entries if e.kind == "refused"] == []
    assert result.breaches == []
    assert result.cross_check == []
    removed = name in ("removal", "missed-contact")
    assert (result.days_in_scope > 0) is removed
