"""The changes a diff finds, and their plain-text and JSON forms."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass

__all__ = ["Change", "Changes", "as_json", "format_text"]


@dataclass(frozen=True)
class Change:
    """One change in meaning, with a sentence a staffer can paste into an email."""

    kind: str
    subject: str
    summary: str
    old: str | None = None
    new: str | None = None
    side: str | None = None
    topic: str | None = None
    label: str = ""  # what changed, in words ("United States on Trade"), for structured display


@dataclass(frozen=True)
class Changes:
    """Every change between two versions of one source, in reading order."""

    changes: list[Change]

    def __bool__(self) -> bool:
        """Return True when anything changed."""
        return bool(self.changes)

    def __iter__(self) -> Iterator[Change]:
        """Iterate over the changes."""
        return iter(self.changes)

    def by_subject(self) -> dict[str, Change]:
        """Return the changes keyed by subject (``position:us/trust``...)."""
        return {c.subject: c for c in self.changes}


_GROUPS = {
    "summary": "Bottom line and event",
    "event": "Bottom line and event",
    "side": "Sides",
    "position": "Positions",
    "quote": "Quotes",
    "speaker": "Speakers",
    "topic": "Topics",
    "source": "Sources",
    "takeaways": "Takeaways and questions",
    "questions": "Takeaways and questions",
    "transcript": "Transcript",
}
_GROUP_ORDER = list(dict.fromkeys(_GROUPS.values()))


def format_text(changes: Changes, *, title: str = "") -> str:
    """Render changes as plain text: a heading, then one bullet per change, grouped."""
    lines = [f"What changed: {title}" if title else "What changed", ""]
    if not changes:
        return "\n".join([*lines, "No changes in meaning.", ""])
    grouped: dict[str, list[str]] = {group: [] for group in _GROUP_ORDER}
    for change in changes:
        grouped[_GROUPS.get(change.kind.split("-")[0], "Other")].append(f"- {change.summary}")
    for group, bullets in grouped.items():
        lines += [group, *bullets, ""] if bullets else []
    return "\n".join(lines)


def as_json(changes: Changes) -> str:
    """Serialise changes as a JSON list of change objects."""
    return json.dumps([asdict(c) for c in changes], ensure_ascii=False, indent=2)
