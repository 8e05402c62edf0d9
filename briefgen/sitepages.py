"""The site's own pages: home, the people, topics and sides, their indexes, and the feed.

Each page of a person, topic or side carries a key of what it shows, so that a build after
one edit renders only the pages that edit changed (see ``PageKeys``). The home page, the
three indexes and the feed list every briefing in a line or two each: they are rendered
every time the site is, and written only when their bytes changed.
"""

from __future__ import annotations

import copyreg
import datetime as dt
import functools
import hashlib
import io
import pickle
import urllib.parse
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pydantic

from . import markdown
from .errors import Diagnostic, Severity, SourceError
from .model import Briefing, Topic
from .render import Renderer
from .site import SITE_FOLDERS, Entry, EventParts, EventView, Site, TopicView, gather, page_file

SEARCH_JS = "search.js"


def check_slugs(entries: Iterable[Entry]) -> None:
    """A source named like a site folder (speakers, topics...) would overwrite its index."""
    message = "'{}' is the name of a folder of the site; rename the source file"
    problems = [
        Diagnostic(source.display, 1, 1, Severity.ERROR, "", message.format(source.slug))
        for source, _ in entries
        if source.slug in SITE_FOLDERS
    ]
    if problems:
        raise SourceError(problems)


@dataclass(frozen=True)
class SitePage:
    """One file of the site: its path, the key of what it shows (None: unkeyed), its maker."""

    path: str
    key: str | None
    make: Callable[[], bytes]


@dataclass(frozen=True)
class PartDigests:
    """The digest of what one event contributes to each site page, made for one ``stamp``."""

    stamp: str
    pages: Mapping[str, str]


@dataclass(frozen=True)
class SitePlan:
    """The site-wide files, and the digests of every event's parts that keyed them."""

    pages: list[SitePage]
    parts: dict[str, PartDigests]


def site_plan(
    renderer: Renderer,
    entries: Sequence[Entry],
    base: bytes,
    known: Mapping[str, PartDigests] | None = None,
) -> SitePlan:
    """List the site-wide files, keyed on ``base`` (templates, configuration) and what they show.

    ``known`` are the digests of each event's parts from the last build: an event whose
    stamp is unchanged is not hashed again.
    """
    check_slugs(entries)
    site = gather(entries)
    keys = PageKeys(base, known)
    pages = listing_pages(renderer, site, entries) + keyed_pages(renderer, site, keys)
    return SitePlan(pages, keys.recorded)


def listing_pages(renderer: Renderer, site: Site, entries: Sequence[Entry]) -> list[SitePage]:
    """List the unkeyed files: home, the three indexes, the search script and the feed."""

    def listing(name: str) -> Callable[[], bytes]:
        return lambda: renderer.render(name, {"site": site}, for_print=False).encode("utf-8")

    home = lambda: renderer.index_page(list(entries)).encode("utf-8")  # noqa: E731
    return [
        SitePage("index.html", None, home),
        SitePage("speakers/index.html", None, listing("speakers.html")),
        SitePage("topics/index.html", None, listing("topics.html")),
        SitePage("sides/index.html", None, listing("sides.html")),
        SitePage(f"assets/{SEARCH_JS}", None, lambda: renderer.asset(SEARCH_JS)),
        SitePage("feed.xml", None, lambda: render_feed(renderer, site).encode("utf-8")),
    ]


def keyed_pages(renderer: Renderer, site: Site, keys: PageKeys) -> list[SitePage]:
    """List the page of every person, topic and side, each keyed by the parts it is made of.

    A person's page is made of what each event records of them; a topic's of what each
    event records of it, and of the people who voiced its earlier stances (their titles
    as of each stance's date come from those people's records).
    """
    names = site.names()
    named = keys.digest(names)
    people = {p.id: p for p in site.people}

    def keyed(path: str, name: str, inputs: Iterable[Input], **view: object) -> SitePage:
        context = {"site": names, **view}  # the names, not the site: nothing unkeyed
        key = keys.page_key(name, named, inputs)
        html = lambda: renderer.render(name, context, for_print=False).encode("utf-8")  # noqa: E731
        return SitePage(path, key, html)

    def voices(t: TopicView) -> list[Input]:
        ids = dict.fromkeys(v for e in t.events for v in e.parts.topics[t.id].earlier_voices)
        return [(a.event, person_page(v)) for v in ids for a in people[v].appearances]

    pages = [
        keyed(
            person_page(p.id),
            "speaker.html",
            [(a.event, person_page(p.id)) for a in p.appearances],
            p=p,
        )
        for p in site.people
    ]
    pages += [
        keyed(
            topic_page(t.id),
            "topic.html",
            [(e, topic_page(t.id)) for e in t.events] + voices(t),
            t=t,
        )
        for t in site.topics
    ]
    return pages + [
        keyed(
            side_page(s.id), "side.html", [(a.event, side_page(s.id)) for a in s.appearances], s=s
        )
        for s in site.sides
    ]


def person_page(person_id: str) -> str:
    """Return the output path of a person's page."""
    return f"speakers/{page_file(person_id)}"


def topic_page(topic_id: str) -> str:
    """Return the output path of a topic's page."""
    return f"topics/{page_file(topic_id)}"


def side_page(side_id: str) -> str:
    """Return the output path of a side's page."""
    return f"sides/{page_file(side_id)}"


def site_files(renderer: Renderer, entries: Sequence[Entry]) -> dict[str, bytes]:
    """Render every site-wide file: home, people, topics, sides, the search script, the feed."""
    return {page.path: page.make() for page in site_plan(renderer, entries, b"").pages}


Input = tuple[EventView, str]  # an event, and the page whose part of it is meant


class PageKeys:
    """Key a page by the parts of events it is made from (see site.EventParts) and the names.

    A part's digest hashes a pickle of its values: equal pickles unpickle to equal values,
    and the site's views are made from parts alone, so two pages with one key render
    alike. In a pickle, a pydantic model stands as a hash of its JSON, and an event
    (``EventView``) as a hash of what these pages show of it beyond its parts: its file
    name, event details, cast (speakers, topics, sides) and whether it has a PDF. Its
    positions, quotes, transcript and revision reach the pages only through parts, which
    are hashed in full; tests/test_sitepages.py renders every page with those parts of
    each event taken away and checks that nothing changes.

    An event's part digests depend only on the event; they are kept between builds, by
    slug, with a stamp of its revision (a hash of its source, evidence, templates and
    configuration) and whether it has a PDF. An edit then hashes only the edited event.
    """

    def __init__(self, base: bytes, known: Mapping[str, PartDigests] | None = None) -> None:
        self.base = base
        self.known = known or {}
        self.recorded: dict[str, PartDigests] = {}
        # each model's or event's stand-in, by id; the object is kept so its id is not reused
        self.stand_ins: dict[int, tuple[object, tuple[Any, ...]]] = {}
        self.dispatch = copyreg.dispatch_table.copy()  # a dispatch table matches exact types
        self.dispatch.update(dict.fromkeys([*_model_types(), EventView], self.stand_in))

    def key(self, template: str, *values: object) -> str:
        """Return the key of a template rendered from these values."""
        return hashlib.sha256(self.base + self.pickled((template, values))).hexdigest()

    def digest(self, value: object) -> str:
        """Return a digest of a value, as keys see it."""
        return hashlib.sha256(self.pickled(value)).hexdigest()[:32]

    def page_key(self, template: str, names: str, inputs: Iterable[Input]) -> str:
        """Return the key of a page rendered from the named parts of events, and the names."""
        parts = sorted({(e.slug, page, self.parts_of(e)[page]) for e, page in inputs})
        return self.key(template, names, parts)

    def parts_of(self, event: EventView) -> Mapping[str, str]:
        """Return the digest of each of an event's parts, by page: kept, else hashed now."""
        recorded = self.recorded.get(event.slug)
        if recorded is None:
            stamp = f"{event.meta.revision}:{event.meta.has_pdf}"
            known = self.known.get(event.slug)
            if known is None or known.stamp != stamp:
                known = PartDigests(stamp, self.hashed(event.parts))
            recorded = self.recorded[event.slug] = known
        return recorded.pages

    def hashed(self, parts: EventParts) -> dict[str, str]:
        """Hash each part of an event, by the page it is part of."""
        found = {person_page(i): self.digest(part) for i, part in parts.people.items()}
        found |= {topic_page(i): self.digest(part) for i, part in parts.topics.items()}
        return found | {side_page(i): self.digest(part) for i, part in parts.sides.items()}

    def stand_in(self, value: pydantic.BaseModel | EventView) -> tuple[Any, ...]:
        """Return how a model or an event is pickled for a key: a hash of what it shows."""
        known = self.stand_ins.get(id(value))
        if known is not None:
            return known[1]
        if isinstance(value, EventView):
            b = value.briefing
            shown = self.pickled(
                (value.slug, b.event, b.speakers, b.topics, b.sides, value.meta.has_pdf)
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


@dataclass(frozen=True)
class FeedEntry:
    """One briefing in the Atom feed."""

    id: str
    title: str
    link: str
    published: str
    updated: str
    summary: str
    author: str
    topics: list[Topic]


def timestamp(date: dt.date) -> str:
    """Return an RFC 3339 timestamp for the start of a day (UTC)."""
    return f"{date.isoformat()}T00:00:00Z"


def site_url(base_url: str | None, relative: str) -> str:
    """Return the absolute URL of an output path, or the path itself without a base URL."""
    if not base_url:
        return relative
    return urllib.parse.urljoin(base_url.rstrip("/") + "/", relative)


def updated(b: Briefing) -> dt.date:
    """Return the latest of the event's last day and its sources' dates."""
    dates = [b.event.end_date or b.event.date] + [s.date for s in b.sources if s.date]
    return max(dates)


def feed_entry(event: EventView, renderer: Renderer) -> FeedEntry:
    """Describe one briefing for the feed; its id is its URL, else a UUID from its slug."""
    config, b = renderer.config, event.briefing
    link = site_url(config.base_url, f"{event.slug}/index.html")
    name = f"briefgen:{event.slug}"
    ident = link if config.base_url else f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"
    return FeedEntry(
        id=ident,
        title=b.event.title,
        link=link,
        published=timestamp(b.event.date),
        updated=timestamp(updated(b)),
        summary=markdown.plain_text(b.event.summary),
        author=config.organisation or b.event.host,
        topics=list(b.topics),
    )


def render_feed(renderer: Renderer, site: Site) -> str:
    """Render output/feed.xml: an Atom feed with one entry per briefing, newest first."""
    base = renderer.config.base_url
    entries = [feed_entry(event, renderer) for event in site.events]
    name = f"briefgen:feed:{renderer.config.organisation or ''}"
    feed = {
        "id": site_url(base, "feed.xml")
        if base
        else f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}",
        "home": site_url(base, "index.html"),
        "self": site_url(base, "feed.xml"),
        "updated": max((e.updated for e in entries), default=timestamp(dt.date(1970, 1, 1))),
        "entries": entries,
    }
    return renderer.render("feed.xml", {"feed": feed})
