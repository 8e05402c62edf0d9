"""Dates and clock times as transcript headers write them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_ORDINAL = r"(?:st|nd|rd|th)?"
_PATTERNS = (
    re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b"),
    re.compile(rf"\b(?P<m>[A-Za-z]{{3,9}})\.?\s+(?P<d>\d{{1,2}}){_ORDINAL},?\s+(?P<y>\d{{4}})\b"),
    re.compile(
        rf"\b(?P<d>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?(?P<m>[A-Za-z]{{3,9}})\.?,?\s+(?P<y>\d{{4}})\b"
    ),
    re.compile(r"(?P<y>\d{4})\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日일]"),
)
_WEEKDAY = re.compile(
    r"\b(?:mon|tue|tues|wed|wednes|thu|thur|thurs|fri|sat|satur|sun)(?:day)?\b\.?", re.IGNORECASE
)
_CLOCK = re.compile(
    r"\b\d{1,2}(?::\d{2})?\s*(?:a\.?\s?m\.?|p\.?\s?m\.?)|\b\d{1,2}:\d{2}\b|"
    r"\b(?:noon|from|to|at|until)\b",
    re.IGNORECASE,
)
_ZONE = re.compile(r"\b(?:[ECMP][SD]?T|KST|JST|GMT|UTC|BST|CES?T)\b")
# Trailing filler keeps a final dot, which may end an abbreviation ("D.C.").
_FILLER = re.compile(
    r"^[\s,.;:|/\u2013\u2014\-\u00b7\u2022()]+|[\s,;:|/\u2013\u2014\-\u00b7\u2022(]+$"
)


@dataclass(frozen=True)
class FoundDate:
    """A date found in a line, and what the line holds besides it."""

    date: dt.date
    rest: str


def find_date(line: str) -> FoundDate | None:
    """Find a calendar date in a line ("Wednesday, August 7, 2019", "7 August 2019", ISO)."""
    for pattern in _PATTERNS:
        for match in pattern.finditer(line):
            day = _to_date(match["y"], match["m"], match["d"])
            if day:
                rest = line[: match.start()] + " " + line[match.end() :]
                return FoundDate(day, _leftover(rest))
    return None


def _to_date(year: str, month: str, day: str) -> dt.date | None:
    """Build a date from matched parts, or None if they name no real day."""
    number = int(month) if month.isdigit() else _MONTHS.get(month.lower())
    if number is None:
        return None
    try:
        return dt.date(int(year), number, int(day))
    except ValueError:
        return None


def _leftover(text: str) -> str:
    """Return what remains of a line once weekdays, clock times and filler go."""
    text = _ZONE.sub(" ", _CLOCK.sub(" ", _WEEKDAY.sub(" ", text)))
    return " ".join(_FILLER.sub("", text).split())


def is_clock_line(line: str) -> bool:
    """Return whether a line only gives clock times ("10:00 a.m. - 11:30 a.m. EDT")."""
    return bool(_CLOCK.search(line)) and not _leftover(line)
