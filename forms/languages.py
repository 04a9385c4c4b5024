"""The languages a referral can name for her, by the name a person reads (ISO 639 codes kept).

The languages most spoken in England and Scotland after English, from the census, and British
Sign Language; a code given through the API that is not listed here is shown as it is.
"""

from __future__ import annotations

from typing import Any

LANGUAGES: dict[str, str] = {
    "en": "English",
    "ar": "Arabic",
    "bn": "Bengali",
    "bfi": "British Sign Language",
    "bg": "Bulgarian",
    "yue": "Cantonese",
    "fa": "Farsi (Persian)",
    "fr": "French",
    "gd": "Gaelic (Scottish)",
    "gu": "Gujarati",
    "hu": "Hungarian",
    "it": "Italian",
    "ku": "Kurdish",
    "lv": "Latvian",
    "lt": "Lithuanian",
    "zh": "Mandarin",
    "ps": "Pashto",
    "pl": "Polish",
    "pt": "Portuguese",
    "pa": "Punjabi",
    "ro": "Romanian",
    "ru": "Russian",
    "so": "Somali",
    "es": "Spanish",
    "ta": "Tamil",
    "ti": "Tigrinya",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "cy": "Welsh",
}


def sorted_languages() -> list[tuple[str, str]]:
    """Every listed language but English as (code, name), by name: the choices of interpreter."""
    return sorted(((c, n) for c, n in LANGUAGES.items() if c != "en"), key=lambda item: item[1])


def needs_interpreter(contact: dict[str, Any]) -> str | None:
    """The interpreter's language her contact preferences suggest for a meeting: her preferred
    language when it is not English; None otherwise."""
    language = str(contact.get("language") or "en")
    return None if language == "en" else language


def language_name(code: str) -> str:
    """The language's name ("Polish" for "pl"); an unlisted code as it is."""
    return LANGUAGES.get(code, code)
