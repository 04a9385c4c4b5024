"""The templates' environment and the wording they share: conference names, and the one date
and time style (rules.wording) as the filters uk_date and uk_time.

The templates live beside this file (it is a package so setuptools ships them). Jinja2 is imported
and the environment built on first use, never at import, so the contracts stay import-light.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from forms.common import Nation
from forms.conference import Category, ConferenceKind
from forms.language import SUGGESTIONS
from forms.meeting import MeetingFormat
from forms.situation import LETTER_WORDS, MEETING_WORDS, ORDER_WORDS
from rules.wording import clock_time, long_date

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATES_DIR = Path(__file__).parent

_CONFERENCE_NAMES = {
    (Nation.ENGLAND, ConferenceKind.INITIAL): "initial child protection conference",
    (Nation.ENGLAND, ConferenceKind.REVIEW): "review child protection conference",
    (Nation.SCOTLAND, ConferenceKind.INITIAL): "child protection planning meeting",
    (Nation.SCOTLAND, ConferenceKind.REVIEW): "review child protection planning meeting",
}

CATEGORY_WORDS = {
    Category.PHYSICAL: "physical abuse",
    Category.EMOTIONAL: "emotional abuse",
    Category.SEXUAL: "sexual abuse",
    Category.NEGLECT: "neglect",
    Category.MULTIPLE: "more than one category",
}

AGENCY_LABELS = {
    "children_social_care": "Children's social care",
    "social_work": "Social work",
    "maternity": "Midwifery",
    "drug_treatment": "Drug and alcohol service",
    "health_visiting": "Health visiting",
    "gp": "GP",
    "perinatal_mental_health": "Perinatal mental health",
    "police": "Police",
    "housing": "Housing",
    "advocacy": "Advocacy",
    "peer_support": "Peer support",
}

# Shown on the report form as "instead of … write …", straight from the language check.
REPORT_LANGUAGE_EXAMPLES = ("addict", "dirty test result", "failed to engage", "lost her baby")


def conference_name(nation: Nation, kind: ConferenceKind) -> str:
    """The conference's name in that nation, in lower case ("child protection planning meeting")."""
    return _CONFERENCE_NAMES[(nation, kind)]


def with_article(noun_phrase: str) -> str:
    """The phrase with "a" or "an" before it: "an initial child protection conference"."""
    return f"{'an' if noun_phrase[:1].lower() in 'aeiou' else 'a'} {noun_phrase}"


def duration_words(minutes: int) -> str:
    """A length of time in words: "1 hour 30 minutes"."""
    hours, rest = divmod(minutes, 60)
    parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
    if rest:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


def default_quorum_notes(nation: Nation, unborn: bool) -> list[str]:
    """The national default quorum, in words, for an invitation whose area gave no notes."""
    if nation is Nation.SCOTLAND:
        return ["Social work, health and police must be represented."]
    notes = ["Children's social care and at least two other agencies must attend."]
    if unborn:
        notes.append("Midwifery must attend for an unborn baby.")
    return notes


def agency_label(value: str) -> str:
    """A readable agency name for a recorded agency kind; other names pass through unchanged."""
    return AGENCY_LABELS.get(value, value)


@functools.cache
def environment() -> Environment:
    """The shared Jinja2 environment: autoescaping, strict about undefined names, built once."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        uk_date=long_date,
        uk_time=clock_time,
        duration=duration_words,
        a=with_article,
        agency=agency_label,
    )
    env.globals.update(
        conference_name=conference_name,
        category_words=CATEGORY_WORDS,
        suggestions=SUGGESTIONS,
        language_examples=REPORT_LANGUAGE_EXAMPLES,
        default_quorum_notes=default_quorum_notes,
        Nation=Nation,
        MeetingFormat=MeetingFormat,
        situation_words=MEETING_WORDS,
        letter_words=LETTER_WORDS,
        order_words=ORDER_WORDS,
    )
    return env
