"""`waymark compliance`: compliance figures per area and agency, as tables or JSON."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from forms.oversight_reports import AreaCompliance, ComplianceReport, Median, Rate

FIGURES = {
    "conferences_on_time": "Conferences held by their latest date",
    "conferences_overdue": "Open conferences past their latest date",
    "reports_on_time": "Reports shared with her on time",
    "adequate_notice": "Meetings arranged with enough notice",
    "advocate_acknowledged_in_time": "Advocate notices acknowledged in time",
    "removals_with_advocate": "Removals followed by an advocate",
    "advocate_acceptance": "Advocate acceptance (median hours)",
    "advocate_acknowledgement": "Advocate acknowledgement (median hours)",
    "removal_to_advocate": "Removal to advocate (median hours)",
}


def compliance(
    area: Annotated[
        str | None, typer.Option(help="One area's code; every area if left out.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Compliance figures: counts and rates with numerator and denominator, and caseloads."""
    from waymark.errors import Invalid

    try:
        report = asyncio.run(_report(area))
    except Invalid as error:
        typer.echo(f"Error: {error.message}", err=True)
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
        return
    console = Console()
    for figures in report.areas:
        console.print(_figures_table(figures))
        console.print(_caseload_table(figures))


async def _report(area: str | None) -> ComplianceReport:
    # Imported here, as in `waymark.cli`: `waymark --help` need not load the database layer.
    from services.compliance import compliance_report
    from waymark.db.session import make_engine, make_sessionmaker
    from waymark.settings import get_settings

    engine = make_engine(get_settings().sqlalchemy_url)
    try:
        async with make_sessionmaker(engine)() as session:
            return await compliance_report(session, area=area)
    finally:
        await engine.dispose()


def _figures_table(area: AreaCompliance) -> Table:
    table = Table(title=f"Compliance in {area.area}", title_justify="left")
    for column in ("Figure", "Agency", "Met / count", "Of", "Rate / median h"):
        table.add_column(column)
    scopes = [("(area)", area.figures)]
    scopes += [(agency.code, agency.figures) for agency in area.agencies]
    for name, label in FIGURES.items():
        for scope, figures in scopes:
            value: Rate | Median | None = getattr(figures, name)
            if value is not None:
                table.add_row(label, Text(scope), *_cells(value))
    return table


def _cells(value: Rate | Median) -> list[str]:
    from forms.oversight_reports import Rate

    if isinstance(value, Rate):
        rate = "-" if value.rate is None else f"{value.rate:.0%}"
        return [str(value.numerator), str(value.denominator), rate]
    hours = "-" if value.median_hours is None else f"{value.median_hours:g}"
    return [str(value.count), "", hours]


def _caseload_table(area: AreaCompliance) -> Table:
    title = (
        f"Caseloads in {area.area} (guide: social workers {area.caseload_guide_social_worker}, "
        f"advocates {area.caseload_guide_advocate})"
    )
    table = Table(title=title, title_justify="left")
    for column in ("Worker id", "Role", "Open cases", "Guide", "Over guide"):
        table.add_column(column)
    for load in area.caseloads:
        over = "yes" if load.over_guide else ""
        table.add_row(str(load.user_id), load.role, str(load.total), str(load.guide), over)
    within = (area.social_workers_within_guide, area.advocates_within_guide)
    table.caption = (
        f"Within guide: social workers {within[0].numerator}/{within[0].denominator}, "
        f"advocates {within[1].numerator}/{within[1].denominator}"
    )
    return table
