"""Names as people search for them: case, accents, hyphens, apostrophes and spaces ignored."""

from __future__ import annotations

import unicodedata

# Characters people type, or leave out, inside names: "Smith-Jones", "O'Neil", "Mary Ann".
IGNORED = frozenset(" -'’‘.\u2010\u2011\u2012\u2013\u2014")


def name_key(*parts: str | None) -> str:
    """A folded form of a name for matching and search: 'Zoë O'Brien-Smith' → 'zoeobriensmith'."""
    text = " ".join(p for p in parts if p)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c not in IGNORED)


def search_key(family_name: str, given_name: str) -> str:
    """What a woman's record is found by: her folded family name, then her given name."""
    return f"{name_key(family_name)}|{name_key(given_name)}"
