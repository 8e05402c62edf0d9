"""View models of a briefing: each side's section, its quotes and numbered sources, precomputed."""

from __future__ import annotations

from dataclasses import dataclass

from briefgen.source.model import Briefing, Position, Quote, Side, Source, Speaker, Topic

# Kinds of source that report an event rather than record it: quotes verified against
# them are "as reported by" their publisher.
REPORT_KINDS = frozenset({"article", "news", "news report", "report", "wire", "press report"})


@dataclass(frozen=True)
class QuoteView:
    """A quote with its anchor, number, speaker and numbered source."""

    anchor: str
    quote: Quote
    speaker: Speaker
    source_number: int | None
    number: int = 0
    source: Source | None = None

    @property
    def reported_by(self) -> str | None:
        """Return the publisher whose report the quote comes from, if it is a report."""
        source = self.source
        reported = source is not None and source.kind.strip().lower() in REPORT_KINDS
        return source.publisher if reported and source is not None else None


@dataclass(frozen=True)
class SideView:
    """One side's section: the same parts for every side."""

    side: Side
    positions: list[tuple[Topic, Position]]
    silent_on: list[Topic]
    voices: list[Speaker]
    quotes: list[QuoteView]
    represented: bool = True
    reported: frozenset[str] = frozenset()  # the topics whose position is the report's

    def is_reported(self, topic_id: str) -> bool:
        """Tell whether the side's position on a topic comes from a report, not a speaker."""
        return topic_id in self.reported


def citation_numbers(b: Briefing) -> dict[str, int]:
    """Number sources in the order the briefing first cites them, then the rest."""
    cited: list[str] = []
    said = [(b.speaker(q.speaker).side, q.source) for q in b.quotes]
    for side in b.sides:
        for topic in b.topics:
            position = b.position(side.id, topic.id)
            if position:
                cited += position.sources + [s for h in position.history for s in h.sources]
        cited += [source for side_id, source in said if side_id == side.id]
    cited += [q.source for q in b.quotes]
    cited += [q.said.source for q in b.quotes if q.said and q.said.source]
    cited += [s.id for s in b.sources]
    known = {s.id for s in b.sources}
    order = [s for s in dict.fromkeys(cited) if s in known]
    return {source_id: n for n, source_id in enumerate(order, 1)}


def quote_views(b: Briefing, numbers: dict[str, int]) -> list[QuoteView]:
    """Return every quote with its anchor, number, speaker and source."""
    sources = {s.id: s for s in b.sources}
    return [
        QuoteView(anchor, q, b.speaker(q.speaker), numbers.get(q.source), n, sources.get(q.source))
        for n, (anchor, q) in enumerate(zip(b.quote_ids(), b.quotes, strict=True), 1)
    ]


def reported(b: Briefing, position: Position) -> bool:
    """Tell whether a position's text comes from a report rather than a speaker at the event."""
    return position.speaker is None or not b.speaker(position.speaker).present


def side_view(b: Briefing, side: Side, quotes: list[QuoteView]) -> SideView:
    """Gather one side's positions, voices and quotes, and whether anyone spoke for it."""
    stated = [(t, b.position(side.id, t.id)) for t in b.topics]
    positions = [(t, p) for t, p in stated if p is not None]
    voiced_by = {p.speaker for _, p in positions}
    voices = [s for s in b.speakers if s.side == side.id or s.id in voiced_by]
    own = [q for q in quotes if q.speaker.side == side.id]
    represented = any(s.present for s in b.speakers if s.side == side.id)
    from_report = frozenset(t.id for t, p in positions if reported(b, p))
    silent = [t for t, p in stated if p is None]
    return SideView(side, positions, silent, voices, own, represented, from_report)
