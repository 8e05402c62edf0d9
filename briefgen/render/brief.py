"""The principal's reading order: the headline, the table of where the sides stand, the key
quotes, and what the one-page memo holds. Data that templates (and other writers) walk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from briefgen.render import markdown
from briefgen.render.meta import BriefingMeta
from briefgen.render.views import QuoteView, SideView, citation_numbers, quote_views, side_view
from briefgen.source.model import Briefing, Position, Source, Speaker, Topic
from briefgen.verify.check import LoadedSource

MEMO_KEY_QUOTES = 3
MEMO_PAGES = 2


@dataclass(frozen=True)
class Cell:
    """One side's stance on one topic in a line, or None where the side is silent."""

    side: SideView
    topic: Topic
    position: Position | None
    line: str
    reported: bool
    changed: bool


@dataclass(frozen=True)
class Row:
    """One topic across the sides."""

    topic: Topic
    cells: list[Cell]


def position_line(position: Position) -> str:
    """Return a position in a line: its summary, else the stance's first sentence."""
    if position.summary:
        return position.summary
    return markdown.first_sentence(markdown.plain_text(position.stance))


def standing(b: Briefing, sides: list[SideView], changed: frozenset[tuple[str, str]]) -> list[Row]:
    """Return the table of where the sides stand: a row per topic, a cell per side."""
    rows = []
    for topic in b.topics:
        cells = []
        for view in sides:
            position = b.position(view.side.id, topic.id)
            line = position_line(position) if position else ""
            reported = view.is_reported(topic.id)
            pair = (view.side.id, topic.id)
            cells.append(Cell(view, topic, position, line, reported, pair in changed))
        rows.append(Row(topic, cells))
    return rows


def headline(b: Briefing) -> str:
    """Return the line that states the news: the headline, else the event's title."""
    return b.event.headline or b.event.title


def key_quotes(quotes: list[QuoteView]) -> list[QuoteView]:
    """Return the quotes marked key, in the order the source lists them."""
    return [q for q in quotes if q.quote.key]


def speakers_quoted(view: SideView) -> list[tuple[str, list[QuoteView]]]:
    """Group a side's quotes by speaker name, for the side section's links to the annex."""
    grouped: dict[str, list[QuoteView]] = {}
    for quote in view.quotes:
        grouped.setdefault(quote.speaker.id, []).append(quote)
    return [(quotes[0].speaker.name, quotes) for quotes in grouped.values()]


def briefing_context(source: LoadedSource, meta: BriefingMeta) -> dict[str, Any]:
    """Return everything a briefing template needs, precomputed."""
    b = source.briefing
    numbers = citation_numbers(b)
    quotes = quote_views(b, numbers)
    summary = markdown.plain_text(b.event.summary)
    sides = [side_view(b, side, quotes) for side in b.sides]
    return {
        "b": b,
        "slug": source.slug,
        "meta": meta,
        "headline": headline(b),
        "sides": sides,
        "rows": standing(b, sides, meta.revision.changed_positions),
        "quotes": quotes,
        "key_quotes": key_quotes(quotes),
        "memo_date": meta.revision.updated or meta.prepared,
        "memo_sources": memo_sources(b, key_quotes(quotes), numbers),
        "quoted": speakers_quoted,
        "quotes_by_speaker": by_speaker(quotes),
        "numbers": numbers,
        "sources": sorted(b.sources, key=lambda s: numbers[s.id]),
        "speakers": {s.id: s for s in b.speakers},
        "topics": {t.id: t for t in b.topics},
        "side_names": {s.id: s.name for s in b.sides},
        "participants": sorted(b.speakers, key=lambda s: not s.present),
        "description": b.event.subtitle or markdown.shorten(summary, 200),
        "keywords": ", ".join(t.title for t in b.topics),
    }


def memo_cuts(b: Briefing) -> str:
    """Say what fills a memo, longest first, so that a staffer knows what to shorten."""
    parts = [
        (_words(b.event.summary), "the bottom line"),
        (sum(map(_words, b.takeaways)), f"the {len(b.takeaways)} takeaways"),
        (sum(map(_words, b.questions)), f"the {len(b.questions)} questions"),
        (sum(_words(position_line(p)) for p in b.positions), "the table's position lines"),
        (sum(_words(q.text) for q in b.quotes if q.key), "the key quotes"),
    ]
    shown = [f"{name} ({words} words)" for words, name in sorted(parts, reverse=True) if words]
    return ", ".join(shown)


def _words(text: str) -> int:
    """Count the words of a Markdown text as it reads."""
    return len(markdown.plain_text(text).split())


def memo_sources(b: Briefing, quotes: list[QuoteView], numbers: dict[str, int]) -> list[Source]:
    """Return the sources the memo cites (its key quotes' and their occasions'), in number order."""
    cited = {q.quote.source for q in quotes}
    cited |= {q.quote.said.source for q in quotes if q.quote.said and q.quote.said.source}
    return sorted((s for s in b.sources if s.id in cited), key=lambda s: numbers[s.id])


def by_speaker(quotes: list[QuoteView]) -> list[tuple[Speaker, list[QuoteView]]]:
    """Group quotes under their speakers, in the order each speaker is first quoted."""
    grouped: dict[str, list[QuoteView]] = {}
    for quote in quotes:
        grouped.setdefault(quote.speaker.id, []).append(quote)
    return [(group[0].speaker, group) for group in grouped.values()]
