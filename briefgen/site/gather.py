"""Gathering briefings into the site's people, topics and sides, from each event's parts.

The views are made from the parts each event contributes (``EventView.person_parts``,
``topic_parts``, ``side_parts``) and nothing else of the events but their order, so that a
page's key can be made from its parts' digests (see sitekeys.py). A build after one edit
gathers only the pages it must render, from the events those pages are made of.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TypeVar

from briefgen.render import markdown
from briefgen.site.urls import person_page, side_page, topic_page
from briefgen.site.views import (
    Appearance,
    Built,
    EventView,
    Person,
    PersonPart,
    SidePage,
    Site,
    Stance,
    Statement,
    TopicPart,
    TopicView,
    Track,
    newest_events,
)
from briefgen.source.model import Briefing, Speaker

Part = TypeVar("Part")


def gather(entries: Iterable[Built], pages: Collection[str] | None = None) -> Site:
    """Gather briefings into the site's people, topics and sides (see gather_views)."""
    return gather_views(
        [EventView(source.slug, source.briefing, meta) for source, meta in entries], pages
    )


def gather_views(events: Iterable[EventView], pages: Collection[str] | None = None) -> Site:
    """Gather events into the site's people, topics and sides: every one, or ``pages``' only.

    With ``pages`` (output paths such as ``speakers/knapper.html``), only the views of those
    pages are made, and of the people whose titles their earlier stances take; the events
    must then include every event those pages are made from.
    """
    ordered = newest_events(events)
    wanted = (lambda page: True) if pages is None else pages.__contains__
    topic_parts = grouped(ordered, _topic_ids, lambda e: e.topic_parts, topic_page, wanted)
    voiced = (v for parts in topic_parts.values() for part in parts for v in part.earlier_voices)
    voices = {person_page(v) for v in voiced}
    people = gather_people(ordered, lambda page: wanted(page) or page in voices)
    by_id = {person.id: person for person in people}
    topics = sorted(
        (topic_from(parts, by_id) for parts in topic_parts.values()),
        key=lambda v: (v.topic.title.casefold(), v.id),
    )
    return Site(ordered, people, topics, gather_sides(ordered, wanted))


def grouped(
    events: Sequence[EventView],
    ids_of: Callable[[Briefing], Iterable[str]],
    parts_of: Callable[[EventView], Mapping[str, Part]],
    page_of: Callable[[str], str],
    wanted: Callable[[str], bool],
) -> dict[str, list[Part]]:
    """Group the events' parts of one kind by id (events in order), for the wanted pages.

    An event's parts of a kind are made only if one of them is wanted.
    """
    found: dict[str, list[Part]] = {}
    for event in events:
        ids = [i for i in dict.fromkeys(ids_of(event.briefing)) if wanted(page_of(i))]
        if ids:
            parts = parts_of(event)
            for i in ids:
                found.setdefault(i, []).append(parts[i])
    return found


def _person_ids(b: Briefing) -> list[str]:
    """Return the ids of a briefing's speakers."""
    return [s.id for s in b.speakers]


def _topic_ids(b: Briefing) -> list[str]:
    """Return the ids of a briefing's topics."""
    return [t.id for t in b.topics]


def _side_ids(b: Briefing) -> list[str]:
    """Return the ids of a briefing's sides."""
    return [s.id for s in b.sides]


def newest_first(statements: Iterable[Statement]) -> list[Statement]:
    """Sort statements newest first, keeping the given order among equal dates."""
    return sorted(statements, key=lambda s: s.date, reverse=True)


def gather_people(events: Sequence[EventView], wanted: Callable[[str], bool]) -> list[Person]:
    """Return the wanted people named in any briefing (events newest first), by name."""
    found = grouped(events, _person_ids, lambda e: e.person_parts, person_page, wanted)
    people = [person_from(person_id, parts) for person_id, parts in found.items()]
    return sorted(people, key=lambda p: (p.name.casefold(), p.id))


def person_from(person_id: str, parts: Sequence[PersonPart]) -> Person:
    """Make one person's view from what each event (newest first) records of them.

    An earlier stance is shown with the title its speaker held then, where an older
    event records them.
    """
    appearances = [part.appearance for part in parts]
    said = [
        replace(s, speaker=then)
        if s.kind == "earlier" and (then := as_of(appearances, s.date)) is not None
        else s
        for part in parts
        for s in part.statements
    ]
    return Person(person_id, appearances, newest_first(said))


def as_of(appearances: Sequence[Appearance], date: dt.date) -> Speaker | None:
    """Return a person as the newest event on or before ``date`` describes them, if any."""
    return next((a.speaker for a in appearances if a.event.date <= date), None)


def topic_from(parts: Sequence[TopicPart], people: Mapping[str, Person]) -> TopicView:
    """Make one topic's view from what each event (newest first) records of it.

    An earlier stance names its speaker as the newest event up to its date describes them.
    """
    covering = [part.event for part in parts]
    description = next((p.topic.description for p in parts if p.topic.description), None)
    stances = [
        replace(s, speaker=retitled(s.speaker, s.date, people)) if s.earlier else s
        for part in reversed(parts)
        for s in part.stances
    ]
    quotes = sorted((s for part in reversed(parts) for s in part.quotes), key=lambda s: s.date)
    return TopicView(parts[0].topic, description, covering, tracks(stances, covering), quotes)


def retitled(
    speaker: Speaker | None, date: dt.date, people: Mapping[str, Person]
) -> Speaker | None:
    """Return a speaker as the newest event on or before ``date`` describes them."""
    if speaker is None or speaker.id not in people:
        return speaker
    return as_of(people[speaker.id].appearances, date) or speaker


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


def gather_sides(events: Sequence[EventView], wanted: Callable[[str], bool]) -> list[SidePage]:
    """Return the wanted sides of any briefing (events newest first), by name."""
    found = grouped(events, _side_ids, lambda e: e.side_parts, side_page, wanted)
    pages = [SidePage(side_id, appearances) for side_id, appearances in found.items()]
    return sorted(pages, key=lambda p: (p.name.casefold(), p.id))


def site_texts(b: Briefing) -> list[str]:
    """Return the Markdown texts of a briefing that the site's pages show, each once."""
    texts = [b.event.summary, *(s.summary for s in b.sides)]
    texts += [s.bio for s in b.speakers if s.bio]
    texts += [t.description for t in b.topics if t.description]
    for p in b.positions:
        texts += [p.stance, *(h.stance for h in p.history)]
    return list(dict.fromkeys(texts))
