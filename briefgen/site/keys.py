"""Keys of the site's pages: what each page is made from, hashed.

A person's, topic's or side's page is made from parts of events (sitegather.py) and the
current names of topics and sides; the home page and the feed from each event's row; the
index of people, topics or sides from the rows of their pages. A page's key hashes the
digests of what it is made from, so that two pages with one key render alike. What the
keys need of an event (its ``EventRecord``) depends on that event alone: it is kept
between builds, so that after one edit only the edited event is hashed, and only the pages
whose keys changed need the events they are made from.
"""

from __future__ import annotations

import copyreg
import functools
import hashlib
import io
import pickle
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pydantic

from briefgen.render.meta import BriefingMeta
from briefgen.site.urls import person_page, side_page, topic_page
from briefgen.site.views import EventView, Names

Input = tuple[str, str]  # an event's slug, and the page whose part of that event is meant
TEMPLATES = {"speakers": "speaker.html", "topics": "topic.html", "sides": "side.html"}
INDEXES = {"speakers": "speakers.html", "topics": "topics.html", "sides": "sides.html"}
EVENT_LISTS = ("index.html", "feed.xml")  # the home page and the feed (their own templates)
HOME_EVENTS = 50  # the home page lists the newest events; older ones are on archive pages
FEED_EVENTS = 50  # the feed carries the newest events only
ARCHIVE = "archive"
# What the pages of people, topics and sides show of an event's details (its bottom line
# shows on the home page and in the feed, which hash the whole of them).
EVENT_SHOWN = ("title", "date", "end_date", "host")


@dataclass(frozen=True)
class EventRecord:
    """What the site's keys need of one event, made for one ``stamp`` (see ``stamp``).

    The digest of each of its parts, by the page it is part of, and of its row (what the
    home page and the feed show of it); the people who voiced the earlier stances of each
    of its topics, by topic page; its date (ISO); the titles it gives its topics and the
    names it gives its sides, by id.
    """

    stamp: str
    date: str
    parts: Mapping[str, str]
    voices: Mapping[str, tuple[str, ...]]
    row: str
    topics: Mapping[str, str]
    sides: Mapping[str, str]


def stamp(meta: BriefingMeta) -> str:
    """Return what an event's record depends on beyond its slug.

    Its content id (a hash of its source, evidence, templates, configuration and versions)
    and which of its outputs the site links.
    """
    return f"{meta.content_id}:{meta.has_pdf}:{meta.has_transcript}"


class PageKeys:
    """Hash what pages are made from: a digest of a value hashes a pickle of it.

    Equal pickles unpickle to equal values, and the site's views are made from parts
    alone, so two pages with one key render alike. In a pickle, a pydantic model stands
    as a hash of its JSON, and an event (``EventView``) as a hash of what the pages show of
    it beyond its parts: its file name, some of its details (EVENT_SHOWN), its cast
    (speakers, topics, sides) and whether it has a PDF. Its positions, quotes, transcript
    and revision reach the pages only through parts, which are hashed in full;
    tests/test_sitepages.py renders every page with the rest of each event taken away or
    changed and checks that nothing changes.
    """

    def __init__(self, base: bytes) -> None:
        self.base = base
        # each model's or event's stand-in, by id; the object is kept so its id is not reused
        self.stand_ins: dict[int, tuple[object, tuple[Any, ...]]] = {}
        self.dispatch = copyreg.dispatch_table.copy()  # a dispatch table matches exact types
        self.dispatch.update(dict.fromkeys([*_model_types(), EventView], self.stand_in))

    def key(self, template: str, *values: object) -> str:
        """Return the key of a template rendered from these values (and ``base``)."""
        return hashlib.sha256(self.base + self.pickled((template, values))).hexdigest()

    def digest(self, value: object) -> str:
        """Return a digest of a value, as keys see it."""
        return hashlib.sha256(self.pickled(value)).hexdigest()[:32]

    def record(self, event: EventView) -> EventRecord:
        """Hash what the site's keys need of one event."""
        parts = {person_page(i): self.digest(p) for i, p in event.person_parts.items()}
        parts |= {topic_page(i): self.digest(p) for i, p in event.topic_parts.items()}
        parts |= {side_page(i): self.digest(p) for i, p in event.side_parts.items()}
        voices = {
            topic_page(i): tuple(part.earlier_voices)
            for i, part in event.topic_parts.items()
            if part.earlier_voices
        }
        b = event.briefing
        dates = [s.date for s in b.sources]
        people = [(s.id, s.name) for s in b.speakers]  # the home page lists them
        row = self.digest((event, b.event, event.meta.has_transcript, dates, people))
        topics = {t.id: title for t in b.topics if (title := _title(event, t.id))}
        sides = {s.id: side.name for s in b.sides if (side := event.side(s.id))}
        return EventRecord(
            stamp(event.meta), event.date.isoformat(), parts, voices, row, topics, sides
        )

    def stand_in(self, value: pydantic.BaseModel | EventView) -> tuple[Any, ...]:
        """Return how a model or an event is pickled for a key: a hash of what it shows."""
        known = self.stand_ins.get(id(value))
        if known is not None:
            return known[1]
        if isinstance(value, EventView):
            b = value.briefing
            details = tuple(getattr(b.event, name) for name in EVENT_SHOWN)
            shown = self.pickled(
                (value.slug, details, b.speakers, b.topics, b.sides, value.meta.has_pdf)
            )
        else:
            shown = f"{type(value).__name__}:{value.model_dump_json()}".encode()
        reduced = (bytes, (hashlib.sha256(shown).digest(),))
        self.stand_ins[id(value)] = (value, reduced)
        return reduced

    def pickled(self, value: object) -> bytes:
        """Pickle values as keys see them: models and events as their stand-ins.

        There is no memo: an object met twice is written twice, so that the pickle depends
        on the values alone, not on which of them happen to be one object (views are
        acyclic). Only models and events are pickled by Python code (a dispatch table).
        """
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=5)
        pickler.fast = True
        pickler.dispatch_table = self.dispatch
        pickler.dump(value)
        return buffer.getvalue()


def _title(event: EventView, topic_id: str) -> str | None:
    """Return the title an event gives a topic (the first of its id), if it has it."""
    topic = event.topic(topic_id)
    return topic.title if topic is not None else None


@functools.cache
def _model_types() -> tuple[type[pydantic.BaseModel], ...]:
    """Return every model class of the source format (subclasses of subclasses too)."""
    found: list[type[pydantic.BaseModel]] = []
    todo = [pydantic.BaseModel]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub.__module__.startswith("briefgen."):
                found.append(sub)
            todo.append(sub)
    return tuple(found)


def _newest_first(records: Mapping[str, EventRecord]) -> list[tuple[str, EventRecord]]:
    """Order events' records by date and slug, newest first, as the site orders events."""
    return sorted(records.items(), key=lambda item: (item[1].date, item[0]), reverse=True)


def names_of(records: Mapping[str, EventRecord]) -> Names:
    """Return each topic's title and each side's name as the newest event that has it gives."""
    topics: dict[str, str] = {}
    sides: dict[str, str] = {}
    for _, record in _newest_first(records):
        for topic_id, title in record.topics.items():
            topics.setdefault(topic_id, title)
        for side_id, name in record.sides.items():
            sides.setdefault(side_id, name)
    return Names(dict(sorted(topics.items())), dict(sorted(sides.items())))


def page_inputs(records: Mapping[str, EventRecord]) -> dict[str, list[Input]]:
    """Return what each person's, topic's and side's page is made from: parts of events.

    A topic's page is also made of the parts of the people who voiced its earlier
    stances: their titles as of each stance's date come from those people's records.
    """
    found: dict[str, list[Input]] = {}
    for slug, record in sorted(records.items()):
        for page in record.parts:
            found.setdefault(page, []).append((slug, page))
    for record in records.values():
        for page, voices in record.voices.items():
            for voice in voices:
                found[page] += [
                    i for i in found.get(person_page(voice), []) if i not in found[page]
                ]
    return found


def page_keys(
    keys: PageKeys,
    records: Mapping[str, EventRecord],
    inputs: Mapping[str, Iterable[Input]],
    names: Names,
) -> dict[str, str]:
    """Key each person's, topic's and side's page by the digests of its parts and the names."""
    named = keys.digest(names)

    def key(page: str, made_of: Iterable[Input]) -> str:
        digests = sorted((slug, part, records[slug].parts[part]) for slug, part in made_of)
        return keys.key(TEMPLATES[page.split("/")[0]], named, digests)

    return {page: key(page, made_of) for page, made_of in inputs.items()}


def listing_keys(
    keys: PageKeys, records: Mapping[str, EventRecord], rows: Mapping[str, str]
) -> dict[str, str]:
    """Key the pages that list events, people, topics or sides by the rows they list.

    The home page and the feed list the newest events only; past ``HOME_EVENTS``, every
    year has an archive page (``archive/<year>.html``), and each lists which years have one.
    """
    order = newest_slugs(records)
    years = archive_years(records)
    home = [(slug, records[slug].row) for slug in order[:HOME_EVENTS]]
    found = {
        "index.html": keys.key("index.html", home, years),
        "feed.xml": keys.key("feed.xml", [(s, records[s].row) for s in order[:FEED_EVENTS]]),
    }
    for year, _ in years:
        listed = [(slug, records[slug].row) for slug in order if records[slug].date[:4] == year]
        found[archive_page(year)] = keys.key("archive.html", listed, years)
    for folder, template in INDEXES.items():
        listed = sorted((page, row) for page, row in rows.items() if page.startswith(f"{folder}/"))
        found[f"{folder}/index.html"] = keys.key(template, listed)
    return found


def newest_slugs(records: Mapping[str, EventRecord]) -> list[str]:
    """Return the events' slugs as the site lists them: by date and file name, newest first."""
    return sorted(records, key=lambda slug: (records[slug].date, slug), reverse=True)


def archive_years(records: Mapping[str, EventRecord]) -> list[tuple[str, int]]:
    """Return each year with an archive page and its count of events, newest first.

    None while the home page lists every event.
    """
    if len(records) <= HOME_EVENTS:
        return []
    counts = Counter(record.date[:4] for record in records.values())
    return sorted(counts.items(), reverse=True)


def archive_page(year: str) -> str:
    """Return the output path of a year's archive page."""
    return f"{ARCHIVE}/{year}.html"


def is_event_list(path: str) -> bool:
    """Tell whether a page lists events (home, feed, archive), not people, topics or sides."""
    return path in EVENT_LISTS or path.startswith(f"{ARCHIVE}/")
