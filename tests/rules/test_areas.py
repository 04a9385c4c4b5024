"""Area settings: built-in areas, area files, overrides and the errors a person sees."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from forms.area import Span, england_rules, scotland_rules
from forms.common import Nation
from rules.clocks import compute_deadlines
from waymark import areas as areas_module
from waymark.areas import UnknownAreaError, get_area, load_areas
from waymark.settings import PROJECT_ROOT

REPO_AREAS = PROJECT_ROOT / "areas"
# Fields that describe the area rather than a rule value.
IDENTITY = {"code", "name", "local_holidays"}


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_built_in_areas_without_any_area_files(tmp_path: Path) -> None:
    found = load_areas(tmp_path)
    assert sorted(found) == ["england", "scotland"]
    assert found["england"] == england_rules()
    assert found["scotland"] == scotland_rules()


def test_missing_directory_gives_the_built_in_areas(tmp_path: Path) -> None:
    assert sorted(load_areas(tmp_path / "absent")) == ["england", "scotland"]


def test_demo_area_files_keep_their_nation_defaults_for_clocks() -> None:
    found = load_areas(REPO_AREAS)
    northmoor, glenbrae = found["northmoor"], found["glenbrae"]
    assert (northmoor.name, northmoor.nation) == ("Northmoor Council", Nation.ENGLAND)
    assert (glenbrae.name, glenbrae.nation) == ("Glenbrae Council", Nation.SCOTLAND)
    assert date(2026, 6, 12) in northmoor.local_holidays
    assert northmoor.meeting_reminder_days == [10, 7, 3, 1, 0]
    assert northmoor.letter_formats == ["easy_read", "large_print"]  # not offered by default
    local = {"meeting_reminder_days", "contact_rhythm", "letter_formats"}
    for area, defaults in ((northmoor, england_rules()), (glenbrae, scotland_rules())):
        keep = set(area.model_dump()) - IDENTITY - local
        assert area.model_dump(include=keep) == defaults.model_dump(include=keep)


def test_a_local_holiday_shifts_a_working_day_deadline() -> None:
    # Conference Friday 5 June 2026; Northmoor is closed on Friday 12 June.
    conference = date(2026, 6, 5)
    northmoor = compute_deadlines(
        get_area("northmoor", REPO_AREAS), edd=date(2026, 9, 10), conference=conference
    )
    england = compute_deadlines(england_rules(), edd=date(2026, 9, 10), conference=conference)
    core_group = {
        area: next(item.due for item in found if item.key == "first_core_group")
        for area, found in (("northmoor", northmoor), ("england", england))
    }
    assert core_group == {"northmoor": date(2026, 6, 22), "england": date(2026, 6, 19)}


def test_an_area_file_override_changes_a_deadline(tmp_path: Path) -> None:
    write(
        tmp_path,
        "easterby.toml",
        """
name = "Easterby Council"
nation = "england"
holidays = ["2026-03-16", 2026-12-24]

[overrides]
prebirth_conference_gestation_weeks = 30

[overrides.minutes_after_conference]
amount = 20
""",
    )
    area = get_area("easterby", tmp_path)
    assert area.minutes_after_conference == Span(amount=20, unit="working_days")
    assert area.local_holidays == [date(2026, 3, 16), date(2026, 12, 24)]
    dues = {
        item.key: item.due
        for item in compute_deadlines(
            area,
            edd=date(2026, 9, 10),
            strategy_discussion=date(2026, 3, 2),
            conference=date(2026, 3, 20),
        )
    }
    assert dues["minutes"] == date(2026, 4, 21)
    assert dues["prebirth_conference_latest"] == date(2026, 7, 2)
    assert dues["initial_conference"] == date(2026, 3, 24)


def test_override_can_fill_a_rule_the_nation_leaves_unset(tmp_path: Path) -> None:
    write(
        tmp_path,
        "westfirth.toml",
        """
name = "Westfirth Council"
nation = "scotland"

[overrides.first_review_after_birth]
amount = 20
unit = "working_days"
""",
    )
    assert get_area("westfirth", tmp_path).first_review_after_birth == Span(
        amount=20, unit="working_days"
    )


def test_unknown_area_names_the_area_and_the_known_codes(tmp_path: Path) -> None:
    write(tmp_path, "easterby.toml", 'name = "Easterby Council"\nnation = "england"\n')
    with pytest.raises(UnknownAreaError) as caught:
        get_area("nowhere", tmp_path)
    message = str(caught.value)
    assert "nowhere" in message
    assert "easterby, england, scotland" in message
    assert isinstance(caught.value, ValueError)


def test_area_codes_ignore_case_and_spaces(tmp_path: Path) -> None:
    assert get_area(" Scotland ", tmp_path).nation is Nation.SCOTLAND


@pytest.mark.parametrize(
    ("file_name", "text", "field"),
    [
        ("bad.toml", 'name = "Bad"\nnation = "england"\n[overrides\n', "not valid TOML"),
        ("bad.toml", 'name = "Bad"\nnation = "wales"\n', "nation"),
        ("bad.toml", 'nation = "england"\n', "name"),
        ("bad.toml", 'name = "Bad"\nnation = "england"\ncolour = "red"\n', "colour"),
        ("bad.toml", 'name = "Bad"\nnation = "england"\nholidays = ["2026-02-30"]\n', "holidays.0"),
        (
            "bad.toml",
            'name = "Bad"\nnation = "england"\n[overrides]\nminutes_within = 3\n',
            "overrides.minutes_within: unknown field",
        ),
        (
            "bad.toml",
            'name = "Bad"\nnation = "england"\n[overrides.minutes_after_conference]\namount = -1\n',
            "overrides.minutes_after_conference.amount",
        ),
        (
            "bad.toml",
            'name = "Bad"\nnation = "england"\n'
            '[overrides.minutes_after_conference]\nunit = "hours"\n',
            "overrides.minutes_after_conference.unit",
        ),
        (
            "bad.toml",
            'name = "Bad"\nnation = "england"\n[overrides]\nnation = "scotland"\n',
            "overrides.nation",
        ),
        ("Bad Name.toml", 'name = "Bad"\nnation = "england"\n', "file name"),
        ("england.toml", 'name = "Mine"\nnation = "england"\n', "built-in"),
    ],
)
def test_malformed_area_file_names_the_file_and_the_field(
    tmp_path: Path, file_name: str, text: str, field: str
) -> None:
    write(tmp_path, file_name, text)
    with pytest.raises(ValueError, match=file_name) as caught:
        load_areas(tmp_path)
    assert field in str(caught.value)


def test_default_directory_comes_from_settings_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "easterby.toml", 'name = "Easterby Council"\nnation = "england"\n')
    monkeypatch.setattr(areas_module, "get_settings", lambda: SimpleNamespace(areas_dir=tmp_path))
    assert get_area("easterby").name == "Easterby Council"


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    write(tmp_path, "easterby.toml", 'name = "Easterby Council"\nnation = "england"\n')
    assert get_area("easterby", tmp_path).name == "Easterby Council"
    write(tmp_path, "easterby.toml", 'name = "Easterby Borough Council"\nnation = "england"\n')
    assert get_area("easterby", tmp_path).name == "Easterby Borough Council"


def test_callers_get_their_own_copy(tmp_path: Path) -> None:
    get_area("england", tmp_path).meeting_reminder_days.append(99)
    assert get_area("england", tmp_path).meeting_reminder_days == [7, 3, 1, 0]
