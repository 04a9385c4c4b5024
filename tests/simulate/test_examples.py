"""Each example under examples/ runs on the real workflows and produces the key lines it
documents (its `expect` list); none of its commands is refused unless the example expects that
refusal (a closed case refuses what makes no sense for it); the daily checks hold."""

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
    "closed-case",
]


def expected(name: str) -> list[str]:
    """The example's expect lines that document a refusal (what follows 'refused: ')."""
    lines = load_scenario(EXAMPLES / f"{name}.toml").expect
    return [line.removeprefix("refused: ") for line in lines if line.startswith("refused: ")]


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
async def test_example_produces_its_documented_timeline(name: str) -> None:
    result = await run_scenario(load_scenario(EXAMPLES / f"{name}.toml"))
    missing = [text for text, met in result.expectations if not met]
    assert missing == [], "\n".join(f"{e.kind}: {e.text}" for e in result.entries)
    refused = [e.text for e in result.entries if e.kind == "refused"]
    assert [text for text in refused if not any(line in text for line in expected(name))] == []
    assert result.breaches == []
    assert result.cross_check == []
    removed = name in ("removal", "missed-contact")
    assert (result.days_in_scope > 0) is removed
