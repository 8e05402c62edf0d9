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
from dataclasses import dataclass
from typing import Any, Literal

from briefgen.render.meta import BriefingMeta
from briefgen.render.views import SideView, citation_numbers, quote_views, side_view
from briefgen.source.model import Briefing, Event, Side, Speaker, Topic
from briefgen.verify.check import LoadedSource

Built = tuple[LoadedSource, BriefingMeta]


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
    def person_parts(self) -> dict[str, PersonPart]:
        """Return what this event records of each person it names, by id."""
        stances, quotes = voiced(self), self.quotes_by_speaker
        return {
            s.id: PersonPart(Appearance(self, s), stances.get(s.id, []) + quotes.get(s.id, []))
            for s in self.briefing.speakers
        }

    @functools.cached_property
    def topic_parts(self) -> dict[str, TopicPart]:
        """Return what this event records of each topic it covers, by id."""
        b, quotes = self.briefing, self.quotes_by_speaker
        on_topic: dict[str | None, list[Statement]] = {}
        for speaker in b.speakers:
            for said in quotes.get(speaker.id, []):
                on_topic.setdefault(said.topic.id if said.topic else None, []).append(said)
        stances = topic_stances(self)
        return {
            t.id: TopicPart(self, t, stances.get(t.id, []), on_topic.get(t.id, []))
            for t in b.topics
        }

    @functools.cached_property
    def side_parts(self) -> dict[str, SideAppearance]:
        """Return what this event records of each side it compares, by id."""
        b = self.briefing
        views = quote_views(b, citation_numbers(b))
        return {s.id: SideAppearance(self, side_view(b, s, views)) for s in b.sides}

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
            date, occasion = (q.said.date, q.said.occasion) if q.said else (self.date, None)
            said = Statement(
                date, "quote", self, speaker, topic, side, q.text, f"quote-{anchor}", occasion
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
    occasion: str | None = None  # where a quote was said, when not at the event


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

    @property
    def row(self) -> PersonRow:
        """Return the person as the index of people lists them."""
        return PersonRow(self.id, self.latest, len(self.appearances), len(self.statements))


@dataclass(frozen=True)
class PersonRow:
    """A person as the index of people lists them: as the newest event has them, and counts."""

    id: str
    latest: Speaker
    events: int
    statements: int

    @property
    def name(self) -> str:
        """Return the newest name."""
        return self.latest.name


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

    @property
    def row(self) -> TopicRow:
        """Return the topic as the index of topics lists it."""
        return TopicRow(self.id, self.topic, self.description, len(self.events), len(self.tracks))


@dataclass(frozen=True)
class TopicRow:
    """A topic as the index of topics lists it: newest title, and how many events and sides."""

    id: str
    topic: Topic
    description: str | None
    events: int
    sides: int


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

    @property
    def row(self) -> SideRow:
        """Return the side as the index of sides lists it."""
        newest = self.appearances[0]
        summary, count = newest.view.side.summary, len(self.appearances)
        return SideRow(self.id, self.name, summary, count, newest.event.event)


@dataclass(frozen=True)
class SideRow:
    """A side as the index of sides lists it: newest name and summary, events, the newest."""

    id: str
    name: str
    summary: str
    events: int
    latest: Event


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


def newest_events(events: Iterable[EventView]) -> list[EventView]:
    """Order events as the site lists them: by date and file name, newest first."""
    return sorted(events, key=lambda e: (e.date, e.slug), reverse=True)


# --- what one event contributes -----------------------------------------------------------------


@dataclass(frozen=True)
class PersonPart:
    """One event's record of one person: as it describes them, and what they said or voiced."""

    appearance: Appearance
    statements: list[Statement]


@dataclass(frozen=True)
class TopicPart:
    """One event's record of one topic: the topic as it has it, each side's stances, its quotes.

    Earlier stances name their speaker as this event records them (``topic_from`` gives
    them the title of the stance's date).
    """

    event: EventView
    topic: Topic
    stances: list[Stance]
    quotes: list[Statement]

    @property
    def earlier_voices(self) -> list[str]:
        """Return the ids of the people who voiced its earlier stances."""
        return list(dict.fromkeys(s.speaker.id for s in self.stances if s.earlier and s.speaker))


Kind = Literal["quote", "position", "earlier"]


def voiced(event: EventView) -> dict[str, list[Statement]]:
    """Return the positions (and earlier stances) each person voiced, as one event records them.

    For each position in turn: the position, then the earlier stances of its history.
    """
    found: dict[str, list[Statement]] = {}
    for p in event.briefing.positions:
        said: list[tuple[str | None, dt.date, Kind, str]] = [
            (p.speaker, p.as_of or event.date, "position", p.stance)
        ]
        said += [(h.speaker, h.as_of, "earlier", h.stance) for h in p.history]
        topic, side = event.topic(p.topic), event.side(p.side)
        anchor = f"position-{p.side}-{p.topic}"
        for speaker_id, date, kind, text in said:
            speaker = event.speaker(speaker_id)
            if speaker is not None:
                statement = Statement(date, kind, event, speaker, topic, side, text, anchor)
                found.setdefault(speaker.id, []).append(statement)
    return found


def topic_stances(event: EventView) -> dict[str, list[Stance]]:
    """Return each side's stances on each topic in one event: earlier ones, then the current."""
    found: dict[str, list[Stance]] = {}
    for p in event.briefing.positions:
        side = event.side(p.side)
        if side is None:
            continue
        anchor = f"position-{p.side}-{p.topic}"
        stances = found.setdefault(p.topic, [])
        for past in reversed(p.history):
            speaker = event.speaker(past.speaker)
            stances.append(Stance(past.as_of, event, side, past.stance, speaker, True, anchor))
        speaker = event.speaker(p.speaker)
        stances.append(Stance(p.as_of or event.date, event, side, p.stance, speaker, False, anchor))
    return found
