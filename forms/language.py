"""The non-stigmatising language check (R7.5): finds blaming or stigmatising words in text.

Letters to a woman must pass it before they are sent. It reads the text of HTML (tags removed,
entities decoded, alt/title/aria-label text kept) and matches whole words and phrases, ignoring
case. It is deliberately narrow: "addiction" (as in "addiction services") and "clean" on its own
("a clean room") are not flagged, nor are UK service words such as "substance misuse service".
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import NamedTuple


class _Term(NamedTuple):
    term: str
    pattern: str
    suggestion: str


_TEST = r"(?:urine|urines|sample|samples|tests?|screens?|drug\s+tests?|drug\s+screens?|results?)"

# Order matters: at one position the first alternative wins, so longer phrases come first
# ("drug abuser" before "abuser", "drug-addicted" before "addicted").
_TERMS: tuple[_Term, ...] = (
    _Term("drug-addicted", r"drug[-\s]?addicted", "who uses drugs"),
    _Term("drug abuser", r"drug\s+abusers?", "person who uses drugs"),
    _Term("substance abuser", r"substance\s+abusers?", "person who uses drugs"),
    _Term("drug misuser", r"drug\s+misusers?", "person who uses drugs"),
    _Term("substance misuser", r"substance\s+misusers?", "person who uses drugs"),
    _Term("drug abuse", r"(?:drug|substance)\s+abuse", "drug use"),
    _Term("alcohol abuse", r"alcohol\s+abuse", "alcohol use"),
    _Term("abuser", r"abusers?", "person who uses drugs (or say what the person did)"),
    _Term("addict", r"addicts?", "person who uses drugs"),
    _Term("addicted", r"addicted", "dependent on"),
    _Term("junkie", r"junkies?", "person who uses drugs"),
    _Term(
        "alcoholic",
        r"(?<!non-)alcoholics?(?!\s+(?:anonymous|drinks?|beverages?))",
        "person who is dependent on alcohol",
    ),
    _Term("crack baby", r"crack\s+bab(?:y|ies)", "baby exposed to drugs before birth"),
    _Term("clean test result", rf"clean\s+{_TEST}", "negative test result"),
    _Term("dirty test result", rf"dirty\s+{_TEST}", "positive test result"),
    _Term(
        "got clean",
        r"(?:stay|stays|stayed|staying|get|gets|got|getting|remain|remains|remained|remaining)"
        r"\s+clean",
        "stopped using drugs, or is in recovery",
    ),
    _Term(
        "lost her baby",
        r"(?:lose|loses|lost|losing)\s+(?:her|the|their|your)\s+(?:baby|babies|child|children)",
        "her baby was placed in care",
    ),
    _Term(
        "failed to engage",
        r"(?:fail|fails|failed|failing|failure)\s+to\s+engage",
        "was not able to take part (say what got in the way)",
    ),
    _Term(
        "refused to engage",
        r"(?:refuse|refuses|refused|refusing|refusal)\s+to\s+engage",
        "chose not to take part (say why, if known)",
    ),
    _Term("non-engagement", r"non[-\s]?engag(?:ement|ing)", "not able to take part yet"),
    _Term(
        "non-compliant",
        r"non[-\s]?complian(?:t|ce)",
        "has not been able to follow the plan (say what got in the way)",
    ),
)

SUGGESTIONS: dict[str, str] = {t.term: t.suggestion for t in _TERMS}
"""Each flagged term and a person-first, non-blaming alternative to suggest."""

_PATTERN = re.compile(
    r"\b(?:" + "|".join(f"(?P<t{i}>{t.pattern})" for i, t in enumerate(_TERMS)) + r")\b",
    re.IGNORECASE,
)

# Text a reader meets that is not element content: screen readers announce these.
_READ_ATTRIBUTES = frozenset({"alt", "title", "aria-label"})
_UNREAD_ELEMENTS = frozenset({"style", "script"})
# Inline elements run on with the text around them, as a browser shows them: "add<b>ict</b>" is
# one word. Every other tag separates words ("<td>Name</td><td>Addict</td>").
_INLINE_ELEMENTS = frozenset(
    {"a", "abbr", "b", "cite", "code", "em", "i", "mark", "q", "s", "small", "span", "strong",
     "sub", "sup", "time", "u"}
)  # fmt: skip


class _TextExtractor(HTMLParser):
    """Collects the text a person reads or hears from an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _UNREAD_ELEMENTS:
            self._skipping += 1
        self.parts.extend(f" {v} " for k, v in attrs if k in _READ_ATTRIBUTES and v)
        self._separate(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _UNREAD_ELEMENTS and self._skipping:
            self._skipping -= 1
        self._separate(tag)

    def _separate(self, tag: str) -> None:
        if tag not in _INLINE_ELEMENTS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def text_of(html: str) -> str:
    """The readable text of an HTML fragment or document (plain text passes through)."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return re.sub(r"\s+", " ", "".join(extractor.parts)).strip()


def stigmatising_terms(text: str) -> list[str]:
    """The stigmatising terms found in the text (or HTML), each once, in order of first use."""
    found: list[str] = []
    for match in _PATTERN.finditer(text_of(text)):
        group = match.lastgroup
        term = _TERMS[int(group[1:])].term if group else match.group(0).lower()
        if term not in found:
            found.append(term)
    return found
