"""Compliance figures on a small hand-built dataset (see dataset.py), worked out by hand."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from forms.oversight_reports import AreaCompliance, ComplianceReport, Figures
from services.compliance import compliance_report
from tests.oversight_reports import dataset
from waymark.db.session import transaction
from waymark.errors import Invalid
from waymark.settings import get_settings

NORTHMOOR = """
name = "Northmoor Council"
nation = "england"

[overrides]
caseload_guide_social_worker = 2
caseload_guide_advocate = 1
"""


@pytest.fixture
def small_guides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Northmoor's caseload guides set low in its area file; Glenbrae has no file (defaults)."""
    areas = tmp_path / "areas"
    areas.mkdir()
    (areas / "northmoor.toml").write_text(NORTHMOOR)
    monkeypatch.setenv("WAYMARK_AREAS_DIR", str(areas))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
async def report(
    sessions: async_sessionmaker[AsyncSession], demo: None, small_guides: None
) -> tuple[ComplianceReport, dataset.Dataset]:
    async with transaction(sessions) as session:
        data = await dataset.build(session)
    async with sessions() as session:
        return await compliance_report(session, now=dataset.NOW), data


def area(report: ComplianceReport, code: str) -> AreaCompliance:
    return next(item for item in report.areas if item.area == code)


def rate(figures: Figures, name: str) -> tuple[int, int, float | None] | None:
    value = getattr(figures, name)
    return None if value is None else (value.numerator, value.denominator, value.rate)


def median(figures: Figures, name: str) -> tuple[int, float | None] | None:
    value = getattr(figures, name)
    return None if value is None else (value.count, value.median_hours)


def by_agency(found: AreaCompliance) -> dict[str, Figures]:
    return {agency.code: agency.figures for agency in found.agencies}


async def test_northmoor_figures_for_the_area(report: Any) -> None:
    figures = area(report[0], "northmoor").figures
    # C1 met on the 9th (latest the 10th), C2 late, C3 decided on its latest day.
    assert rate(figures, "conferences_on_time") == (2, 3, 0.6667)
    # C4 is past its latest date undecided; C5 is not due yet; C6 was cancelled.
    assert rate(figures, "conferences_overdue") == (1, 2, 0.5)
    assert rate(figures, "reports_on_time") == (2, 3, 0.6667)
    # Four meetings not cancelled, one (the inquorate one) at short notice.
    assert rate(figures, "adequate_notice") == (3, 4, 0.75)
    # Accepted in 2 h, 4 h (later ended) and 1 h; the declined offer does not count.
    assert median(figures, "advocate_acceptance") == (3, 2.0)
    # Acknowledged in 6 h, 48 h and 1 h; in time once of the three due by now.
    assert median(figures, "advocate_acknowledgement") == (3, 6.0)
    # An acknowledgement with no time due counts as in time: the rate and the median agree.
    assert rate(figures, "advocate_acknowledged_in_time") == (2, 4, 0.5)
    # W1 kept her advocate, told 0.5 h after; W2's new advocate accepted 13 h after; W3: none.
    assert rate(figures, "removals_with_advocate") == (2, 3, 0.6667)
    assert median(figures, "removal_to_advocate") == (2, 6.75)


async def test_northmoor_figures_by_agency(report: Any) -> None:
    agencies = by_agency(area(report[0], "northmoor"))
    assert sorted(agencies) == [
        "northmoor-advocacy",
        "northmoor-csc",
        "northmoor-maternity",
        "northmoor-recovery",
    ]
    team = agencies["northmoor-csc"]
    assert rate(team, "conferences_on_time") == (2, 3, 0.6667)
    assert rate(team, "conferences_overdue") == (1, 2, 0.5)
    assert rate(team, "adequate_notice") == (3, 4, 0.75)
    assert rate(team, "reports_on_time") is None
    assert rate(agencies["northmoor-maternity"], "reports_on_time") == (2, 2, 1.0)
    assert rate(agencies["northmoor-recovery"], "reports_on_time") == (0, 1, 0.0)
    advocacy = agencies["northmoor-advocacy"]
    assert median(advocacy, "advocate_acceptance") == (3, 2.0)
    assert median(advocacy, "advocate_acknowledgement") == (3, 6.0)
    assert rate(advocacy, "advocate_acknowledged_in_time") == (2, 4, 0.5)
    assert median(advocacy, "removal_to_advocate") == (2, 6.75)
    # Removals without an advocate belong to no agency: that rate is the area's only.
    assert rate(advocacy, "removals_with_advocate") is None
    assert rate(advocacy, "conferences_on_time") is None


async def test_caseloads_against_the_area_guide(report: Any) -> None:
    found, data = report
    northmoor = area(found, "northmoor")
    assert (northmoor.caseload_guide_social_worker, northmoor.caseload_guide_advocate) == (2, 1)
    loads = {load.user_id: load for load in northmoor.caseloads}
    sam = loads[data.users["sam.social"]]
    # Co-ordinates W1 and W2 (W3 is closed); named worker for W2's and W3's support.
    assert (sam.coordinated, sam.support_episodes, sam.total, sam.over_guide) == (2, 2, 3, True)
    counts = {
        name: (loads[data.users[name]].allocations, loads[data.users[name]].over_guide)
        for name in ("ava.advocate", "ben.advocate", "nadia.advocate")
    }
    assert counts == {
        "ava.advocate": (2, True),
        "ben.advocate": (0, False),
        "nadia.advocate": (1, False),
    }
    assert rate_of(northmoor.social_workers_within_guide) == (1, 2)  # Ola is within it
    assert rate_of(northmoor.advocates_within_guide) == (2, 3)
    assert [load.total for load in northmoor.caseloads] == sorted(
        (load.total for load in northmoor.caseloads), reverse=True
    )


def rate_of(value: Any) -> tuple[int, int]:
    return value.numerator, value.denominator


async def test_glenbrae_keeps_its_own_figures_and_the_default_guides(report: Any) -> None:
    found, data = report
    glenbrae = area(found, "glenbrae")
    figures = glenbrae.figures
    assert rate(figures, "conferences_on_time") == (1, 1, 1.0)
    assert rate(figures, "conferences_overdue") == (0, 0, None)
    assert rate(figures, "reports_on_time") == (0, 1, 0.0)
    assert rate(figures, "adequate_notice") == (0, 0, None)
    assert median(figures, "advocate_acceptance") == (0, None)
    # Her advocate was allocated before the removal and kept: no alert recorded, so 0 h.
    assert rate(figures, "removals_with_advocate") == (1, 1, 1.0)
    assert median(figures, "removal_to_advocate") == (1, 0.0)
    assert (glenbrae.caseload_guide_social_worker, glenbrae.caseload_guide_advocate) == (20, 15)
    assert rate_of(glenbrae.social_workers_within_guide) == (1, 1)
    assert rate_of(glenbrae.advocates_within_guide) == (3, 3)
    assert sorted(by_agency(glenbrae)) == ["glenbrae-advocacy", "glenbrae-maternity", "glenbrae-sw"]
    assert data.users["iona.social"] in {load.user_id for load in glenbrae.caseloads}


async def test_one_area_and_an_unknown_area(
    sessions: async_sessionmaker[AsyncSession], demo: None
) -> None:
    async with sessions() as session:
        one = await compliance_report(session, area="glenbrae", now=dataset.NOW)
        assert [item.area for item in one.areas] == ["glenbrae"]
        with pytest.raises(Invalid, match="not a known area"):
            await compliance_report(session, area="atlantis")


async def test_no_names_in_the_figures(report: Any) -> None:
    text = report[0].model_dump_json()
    for name in ("Test", "Person", "Sam", "Okafor", "Ava", "Lewis"):
        assert name not in text
