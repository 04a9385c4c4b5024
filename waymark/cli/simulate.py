"""`waymark simulate`: replay a scenario, or run a generated population, on the real workflows
and activities (time-skipping server, temporary database; nothing under the state folder)."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from waymark.cli.clocks import parse_date


def simulate(
    scenario: Annotated[
        Path | None, typer.Argument(help="A scenario file (.toml or .json).", show_default=False)
    ] = None,
    population: Annotated[
        int | None, typer.Option("--population", min=1, help="Run N generated women instead.")
    ] = None,
    months: Annotated[int, typer.Option(min=1, max=60, help="Population: months to run.")] = 12,
    seed: Annotated[int, typer.Option(help="Population: the random seed.")] = 1,
    start: Annotated[
        date | None,
        typer.Option(
            parser=parse_date,
            metavar="YYYY-MM-DD",
            help="Population: the first day (default: next Monday).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Run a scenario's events (or a population) and print the timeline and the checks."""
    if (scenario is None) == (population is None):
        typer.echo("Error: give a scenario file or --population N (one of them).", err=True)
        raise typer.Exit(code=2)
    if population is not None:
        _population(population, months, seed, start, as_json)
    else:
        assert scenario is not None
        _scenario(scenario, as_json)


def _scenario(path: Path, as_json: bool) -> None:
    from waymark.simulate.report import render_scenario, scenario_json
    from waymark.simulate.runner import run_scenario
    from waymark.simulate.scenario import ScenarioError, load_scenario

    try:
        scenario = load_scenario(path)
    except ScenarioError as error:
        typer.echo(f"Error: {error}", err=True)
        raise typer.Exit(code=2) from None
    result = asyncio.run(run_scenario(scenario))
    if as_json:
        typer.echo(json.dumps(scenario_json(result), indent=2))
    else:
        render_scenario(result, Console())
    if not all(met for _, met in result.expectations):
        raise typer.Exit(code=1)


def _population(women: int, months: int, seed: int, start: date | None, as_json: bool) -> None:
    from waymark.simulate.population import run_population
    from waymark.simulate.report import population_json, render_population

    def progress(line: str) -> None:
        typer.echo(line, err=True)

    result = asyncio.run(run_population(women, months, seed, start, progress=progress))
    if as_json:
        typer.echo(json.dumps(population_json(result), indent=2))
    else:
        render_population(result, Console())
