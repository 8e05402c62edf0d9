"""How a diff compares and words values: whitespace-blind text, plain Markdown, dates, names."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from briefgen.source.model import Briefing

_MONTHS = [
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
]
_TYPOGRAPHY = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"', "…": "..."}
)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"\*\*?|`+")


def squash(text: str | None) -> str:
    """Collapse all whitespace, so that reflowing text is no change."""
    return " ".join((text or "").split())


def plain(text: str | None) -> str:
    """Render Markdown as one line of plain text."""
    return squash(_MARKUP.sub("", _LINK.sub(r"\1", text or "")))


def quote_key(text: str) -> str:
    """Return a quote's text insensitive to whitespace and quote-mark typography."""
    return squash(text.translate(_TYPOGRAPHY))


def day(date: dt.date) -> str:
    """Write a date the way a briefing does: 12 September 2019."""
    return f"{date.day} {_MONTHS[date.month - 1]} {date.year}"


def show(value: Any) -> str | None:
    """Return a field's value as plain text."""
    if value is None or isinstance(value, str):
        return plain(value) or None
    if isinstance(value, dt.date):
        return day(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def said(value: Any) -> str:
    """Return a value for a sentence: text in quotation marks, dates as they are."""
    return f'"{show(value)}"' if isinstance(value, str) else str(show(value))


def same(old: Any, new: Any) -> bool:
    """Compare two field values, ignoring whitespace in text."""
    if isinstance(old, str) or isinstance(new, str):
        return squash(old) == squash(new)
    return bool(old == new)


def now_was(old: Any, new: Any) -> str:
    """Describe a value's change: ``now "x" (was "y")``."""
    if old is None or old == "":
        return f"set to {said(new)}"
    if new is None or new == "":
        return f"removed (was {said(old)})"
    return f"now {said(new)} (was {said(old)})"


def slug(text: str) -> str:
    """Return a short readable key for a text: its first words, hyphenated."""
    words = re.findall(r"[a-z0-9]+", quote_key(text).lower())
    return "-".join(words[:8]) or "untitled"


class Labels:
    """Display names for ids, preferring the newer version's."""

    def __init__(self, old: Briefing, new: Briefing) -> None:
        both = (old, new)
        self.sides = {s.id: s.name for b in both for s in b.sides}
        self.topics = {t.id: t.title for b in both for t in b.topics}
        self.speakers = {s.id: s.name for b in both for s in b.speakers}
        self.sources = {s.id: f'"{s.title}"' for b in both for s in b.sources}
        self.allegiance = {s.id: s.side for b in both for s in b.speakers}

    def side(self, ident: str | None) -> str:
        """Return a side's name."""
        return self.sides.get(ident, ident) if ident else "no side"

    def topic(self, ident: str | None) -> str:
        """Return a topic's title."""
        return self.topics.get(ident, ident) if ident else "no topic"

    def speaker(self, ident: str | None) -> str:
        """Return a speaker's name."""
        return self.speakers.get(ident, ident) if ident else "no named speaker"

    def source(self, ident: str) -> str:
        """Return a source's title, quoted."""
        return self.sources.get(ident, ident)
