"""The UK's local date: deadlines and date checks are about days in the UK, not in UTC."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")


def today_in_uk() -> date:
    return datetime.now(UK).date()
