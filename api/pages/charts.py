"""Compliance figures for the lead's page: plain-language rows and simple bar charts drawn
as SVG on the server (no script, no inline styles: the bars take their colours from CSS)."""

from __future__ import annotations

from dataclasses import dataclass

from forms.oversight_reports import Figures, Median, Rate

RATE_LABELS = {
    "conferences_on_time": "Conferences held on time",
    "conferences_overdue": "Open conferences past their latest date",
    "reports_on_time": "Agency reports shared with her on time",
    "adequate_notice": "Meetings arranged with enough notice",
    "advocate_acknowledged_in_time": "Advocates' notices acknowledged in time",
    "removals_with_advocate": "Removals where she had an advocate",
}
# What would fill each measure, said when there is nothing to count yet.
FILLED_BY = {
    "conferences_on_time": "None yet: counted once a conference has been held",
    "conferences_overdue": "None yet: counted once a conference is being arranged",
    "reports_on_time": "None yet: counted once agency reports are due for a conference",
    "adequate_notice": "None yet: counted once a meeting is arranged",
    "advocate_acknowledged_in_time": "None yet: counted once an advocate is sent a meeting notice",
    "removals_with_advocate": "None yet: counted if a baby is placed in care",
}
# A higher share is worse for these: their bars are drawn in the warning colour.
WORSE_WHEN_HIGHER = frozenset({"conferences_overdue"})
MEDIAN_LABELS = {
    "advocate_acceptance": "From offer to an advocate accepting",
    "advocate_acknowledgement": "From a notice to the advocate acknowledging it",
    "removal_to_advocate": "From a removal to her having an advocate",
}
BAR_WIDTH = 300
ROW_HEIGHT = 34
LABEL_WIDTH = 330


@dataclass
class Bar:
    label: str
    numerator: int
    denominator: int
    percent: int | None
    warning: bool
    y: int = 0
    empty: str = "None yet"

    @property
    def width(self) -> int:
        return round(BAR_WIDTH * (self.percent or 0) / 100)


@dataclass
class Chart:
    bars: list[Bar]
    width: int = LABEL_WIDTH + BAR_WIDTH + 60
    label_width: int = LABEL_WIDTH

    @property
    def height(self) -> int:
        return ROW_HEIGHT * len(self.bars) + 10


def rate_bars(figures: Figures) -> Chart:
    """One bar per rate, in a fixed order, with the numbers behind it."""
    bars = []
    for name, text in RATE_LABELS.items():
        rate = getattr(figures, name)
        if not isinstance(rate, Rate):
            continue
        percent = round(100 * rate.numerator / rate.denominator) if rate.denominator else None
        bar = Bar(text, rate.numerator, rate.denominator, percent, name in WORSE_WHEN_HIGHER)
        bar.empty = FILLED_BY.get(name, bar.empty)
        bars.append(bar)
    for index, bar in enumerate(bars):
        bar.y = index * ROW_HEIGHT + 5
    return Chart(bars)


def medians(figures: Figures) -> list[tuple[str, Median]]:
    """The median times, with how many they are taken over."""
    found = []
    for name, text in MEDIAN_LABELS.items():
        value = getattr(figures, name)
        if isinstance(value, Median):
            found.append((text, value))
    return found
