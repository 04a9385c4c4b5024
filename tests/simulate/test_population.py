"""A small population on one server: it completes, counts what happened, and reports the
daily invariant checks as a number."""

from __future__ import annotations

from datetime import date

from waymark.simulate.generate import generate
from waymark.simulate.population import run_population


def test_generation_is_seeded_and_each_womans_plan_is_her_own() -> None:
    first = generate(5, date(2027, 1, 4), date(2027, 12, 31), seed=3)
    again = generate(8, date(2027, 1, 4), date(2027, 12, 31), seed=3)
    assert [p.model_dump() for p in first[0].events] == [p.model_dump() for p in again[0].events]
    assert [p.spec.name for p in first] == [f"Woman {n}" for n in range(1, 6)]
    for plan in again:
        assert [e.on for e in plan.events] == sorted(e.on for e in plan.events)


async def test_five_women_over_three_months() -> None:
    result = await run_population(5, 3, seed=2, start=date(2027, 1, 4))
    assert result.counts["referrals"] == result.counts["women_recorded"] == 5
    assert result.days == 90  # 4 January to 3 April 2027
    assert isinstance(result.breaches, int)
    assert result.breaches >= 0
    assert result.breaches == 0
    assert result.cross_check_breaches == 0
    assert sum(result.refused.values()) == 0, result.refused


async def test_the_register_and_the_independent_derivation_agree_on_every_day() -> None:
    """Duties from the register (`services.dropped`) and duties recomputed from the
    timeline and facts alone (`own_check`) give the same breaches, woman by woman, every day."""
    result = await run_population(16, 5, seed=1, start=date(2027, 1, 4))
    assert result.counts["removals"] > 0
    assert result.removed_woman_days > 0
    assert result.disagreements == []
    assert result.cross_check_breaches == result.breaches
