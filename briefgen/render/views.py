"""View models of a briefing: each side's section, its quotes and numbered sources, precomputed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from briefgen.render import markdown
from briefgen.render.meta import BriefingMeta
from briefgen.source.model import Briefing, Position, Quote, Side, Speaker, Topic
from briefgen.verify.check import LoadedSource


@dataclass(frozen=True)
class QuoteView:
    """A quote with its anchor, speaker and numbered source."""

    anchor: str
    quote: Quote
    speaker: Speaker
    source_number: int | None


@dataclass(frozen=True)
class SideView:
    """One side's section: the same parts for every side."""

    side: Side
    positions: list[tuple[Topic, Position]]
    silent_on: list[Topic]
    voices: list[Speaker]
    quotes: list[QuoteView]


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
    cited += [q.source for q in b.quotes] + [s.id for s in b.sources]
    known = {s.id for s in b.sources}
    order = [s for s in dict.fromkeys(cited) if s in known]
    return {source_id: n for n, source_id in enumerate(order, 1)}


def quote_views(b: Briefing, numbers: dict[str, int]) -> list[QuoteView]:
    """Return every quote with its anchor, speaker and source number."""
    return [
        QuoteView(anchor, q, b.speaker(q.speaker), numbers.get(q.source))
        for anchor, q in zip(b.quote_ids(), b.quotes, strict=True)
    ]


def side_view(b: Briefing, side: Side, quotes: list[QuoteView]) -> SideView:
    """Gather one side's positions, voices and quotes."""
    stated = [(t, b.position(side.id, t.id)) for t in b.topics]
    positions = [(t, p) for t, p in stated if p is not None]
    voiced_by = {p.speaker for _, p in positions}
    voices = [s for s in b.speakers if s.side == side.id or s.id in voiced_by]
    own = [q for q in quotes if q.speaker.side == side.id]
    return SideView(side, positions, [t for t, p in stated if p is None], voices, own)


def briefing_context(source: LoadedSource, meta: BriefingMeta) -> dict[str, Any]:
    """Return everything a briefing template needs, precomputed."""
    b = source.briefing
    numbers = citation_numbers(b)
    quotes = quote_views(b, numbers)
    summary = markdown.plain_text(b.event.summary)
    return {
        "b": b,
        "slug": source.slug,
        "meta": meta,
        "sides": [side_view(b, side, quotes) for side in b.sides],
        "quotes": quotes,
        "numbers": numbers,
        "sources": sorted(b.sources, key=lambda s: numbers[s.id]),
        "speakers": {s.id: s for s in b.speakers},
        "topics": {t.id: t for t in b.topics},
        "side_names": {s.id: s.name for s in b.sides},
        "participants": sorted(b.speakers, key=lambda s: not s.present),
        "description": b.event.subtitle or markdown.shorten(summary, 200),
        "keywords": ", ".join(t.title for t in b.topics),
    }
