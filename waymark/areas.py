"""Area settings: the built-in national defaults and the area files in the areas directory.

An area file `areas/<code>.toml` names the area and its nation, may add local holidays and may
override any rule value of its nation's defaults:

    name = "Northmoor Council"
    nation = "england"
    holidays = ["2026-06-12"]

    [overrides]
    meeting_reminder_days = [10, 7, 3, 1, 0]

    [overrides.minutes_after_conference]
    amount = 20
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from forms.area import AreaRules, england_rules, nation_rules, scotland_rules
from forms.common import Nation
from waymark.settings import get_settings

_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_FILE_KEYS = {"name", "nation", "holidays", "overrides"}
_NOT_OVERRIDABLE = {"code", "name", "nation", "local_holidays"}

# The name, size and modification time of each area file: a change means reading them again.
_Signature = tuple[tuple[str, int, int], ...]

# The areas read from each directory, with the signature of its files when they were read. Kept
# as validated JSON: each caller gets a copy of its own, and parsing it is several times quicker
# than deep-copying the model (every pathway step and clock asks for its area).
_cache: dict[Path, tuple[_Signature, dict[str, str]]] = {}


class UnknownAreaError(ValueError):
    """No built-in area or area file has the code asked for."""

    def __init__(self, code: str, known: list[str]) -> None:
        super().__init__(f"Unknown area '{code}'. Known areas: {', '.join(sorted(known))}.")
        self.code = code
        self.known = sorted(known)


def _built_in_areas() -> dict[str, AreaRules]:
    """The national defaults, available in every deployment."""
    return {"england": england_rules(), "scotland": scotland_rules()}


def load_areas(directory: Path | None = None) -> dict[str, AreaRules]:
    """Every known area by code: the built-in ones and one per area file in `directory`."""
    # Copies, so a caller that changes an area cannot change it for everyone else.
    return {code: AreaRules.model_validate_json(area) for code, area in _cached(directory).items()}


def get_area(code: str, directory: Path | None = None) -> AreaRules:
    """The area with this code (a copy of its own); raises UnknownAreaError naming the known
    codes. Copies only the area asked for: activities call this for every pathway step."""
    areas = _cached(directory)
    found = areas.get(code.strip().lower())
    if found is None:
        raise UnknownAreaError(code, list(areas))
    return AreaRules.model_validate_json(found)


def _cached(directory: Path | None) -> dict[str, str]:
    """The areas as last read (as JSON, by code), read again when an area file has changed."""
    folder = (directory if directory is not None else get_settings().areas_dir).resolve()
    files = sorted(folder.glob("*.toml")) if folder.is_dir() else []
    signature = tuple((path.name, *_stat(path)) for path in files)
    cached = _cache.get(folder)
    if cached is None or cached[0] != signature:
        areas = _built_in_areas()
        for path in files:
            area = _read_area_file(path)
            areas[area.code] = area
        as_json = {code: area.model_dump_json() for code, area in areas.items()}
        cached = _cache[folder] = (signature, as_json)
    return cached[1]


def _stat(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_size, info.st_mtime_ns


def _read_area_file(path: Path) -> AreaRules:
    """Parse and validate one area file; a ValueError names the file and the bad field."""
    code = path.stem
    if not _CODE.match(code):
        raise ValueError(
            f"{path}: the file name must be a code of lower-case letters, "
            "digits and hyphens, such as northmoor.toml"
        )
    if code in _built_in_areas():
        raise ValueError(f"{path}: '{code}' is a built-in area; choose another file name")
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path}: not valid TOML: {error}") from error
    return _build_area(path, code, data)


def _build_area(path: Path, code: str, data: dict[str, Any]) -> AreaRules:
    """Start from the nation's defaults, apply the overrides, then validate the whole."""
    unknown = sorted(set(data) - _FILE_KEYS)
    if unknown:
        raise ValueError(
            f"{path}: unknown field '{unknown[0]}' (allowed: {', '.join(sorted(_FILE_KEYS))})"
        )
    try:
        nation = Nation(str(data.get("nation", "")))
    except ValueError as error:
        choices = ", ".join(choice.value for choice in Nation)
        raise ValueError(f"{path}: nation: must be one of {choices}") from error
    overrides = data.get("overrides", {})
    if not isinstance(overrides, dict):
        raise ValueError(f"{path}: overrides: must be a table")
    blocked = sorted(set(overrides) & _NOT_OVERRIDABLE)
    if blocked:
        raise ValueError(f"{path}: overrides.{blocked[0]}: set it at the top of the file")
    base = nation_rules(nation, code=code, name=code).model_dump(exclude={"name"})
    merged = _merge(base, overrides)
    merged.update(code=code, local_holidays=data.get("holidays", []))
    if "name" in data:
        merged["name"] = data["name"]
    try:
        return AreaRules.model_validate(merged)
    except ValidationError as error:
        raise ValueError(f"{path}: {_describe_errors(error)}") from error


def _merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """`base` with `overrides` laid over it; nested tables merge key by key."""
    merged = dict(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _describe_errors(error: ValidationError) -> str:
    """Each problem as `field: message`, with fields named as they are written in the file."""
    problems = []
    for item in error.errors():
        location = [str(part) for part in item["loc"]]
        if location and location[0] == "local_holidays":
            location[0] = "holidays"
        elif location and location[0] not in _NOT_OVERRIDABLE:
            location.insert(0, "overrides")
        message = "unknown field" if item["type"] == "extra_forbidden" else item["msg"]
        problems.append(f"{'.'.join(location)}: {message}")
    return "; ".join(problems)
