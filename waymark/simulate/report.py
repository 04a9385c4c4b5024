"""Showing a run: her timeline as a table (or one JSON document), a population's counts and the
daily checks. Women are named by pseudonym and id only."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.console import Console
from rich.table import Table

from waymark.simulate.checks import OWN, SOURCE
from waymark.simulate.population import PopulationResult
from waymark.simulate.runner import SimResult

STYLES = {
    "command": "bold",
    "refused": "bold red",
    "escalation": "red",
    "outreach": "yellow",
    "stage": "cyan",
    "deadline": "magenta",
    "notice": "green",
    "advocate": "blue",
}

COUNTED = (
    "referrals", "conferences", "conferences_decided", "births", "removals", "returns",
    "episodes_open", "episodes_closed", "contacts", "missed_contacts", "outreach",
    "escalations", "notices", "advocates_accepted", "advocate_declines", "refused",
    "wall_seconds",
)  # fmt: skip


def scenario_json(result: SimResult) -> dict[str, Any]:
    """The whole run as one JSON-ready document (scenario dates throughout)."""
    clock, scenario = result.clock, result.scenario
    kinds = Counter(e.kind for e in result.entries)
    return {
        "scenario": scenario.title,
        "woman": {
            "pseudonym": result.woman.pseudonym,
            "id": str(result.woman.woman_id),
            "area": result.woman.area.code,
        },
        "start": scenario.start.isoformat(),
        "end": scenario.last_day.isoformat(),
        "offset_days": clock.offset.days,
        "timeline": [
            {
                "date": clock.stamp(e.at)[:10],
                "time": clock.stamp(e.at)[11:],
                "kind": e.kind,
                "text": e.text,
                "data": e.data,
            }
            for e in result.entries
        ],
        "counts": dict(sorted(kinds.items())),
        "ledger": ledger_json(result),
        "expectations": [{"text": text, "met": met} for text, met in result.expectations],
    }


def ledger_json(result: SimResult) -> dict[str, Any]:
    """The daily checks of the promise to her, and where she stood at the end."""
    final = result.final
    missing = (
        next((list(b.missing) for b in final.breaches if b.woman_id == result.woman.woman_id), [])
        if final
        else []
    )
    return {
        "source": SOURCE,
        "days_checked": result.days_checked,
        "days_her_baby_was_in_care": result.days_in_scope,
        "breaches": len(result.breaches),
        "breach_days": [
            {"date": day.isoformat(), "missing": list(b.missing)} for day, b in result.breaches
        ],
        "at_end": {
            "in_scope": bool(final and result.woman.woman_id in final.covered),
            "missing": missing,
        },
        "cross_check": {"source": OWN, "breaches": len(result.cross_check)},
    }


def render_scenario(result: SimResult, console: Console) -> None:
    """Her timeline as a table, then the checks and the expectations."""
    clock = result.clock
    console.print(
        f"[bold]{result.scenario.title}[/bold]: {result.woman.pseudonym} "
        f"(id {result.woman.woman_id}), {result.woman.area.name}"
    )
    if clock.offset:
        console.print(
            f"Scenario dates are shown; virtual time ran {clock.offset.days} days "
            "later (whole weeks, so weekdays match; bank holidays may not)."
        )
    table = Table(show_lines=False, title_justify="left")
    for column in ("Date", "Time", "What", "Detail"):
        table.add_column(column, no_wrap=column != "Detail")
    for entry in result.entries:
        stamp = clock.stamp(entry.at)
        style = STYLES.get(entry.kind, "")
        table.add_row(stamp[:10], stamp[11:], entry.kind, entry.text, style=style)
    console.print(table)
    console.print(ledger_line(result))
    for text, met in result.expectations:
        console.print(f"  {'[green]✓' if met else '[red]✗ missing:'}[/] {text}")


def ledger_line(result: SimResult) -> str:
    """One line on the daily checks of the promise to her."""
    ledger = ledger_json(result)
    if not ledger["days_her_baby_was_in_care"]:
        return (
            f"Ledger ({SOURCE}): her baby was never in care, so the promise did not apply; "
            f"{ledger['days_checked']} days checked."
        )
    verdict = (
        "kept on every day"
        if not ledger["breaches"]
        else (
            f"BROKEN on {ledger['breaches']} days: "
            + "; ".join(
                f"{b['date']} missing {', '.join(b['missing'])}" for b in ledger["breach_days"][:5]
            )
        )
    )
    return (
        f"Ledger ({SOURCE}): {ledger['days_her_baby_was_in_care']} days in scope, "
        f"promise {verdict}; cross-check: {ledger['cross_check']['breaches']} breaches."
    )


def population_json(result: PopulationResult) -> dict[str, Any]:
    """The population run as one JSON-ready document."""
    return {
        "women": result.women,
        "months": result.months,
        "seed": result.seed,
        "start": result.start.isoformat(),
        "days": result.days,
        **result.counts,
        "breaches": result.breaches,
        "breach_women": len(result.breach_women),
        "breach_examples": result.breach_examples,
        "removed_woman_days_checked": result.removed_woman_days,
        "ledger_source": SOURCE,
        "cross_check": {
            "source": OWN,
            "breaches": result.cross_check_breaches,
            "days_disagreeing": len(result.disagreements),
            "disagreements": result.disagreements[:20],
        },
        "tasks": result.tasks,
        "refused": sum(result.refused.values()),
        "refusals": dict(result.refused.most_common(10)),
        "advocates_added": result.advocates_added,
        "wall_seconds": result.wall_seconds,
    }


def render_population(result: PopulationResult, console: Console) -> None:
    """Counts, then the checks: one line each."""
    data = population_json(result)
    table = Table(
        title=f"{result.women} women over {result.months} months "
        f"(seed {result.seed}, from {data['start']}, {result.days} days)",
        title_justify="left",
    )
    table.add_column("Count")
    table.add_column("Value", justify="right")
    for key in COUNTED:
        table.add_row(key.replace("_", " "), str(data.get(key, 0)))
    console.print(table)
    console.print(
        f"Invariant breaches: {result.breaches} (over "
        f"{result.removed_woman_days} removed-woman-days checked; {SOURCE}); "
        f"cross-check ({OWN}): {result.cross_check_breaches}"
    )
    for example in result.breach_examples[:10]:
        console.print(
            f"  {example['date']} {example['woman']}: missing {', '.join(example['missing'])}"
        )
    for message, count in result.refused.most_common(5):
        console.print(f"  refused ×{count}: {message}")
