"""What the build knows of a briefing beyond its source: its content id, date and revision."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from briefgen.diff.changes import Changes


@dataclass(frozen=True)
class Revision:
    """Where a briefing stands in its history, and what changed to get there."""

    number: int = 1
    updated: dt.date | None = None
    changes: Changes = field(default_factory=lambda: Changes([]))
    since: str = ""

    @property
    def changed_positions(self) -> frozenset[tuple[str, str]]:
        """Return the (side, topic) pairs whose stance this revision changed."""
        return frozenset((c.side, c.topic) for c in self.changes.changes if c.side and c.topic)


@dataclass(frozen=True)
class BriefingMeta:
    """What the build knows about a briefing beyond its source.

    ``has_pdf`` and ``has_transcript`` say which of its outputs the site links: its PDF,
    its transcript page (made when the source has a transcript).
    """

    content_id: str  # a short hash of everything the briefing's output is made from
    prepared: dt.date
    has_pdf: bool = True
    revision: Revision = field(default_factory=Revision)
    has_transcript: bool = False
    has_docx: bool = False  # Word files of the brief and the memo are written beside it
