"""The site's own pages: home, the people, topics and sides, their indexes, and the feed.

Every page carries a key of what it is made from (sitekeys.py), so that a build after one
edit renders only the pages whose keys changed, and loads only the sources those pages are
made from: a stance edited in one briefing re-renders its person's, topic's and side's
pages from the briefings they cover, and leaves the home page, the indexes and the feed
(which list every briefing, person, topic or side in a line) as they are.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
import uuid
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from briefgen.render import markdown
from briefgen.render.environment import Renderer
from briefgen.render.meta import BriefingMeta
from briefgen.site.gather import gather_views
from briefgen.site.keys import (
    ARCHIVE,
    FEED_EVENTS,
    HOME_EVENTS,
    INDEXES,
    TEMPLATES,
    EventRecord,
    PageKeys,
    archive_years,
    is_event_list,
    listing_keys,
    names_of,
    newest_slugs,
    page_inputs,
    page_keys,
    stamp,
)
from briefgen.site.paging import Pager, continuation, page_count, shown
from briefgen.site.titles import memberships_of, person_timeline, titles_of, topic_timeline
from briefgen.site.urls import person_page, side_page, topic_page
from briefgen.site.views import (
    Built,
    EventView,
    Names,
    Person,
    SidePage,
    Site,
    TopicView,
)
from briefgen.source.model import Briefing, Topic
from briefgen.verify.check import LoadedSource

SEARCH_JS = "search.js"
VIEWS = {"speakers": "p", "topics": "t", "sides": "s"}  # what the page templates call their view
ROWS = {"speakers": "people", "topics": "topics", "sides": "sides"}  # and the indexes their rows


@dataclass(frozen=True)
class Listed:
    """A briefing the site lists: its name, file and meta, and its source (loaded if asked)."""

    slug: str
    display: str
    meta: BriefingMeta
    source: Callable[[], LoadedSource]


@dataclass(frozen=True)
class Kept:
    """What the last build kept of the site: each event's record, each page's row digest.

    ``current`` tells whether a page made with a key is still in the output as made.
    """

    events: Mapping[str, EventRecord]
    rows: Mapping[str, str]
    current: Callable[[str, str], bool]


@dataclass(frozen=True)
class SitePage:
    """One file of the site: its path, the key of what it shows (None: unkeyed), its maker.

    A page whose key shows it current has no maker: it is kept as it is.
    """

    path: str
    key: str | None
    make: Callable[[], bytes] | None


@dataclass(frozen=True)
class SitePlan:
    """The site-wide files, and what the next build keeps: each event's record, page rows."""

    pages: list[SitePage]
    events: dict[str, EventRecord]
    rows: dict[str, str]


def site_plan(
    renderer: Renderer, listed: Sequence[Listed], base: bytes, kept: Kept | None = None
) -> SitePlan:
    """Key every site-wide file on ``base`` (templates, configuration) and what it is made of.

    Only the files whose keys differ from what ``kept`` shows current get a maker, and
    only the sources they are made from are loaded: the page of a person, topic or side
    needs the briefings it covers; the home page, the feed and the indexes need them all.
    A person's, topic's or side's pages past the first (paging.py) share its key.
    """
    kept = kept or Kept({}, {}, lambda path, key: False)
    keys, views = PageKeys(base), Views(listed)
    records = {e.slug: _record(keys, views, kept.events.get(e.slug), e) for e in listed}
    inputs, names = page_inputs(records), names_of(records)
    keyed = page_keys(keys, records, inputs, names)
    pagers = pagers_of(records, keyed)
    paged = later_pages(keys, keyed, pagers)
    todo = {
        page for page, key in keyed.items() if page not in kept.rows or not kept.current(page, key)
    }
    todo |= {path for path, key in paged.items() if not kept.current(path, key)}
    firsts = {pagers[path].page for path in todo}
    site = gather_views([views[slug] for slug in _made_of(firsts, inputs)], firsts)
    made = views_by_page(site)
    rows = {page: kept.rows[page] for page in keyed if page not in todo}
    rows |= {page: keys.digest(made[page].row) for page in todo if page in keyed}
    listing = listing_keys(keys, records, rows)
    listing_todo = {path for path, key in listing.items() if not kept.current(path, key)}
    if any(not is_event_list(path) for path in listing_todo):  # every person, topic or side
        site = gather_views([views[e.slug] for e in listed])
        made = views_by_page(site)
    makers = {
        page: page_maker(renderer, names, made[pagers[page].page], pagers[page]) for page in todo
    }
    events = Listing(newest_slugs(records), archive_years(records), records)
    makers |= {path: listing_maker(renderer, site, views, path, events) for path in listing_todo}
    everything = keyed | paged | listing
    pages = [SitePage(path, key, makers.get(path)) for path, key in everything.items()]
    pages.append(SitePage(f"assets/{SEARCH_JS}", None, lambda: renderer.asset(SEARCH_JS)))
    return SitePlan(pages, records, rows)


def later_pages(
    keys: PageKeys, keyed: Mapping[str, str], pagers: Mapping[str, Pager]
) -> dict[str, str]:
    """Key each page past the first: by its first page's key and its number."""
    return {
        path: keys.key("page", keyed[p.page], p.number)
        for path, p in pagers.items()
        if p.number > 1
    }


def pagers_of(records: Mapping[str, EventRecord], keyed: Mapping[str, str]) -> dict[str, Pager]:
    """Return the pager of every page of the people, topics and sides (first pages too), by path.

    How many pages each has follows from how many events it covers, as their records show.
    """
    counts = Counter(page for record in records.values() for page in record.parts)
    found = {}
    for page in keyed:
        count = page_count(counts[page])
        for number in range(1, count + 1):
            path = continuation(page, number) if number > 1 else page
            found[path] = Pager(page, number, count, counts[page])
    return found


class Views:
    """Each listed briefing as the site sees it, its source loaded when first asked for."""

    def __init__(self, listed: Iterable[Listed]) -> None:
        self.listed = {e.slug: e for e in listed}
        self.made: dict[str, EventView] = {}

    def __getitem__(self, slug: str) -> EventView:
        """Return a briefing's view, loading its source if need be."""
        if slug not in self.made:
            e = self.listed[slug]
            self.made[slug] = EventView(slug, e.source().briefing, e.meta)
        return self.made[slug]

    def entries(self, slugs: Iterable[str]) -> list[Built]:
        """Return some listed briefings' sources and metas, in the order given (loading them)."""
        return [(self.listed[slug].source(), self.listed[slug].meta) for slug in slugs]


def _record(keys: PageKeys, views: Views, kept: EventRecord | None, e: Listed) -> EventRecord:
    """Return a briefing's record: the one kept, if made for it as it is now, else a new one."""
    if kept is not None and kept.stamp == stamp(e.meta):
        return kept
    return keys.record(views[e.slug])


def _made_of(pages: Collection[str], inputs: Mapping[str, Iterable[tuple[str, str]]]) -> list[str]:
    """Return the briefings some pages are made from, by slug."""
    return sorted({slug for page in pages for slug, _ in inputs[page]})


def views_by_page(site: Site) -> dict[str, Any]:
    """Return the view of each person's, topic's and side's page of a site, by page."""
    found: dict[str, Any] = {person_page(p.id): p for p in site.people}
    found |= {topic_page(t.id): t for t in site.topics}
    return found | {side_page(s.id): s for s in site.sides}


def page_maker(renderer: Renderer, names: Names, view: Any, pager: Pager) -> Callable[[], bytes]:
    """Return the maker of one of a person's, topic's or side's pages: the one ``pager`` is at."""
    folder = pager.page.split("/")[0]
    # the names, not the site: nothing unkeyed
    context = {"site": names, VIEWS[folder]: view, "shown": shown(view, pager), "pager": pager}
    context["timeline"] = ""
    if isinstance(view, Person):  # the registry is keyed with the templates
        context["titles"] = titles_of(view)
        context["memberships"] = memberships_of(renderer.root, view.id)
        context["timeline"] = person_timeline(context["shown"])
    elif isinstance(view, TopicView):
        context["timeline"] = topic_timeline(context["shown"])
    return lambda: renderer.render(TEMPLATES[folder], context, for_print=False).encode("utf-8")


@dataclass(frozen=True)
class Listing:
    """The events as the site lists them: slugs newest first, years with archive pages."""

    order: list[str]
    years: list[tuple[str, int]]
    records: Mapping[str, EventRecord]

    def of_year(self, year: str) -> list[str]:
        """Return the slugs of a year's events, newest first."""
        return [slug for slug in self.order if self.records[slug].date[:4] == year]


def listing_maker(
    renderer: Renderer, site: Site, views: Views, path: str, events: Listing
) -> Callable[[], bytes]:
    """Return the maker of a page that lists briefings, people, topics or sides.

    The home page, the feed and an archive page load only the briefings they list.
    """
    total = len(events.order)
    if path == "index.html":
        home = events.order[:HOME_EVENTS]
        return lambda: renderer.index_page(views.entries(home), events.years, total).encode()
    if path == "feed.xml":
        newest = [views[slug] for slug in events.order[:FEED_EVENTS]]
        return lambda: render_feed(renderer, newest).encode("utf-8")
    if path.startswith(f"{ARCHIVE}/"):
        year = path.removeprefix(f"{ARCHIVE}/").removesuffix(".html")
        listed = events.of_year(year)
        return lambda: renderer.archive_page(year, views.entries(listed), events.years).encode()
    folder = path.split("/")[0]
    gathered: dict[str, Sequence[Person | TopicView | SidePage]] = {
        "speakers": site.people,
        "topics": site.topics,
        "sides": site.sides,
    }
    context = {ROWS[folder]: [view.row for view in gathered[folder]]}
    return lambda: renderer.render(INDEXES[folder], context, for_print=False).encode("utf-8")


def site_files(renderer: Renderer, entries: Sequence[Built]) -> dict[str, bytes]:
    """Render every site-wide file: home, people, topics, sides, the search script, the feed."""
    listed = [Listed(s.slug, s.display, m, lambda s=s: s) for s, m in entries]  # type: ignore[misc]
    plan = site_plan(renderer, listed, b"")
    return {page.path: page.make() for page in plan.pages if page.make is not None}


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


def render_feed(renderer: Renderer, events: Sequence[EventView]) -> str:
    """Render output/feed.xml: an Atom feed with one entry per briefing (newest first)."""
    base = renderer.config.base_url
    entries = [feed_entry(event, renderer) for event in events]
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
