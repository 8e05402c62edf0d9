"""The site's view of every briefing: people, topics and sides gathered across events.

Across events, people are the same person when their speaker ``id`` is the same, topics the
same topic when their topic ``id`` is, and sides the same side when their side ``id`` is.
Names and titles shown for a person, topic or side are those of the newest event; a person
named differently in older sources lists those names as "also known as".
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from . import markdown
from .check import LoadedSource
from .model import Briefing, Event, Side, Speaker, Topic
from .render import BriefingMeta, SideView, citation_numbers, quote_views, side_view

Entry = tuple[LoadedSource, BriefingMeta]
SEARCH_DIR = "pagefind"
SITE_FOLDERS = ("assets", "speakers", "topics", "sides", SEARCH_DIR)


@dataclass(frozen=True)
class EventView:
    """One briefing as the site pages show it."""

    slug: str
    briefing: Briefing
    meta: BriefingMeta

    @property
    def event(self) -> Event:
        """Return the event the briefing covers."""
        return self.briefing.event

    @property
    def date(self) -> dt.date:
        """Return the event's (first) date."""
        return self.briefing.event.date

    def side(self, side_id: str | None) -> Side | None:
        """Return the side with this id in this event, if any."""
        return self._cast[0].get(side_id)

    def speaker(self, speaker_id: str | None) -> Speaker | None:
        """Return the speaker with this id in this event, if any."""
        return self._cast[1].get(speaker_id)

    def topic(self, topic_id: str | None) -> Topic | None:
        """Return the topic with this id in this event, if any."""
        return self._cast[2].get(topic_id)

    @functools.cached_property
    def _cast(
        self,
    ) -> tuple[dict[str | None, Side], dict[str | None, Speaker], dict[str | None, Topic]]:
        """Index the event's sides, speakers and topics by id (the first of an id wins)."""
        b = self.briefing
        return _by_id(b.sides), _by_id(b.speakers), _by_id(b.topics)

    @functools.cached_property
    def quotes_by_speaker(self) -> dict[str, list[Statement]]:
        """Return the event's quotes as statements, by speaker id (people and topics use them)."""
        found: dict[str, list[Statement]] = {}
        b = self.briefing
        for anchor, q in zip(b.quote_ids(), b.quotes, strict=True):
            speaker = self.speaker(q.speaker)
            if speaker is None:
                continue
            side, topic = self.side(speaker.side), self.topic(q.topic)
            said = Statement(
                self.date, "quote", self, speaker, topic, side, q.text, f"quote-{anchor}"
            )
            found.setdefault(speaker.id, []).append(said)
        return found


def _by_id(items: Sequence[Side | Speaker | Topic]) -> dict[str | None, Any]:
    """Map ids to items; the first item of an id wins, as a search through them would find."""
    found: dict[str | None, Any] = {}
    for item in items:
        found.setdefault(item.id, item)
    return found


@dataclass(frozen=True)
class Statement:
    """A quote, a stance or an earlier stance voiced by one person, as recorded at one event."""

    date: dt.date
    kind: Literal["quote", "position", "earlier"]
    event: EventView
    speaker: Speaker
    topic: Topic | None
    side: Side | None
    text: str
    anchor: str


@dataclass(frozen=True)
class Appearance:
    """A person at one event: as they were described there."""

    event: EventView
    speaker: Speaker

    @property
    def side(self) -> Side | None:
        """Return the side the person stood for at this event."""
        return self.event.side(self.speaker.side)


@dataclass(frozen=True)
class Person:
    """Everyone with one speaker id, across events: appearances and statements newest first."""

    id: str
    appearances: list[Appearance]
    statements: list[Statement]

    @property
    def latest(self) -> Speaker:
        """Return the person as the newest event describes them."""
        return self.appearances[0].speaker

    @property
    def name(self) -> str:
        """Return the newest name."""
        return self.latest.name

    @property
    def other_names(self) -> list[str]:
        """Return the names older events used that differ from the newest one."""
        names = dict.fromkeys(a.speaker.name for a in self.appearances)
        return [n for n in names if n != self.name]

    @property
    def bio(self) -> str | None:
        """Return the newest biography any event gives."""
        return next((a.speaker.bio for a in self.appearances if a.speaker.bio), None)


@dataclass(frozen=True)
class Stance:
    """One side's stance on a topic at a date, and where the briefings record it."""

    date: dt.date
    event: EventView
    side: Side
    text: str
    speaker: Speaker | None
    earlier: bool
    anchor: str


@dataclass(frozen=True)
class Track:
    """One side's stances on one topic, oldest first."""

    side: Side
    stances: list[Stance]


@dataclass(frozen=True)
class TopicView:
    """A topic across events: each side's stances over time and the quotes on it."""

    topic: Topic
    description: str | None
    events: list[EventView]
    tracks: list[Track]
    quotes: list[Statement]

    @property
    def id(self) -> str:
        """Return the topic id."""
        return self.topic.id


@dataclass(frozen=True)
class SideAppearance:
    """A side at one event: its summary, stances and voices there."""

    event: EventView
    view: SideView


@dataclass(frozen=True)
class SidePage:
    """A side across events, newest first."""

    id: str
    appearances: list[SideAppearance]

    @property
    def name(self) -> str:
        """Return the newest name."""
        return self.appearances[0].view.side.name

    @property
    def people(self) -> list[Speaker]:
        """Return who spoke for the side at any event, as the newest of those events has them."""
        voices = {s.id: s for a in reversed(self.appearances) for s in a.view.voices}
        return sorted(voices.values(), key=lambda s: (s.name.casefold(), s.id))


@dataclass(frozen=True)
class Site:
    """Every briefing of the output gathered into people, topics and sides."""

    events: list[EventView]
    people: list[Person]
    topics: list[TopicView]
    sides: list[SidePage]

    def names(self) -> Names:
        """Return the newest title of every topic and name of every side."""
        topics = {t.id: t.topic.title for t in self.topics}
        return Names(topics, {s.id: s.name for s in self.sides})


@dataclass(frozen=True)
class Names:
    """What a person's, topic's or side's page shows of the rest of the site: current names."""

    topics: dict[str, str]
    sides: dict[str, str]

    def topic_title(self, topic_id: str) -> str:
        """Return a topic's newest title."""
        return self.topics[topic_id]

    def side_name(self, side_id: str) -> str:
        """Return a side's newest name."""
        return self.sides[side_id]


def page_file(item_id: str) -> str:
    """Return the file name of a person's, topic's or side's page (see _site.html's twin).

    An id of ``index`` would overwrite the folder's index page; ids never start with an
    underscore, so ``_index.html`` cannot clash with another.
    """
    return f"{'_index' if item_id == 'index' else item_id}.html"


def gather(entries: Iterable[Entry]) -> Site:
    """Gather every briefing into the site's people, topics and sides."""
    events = sorted(
        (EventView(source.slug, source.briefing, meta) for source, meta in entries),
        key=lambda e: (e.date, e.slug),
        reverse=True,
    )
    return Site(events, gather_people(events), gather_topics(events), gather_sides(events))


def speaker_as_of(
    events: Sequence[EventView], speaker_id: str | None, date: dt.date
) -> Speaker | None:
    """Return a person as the newest event on or before ``date`` describes them, if any."""
    return next(
        (s for e in events if e.date <= date and (s := e.speaker(speaker_id)) is not None), None
    )


def newest_first(statements: Iterable[Statement]) -> list[Statement]:
    """Sort statements newest first, keeping the given order among equal dates."""
    return sorted(statements, key=lambda s: s.date, reverse=True)


def gather_people(events: Sequence[EventView]) -> list[Person]:
    """Return everyone named in any briefing, by name."""
    appearances: dict[str, list[Appearance]] = {}
    statements: dict[str, list[Statement]] = {}
    for event in events:
        for speaker in event.briefing.speakers:
            appearances.setdefault(speaker.id, []).append(Appearance(event, speaker))
            said = stances_of(event, speaker) + quotes_of(event, speaker)
            statements.setdefault(speaker.id, []).extend(said)
    for said in statements.values():
        said[:] = [with_role_as_of(s, events) for s in said]
    people = [
        Person(pid, found, newest_first(statements[pid])) for pid, found in appearances.items()
    ]
    return sorted(people, key=lambda p: (p.name.casefold(), p.id))


Kind = Literal["quote", "position", "earlier"]


def stances_of(event: EventView, speaker: Speaker) -> list[Statement]:
    """Return the positions (and earlier stances) a person voiced, as one event records them."""
    found = []
    for p in event.briefing.positions:
        said: list[tuple[dt.date, Kind, str]] = [
            (h.as_of, "earlier", h.stance) for h in p.history if h.speaker == speaker.id
        ]
        if p.speaker == speaker.id:
            said.insert(0, (p.as_of or event.date, "position", p.stance))
        if not said:
            continue
        topic, side = event.topic(p.topic), event.side(p.side)
        anchor = f"position-{p.side}-{p.topic}"
        found += [
            Statement(date, kind, event, speaker, topic, side, text, anchor)
            for date, kind, text in said
        ]
    return found


def with_role_as_of(statement: Statement, events: Sequence[EventView]) -> Statement:
    """Give an earlier stance the title its speaker held then, where an older event records it."""
    if statement.kind != "earlier":
        return statement
    then = speaker_as_of(events, statement.speaker.id, statement.date)
    return replace(statement, speaker=then) if then is not None else statement


def quotes_of(event: EventView, speaker: Speaker) -> list[Statement]:
    """Return a person's quotes in one event, dated by the event."""
    return event.quotes_by_speaker.get(speaker.id, [])


def gather_topics(events: Sequence[EventView]) -> list[TopicView]:
    """Return every topic of any briefing, by title."""
    ids = dict.fromkeys(t.id for e in events for t in e.briefing.topics)
    views = [topic_view(topic_id, events) for topic_id in ids]
    return sorted(views, key=lambda v: (v.topic.title.casefold(), v.id))


def topic_view(topic_id: str, events: Sequence[EventView]) -> TopicView:
    """Gather one topic across the events (newest first) that cover it."""
    covering = [e for e in events if e.topic(topic_id) is not None]
    topics = [t for e in covering if (t := e.topic(topic_id)) is not None]
    description = next((t.description for t in topics if t.description), None)
    stances = [s for event in reversed(covering) for s in event_stances(event, topic_id, events)]
    quotes = [
        s
        for event in reversed(covering)
        for speaker in event.briefing.speakers
        for s in quotes_of(event, speaker)
        if s.topic is not None and s.topic.id == topic_id
    ]
    quotes.sort(key=lambda s: s.date)
    return TopicView(topics[0], description, covering, tracks(stances, covering), quotes)


def event_stances(event: EventView, topic_id: str, events: Sequence[EventView]) -> list[Stance]:
    """Return each side's stances on a topic in one event: earlier ones, then the current.

    An earlier stance names its speaker as the newest event up to its date describes them.
    """
    found = []
    for p in event.briefing.positions:
        side = event.side(p.side)
        if p.topic != topic_id or side is None:
            continue
        anchor = f"position-{p.side}-{p.topic}"
        for past in reversed(p.history):
            speaker = speaker_as_of(events, past.speaker, past.as_of) or event.speaker(past.speaker)
            found.append(Stance(past.as_of, event, side, past.stance, speaker, True, anchor))
        speaker = event.speaker(p.speaker)
        found.append(Stance(p.as_of or event.date, event, side, p.stance, speaker, False, anchor))
    return found


def tracks(stances: Sequence[Stance], covering: Sequence[EventView]) -> list[Track]:
    """Group stances by side, oldest first, each stance once; sides as the newest event has them.

    A stance recorded in two briefings (say, as one event's position and a later event's
    history) is shown once, as the older briefing recorded it.
    """
    order = dict.fromkeys(s.id for e in covering for s in e.briefing.sides)
    grouped: dict[str, dict[dt.date, list[Stance]]] = {}
    for stance in stances:
        same_day = grouped.setdefault(stance.side.id, {}).setdefault(stance.date, [])
        if not any(same_stance(stance, other) for other in same_day):
            same_day.append(stance)
    result = []
    for side_id in sorted(grouped, key=list(order).index):
        kept = (s for day in grouped[side_id].values() for s in day)
        ordered = sorted(kept, key=lambda s: s.date)
        newest = next(s for e in covering if (s := e.side(side_id)) is not None)
        result.append(Track(newest, ordered))
    return result


def same_stance(one: Stance, other: Stance) -> bool:
    """Tell whether two stances of a day say the same words (Markdown and case aside)."""
    if one.text == other.text:
        return True
    return markdown.plain_text(one.text).casefold() == markdown.plain_text(other.text).casefold()


def gather_sides(events: Sequence[EventView]) -> list[SidePage]:
    """Return every side of any briefing, by name."""
    found: dict[str, list[SideAppearance]] = {}
    for event in events:
        b = event.briefing
        quotes = quote_views(b, citation_numbers(b))
        for side in b.sides:
            view = side_view(b, side, quotes)
            found.setdefault(side.id, []).append(SideAppearance(event, view))
    pages = [SidePage(side_id, appearances) for side_id, appearances in found.items()]
    return sorted(pages, key=lambda p: (p.name.casefold(), p.id))
