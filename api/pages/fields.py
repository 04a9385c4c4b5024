"""Turning submitted form fields into the contracts' input, and pydantic's errors back into
messages next to the fields they are about (and in the summary at the top)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData

from rules.wording import MONTHS
from waymark.localtime import UK

Errors = dict[str, str]
Values = dict[str, Any]


def values_of(form: FormData) -> Values:
    """What was typed, to show again; a repeated name (checkboxes) is kept as `name[]`."""
    values: Values = {}
    for key in form:
        if key in ("csrf_token", "password"):
            continue
        items = [str(v) for v in form.getlist(key)]
        values[key] = items[-1] if items else ""
        values[f"{key}[]"] = items
    return values


def text(form: FormData, name: str) -> str | None:
    """A text field, stripped; None when left blank."""
    value = form.get(name)
    stripped = str(value).strip() if value is not None else ""
    return stripped or None


def ticked(form: FormData, name: str) -> bool:
    return form.get(name) == "yes"


def yes_no(form: FormData, name: str) -> bool | None:
    """A yes/no radio: True, False, or None when not answered."""
    return {"yes": True, "no": False}.get(str(form.get(name, "")))


_TWELVE_HOUR = re.compile(r"(1[0-2]|0?[1-9])(?:[:.]([0-5]\d))?\s*([ap])\.?m\.?", re.IGNORECASE)


def clock(text: str) -> time:
    """A time as a person writes it ("10:00am", "2.30pm") or as a time input sends it ("14:30")."""
    found = _TWELVE_HOUR.fullmatch(text.strip())
    if found is None:
        return time.fromisoformat(text)
    hour, minute, half = found.groups()
    return time(int(hour) % 12 + (12 if half.lower() == "p" else 0), int(minute or 0))


_DAY = re.compile(r"(\d{1,2})[\s/.-]+([A-Za-z]+|\d{1,2})[\s/.-]+(\d{4})")


def day(text: str | None) -> date | str | None:
    """A date as a person writes it ("27 March 1995", "27 Mar 1995", "27/3/1995") or as a date
    input sends it ("1995-03-27"); what was typed if it is not one (the contract then says
    what is wrong); None when blank."""
    if not text:
        return None
    found = _DAY.fullmatch(text.strip())
    try:
        if found is None:
            return date.fromisoformat(text.strip())
        number, month, year = found.groups()
        return date(int(year), _month(month), int(number))
    except ValueError:
        return text


def _month(month: str) -> int:
    if month.isdigit():
        return int(month)
    names = [name.lower() for name in MONTHS]
    matches = [n for n, name in enumerate(names, start=1) if name.startswith(month.lower())]
    if len(month) < 3 or len(matches) != 1:
        raise ValueError(f"no such month: {month}")
    return matches[0]


def local_datetime(day: str | None, at: str | None) -> datetime | str | None:
    """A UK date and time as an aware datetime; what was typed if it is not one (the contract
    then says what is wrong); None when both are blank."""
    if not day and not at:
        return None
    try:
        parsed = datetime.combine(date.fromisoformat(day or ""), clock(at or ""))
    except ValueError:
        return f"{day or ''}T{at or ''}"
    return parsed.replace(tzinfo=UK)


def set_path(data: dict[str, Any], dotted: str, value: Any) -> None:
    """data['a']['b'] = value for 'a.b', making the inner dictionaries."""
    *parents, leaf = dotted.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[leaf] = value


def pydantic_errors(
    exc: ValidationError, fields: Mapping[str, str], *, strip: tuple[str, ...] = ()
) -> Errors:
    """One message per field, in the order of the form; fields maps a field name to how the
    message names it ('her first name'). Model-level problems attach to their group."""
    found: Errors = {}
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if str(p) not in strip]
        name = _nearest_field(loc, fields)
        if name not in found:
            found[name] = _message(err, fields.get(name, "this"))
    order = list(fields)
    return dict(sorted(found.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 0))


def _nearest_field(loc: list[str], fields: Mapping[str, str]) -> str:
    for size in range(len(loc), 0, -1):
        candidate = ".".join(loc[:size])
        if candidate in fields:
            return candidate
        group = [name for name in fields if name.startswith(candidate + ".")]
        if group:
            return group[0]
    return next(iter(fields))


def _message(err: Any, what: str) -> str:
    kind = err.get("type", "")
    if kind == "missing" or (kind == "string_too_short" and err.get("ctx", {}).get("min_length")):
        return f"{'Say' if what.startswith(('whether', 'what', 'how')) else 'Enter'} {what}"
    message = str(err.get("msg", "Check this answer")).removeprefix("Value error, ")
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_from_datetime_inexact"):
        return f"Enter {what} as a real date"
    if kind.startswith("datetime") or kind == "timezone_aware":
        return f"Enter {what} as a real date and time"
    if kind in ("int_parsing", "int_type"):
        return f"Enter {what} as a whole number"
    if kind == "enum":
        return f"Choose {what} from the list"
    if kind == "string_pattern_mismatch":
        return f"Enter {what} in the right format"
    return message[:1].upper() + message[1:]
