"""The languages a referral can name for her, by the name a person reads (ISO 639 codes kept).

The languages most spoken in England and Scotland after English, from the census, and British
Sign Language; a code given through the API that is not listed here is shown as it is.
"""

from __future__ import annotations

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


def language_name(code: str) -> str:
    """The language's name ("Polish" for "pl"); an unlisted code as it is."""
    return LANGUAGES.get(code, code)
