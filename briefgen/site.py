"""The site around the briefings: people, topics and sides across events, feed, sitemap, search.

Across events, people are the same person when their speaker ``id`` is the same, topics the
same topic when their topic ``id`` is, and sides the same side when their side ``id`` is.
Names and titles shown for a person, topic or side are those of the newest event; a person
named differently in older sources lists those names as "also known as".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import logging
import os
import subprocess
import sys
import tempfile
import urllib.parse
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from . import markdown
from .check import LoadedSource
from .errors import Diagnostic, RenderError, Severity, SourceError
from .model import Briefing, Event, Side, Speaker, Topic
from .render import BriefingMeta, Renderer, SideView, citation_numbers, quote_views, side_view
from .writer import TEMP_PREFIX, OutputWriter

if TYPE_CHECKING:
    from .build import BuildResult, Workspace

logger = logging.getLogger(__name__)

Entry = tuple[LoadedSource, BriefingMeta]
SEARCH_DIR = "pagefind"
SEARCH_JS = "search.js"
SEARCH_STAMP = "briefgen-pages.sha256"
SEARCH_TIMEOUT = 300.0
SITE_FOLDERS = ("assets", "speakers", "topics", "sides", SEARCH_DIR)
_LAST = {"pagefind-entry.json": 1, SEARCH_STAMP: 2}


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
        return next((s for s in self.briefing.sides if s.id == side_id), None)

    def speaker(self, speaker_id: str | None) -> Speaker | None:
        """Return the speaker with this id in this event, if any."""
        return next((s for s in self.briefing.speakers if s.id == speaker_id), None)

    def topic(self, topic_id: str | None) -> Topic | None:
        """Return the topic with this id in this event, if any."""
        return next((t for t in self.briefing.topics if t.id == topic_id), None)


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

    def topic_title(self, topic_id: str) -> str:
        """Return a topic's newest title."""
        return next(t.topic.title for t in self.topics if t.id == topic_id)

    def side_name(self, side_id: str) -> str:
        """Return a side's newest name."""
        return next(s.name for s in self.sides if s.id == side_id)


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


def stances_of(event: EventView, speaker: Speaker) -> list[Statement]:
    """Return the positions (and earlier stances) a person voiced, as one event records them."""
    found = []
    for p in event.briefing.positions:
        topic, side = event.topic(p.topic), event.side(p.side)
        anchor = f"position-{p.side}-{p.topic}"
        if p.speaker == speaker.id:
            date = p.as_of or event.date
            found.append(Statement(date, "position", event, speaker, topic, side, p.stance, anchor))
        for past in p.history:
            if past.speaker == speaker.id:
                earlier = Statement(
                    past.as_of, "earlier", event, speaker, topic, side, past.stance, anchor
                )
                found.append(earlier)
    return found


def with_role_as_of(statement: Statement, events: Sequence[EventView]) -> Statement:
    """Give an earlier stance the title its speaker held then, where an older event records it."""
    if statement.kind != "earlier":
        return statement
    then = speaker_as_of(events, statement.speaker.id, statement.date)
    return replace(statement, speaker=then) if then is not None else statement


def quotes_of(event: EventView, speaker: Speaker) -> list[Statement]:
    """Return a person's quotes in one event, dated by the event."""
    b, side = event.briefing, event.side(speaker.side)
    return [
        Statement(event.date, "quote", event, speaker, event.topic(q.topic), side, q.text, anchor)
        for anchor, q in zip((f"quote-{a}" for a in b.quote_ids()), b.quotes, strict=True)
        if q.speaker == speaker.id
    ]


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
    grouped: dict[str, dict[tuple[dt.date, str], Stance]] = {}
    for stance in stances:
        key = (stance.date, markdown.plain_text(stance.text).casefold())
        grouped.setdefault(stance.side.id, {}).setdefault(key, stance)
    result = []
    for side_id in sorted(grouped, key=list(order).index):
        ordered = sorted(grouped[side_id].values(), key=lambda s: s.date)
        newest = next(s for e in covering if (s := e.side(side_id)) is not None)
        result.append(Track(newest, ordered))
    return result


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


def site_files(renderer: Renderer, entries: Sequence[Entry]) -> dict[str, bytes]:
    """Render the site-wide files: home, people, topics, sides, the search script and the feed."""
    check_slugs(entries)
    site = gather(entries)
    pages = {"index.html": renderer.index_page(list(entries))} | browse_pages(renderer, site)
    files = {path: html.encode("utf-8") for path, html in pages.items()}
    files[f"assets/{SEARCH_JS}"] = renderer.asset(SEARCH_JS)
    files["feed.xml"] = render_feed(renderer, site).encode("utf-8")
    return files


def browse_pages(renderer: Renderer, site: Site) -> dict[str, str]:
    """Render the index and the page of every person, topic and side, by output path."""

    def page(name: str, **context: object) -> str:
        return renderer.render(name, {"site": site, **context}, for_print=False)

    pages = {
        "speakers/index.html": page("speakers.html"),
        "topics/index.html": page("topics.html"),
        "sides/index.html": page("sides.html"),
    }
    pages |= {f"speakers/{page_file(p.id)}": page("speaker.html", p=p) for p in site.people}
    pages |= {f"topics/{page_file(t.id)}": page("topic.html", t=t) for t in site.topics}
    pages |= {f"sides/{page_file(s.id)}": page("side.html", s=s) for s in site.sides}
    return pages


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


def index_search(ws: Workspace, result: BuildResult) -> list[Path]:
    """Index the pages now in the output: the sitemap, and Pagefind's index when pages changed.

    Both run after the build's commit, over the pages actually published (those of
    earlier builds too), and are committed through a writer of their own.
    """
    if not ws.config.outputs.html:
        return []
    pages = published_pages(ws.out_dir)
    writer = OutputWriter(ws.out_dir, mtime=ws.pinned.timestamp() if ws.pinned else None)
    stage_sitemap(writer, ws, pages)
    bundle = search_bundle(ws, result, pages)
    for relative in sorted(bundle, key=lambda r: (_LAST.get(r, 0), r)):
        writer.stage(f"{SEARCH_DIR}/{relative}", bundle[relative])
    written = writer.commit()
    if bundle:
        remove_stale(ws.out_dir / SEARCH_DIR, set(bundle))
    return written


def published_pages(out_dir: Path) -> list[str]:
    """Return the output path of every page in the output, but the search bundle's and hidden."""
    pages = []
    for path in sorted(out_dir.rglob("*.html")):
        relative = path.relative_to(out_dir)
        if relative.parts[0] == SEARCH_DIR or any(p.startswith(".") for p in relative.parts):
            continue
        if path.is_file():
            pages.append(relative.as_posix())
    return pages


def stage_sitemap(writer: OutputWriter, ws: Workspace, pages: Sequence[str]) -> None:
    """Stage sitemap.xml (absolute URLs need base_url) when it changed; remove it without one."""
    target = ws.out_dir / "sitemap.xml"
    base = ws.config.base_url
    if not base:
        target.unlink(missing_ok=True)
        return
    urls = [site_url(base, page) for page in pages]
    data = ws.renderer.render("sitemap.xml", {"urls": urls}).encode("utf-8")
    if not target.is_file() or target.read_bytes() != data:
        writer.stage("sitemap.xml", data)


def search_bundle(ws: Workspace, result: BuildResult, pages: Sequence[str]) -> dict[str, bytes]:
    """Return Pagefind's files for pagefind/ (and its stamp); nothing when it is up to date.

    The stamp (a hash of the pages) vouches for the index; it is removed before a run, so
    that a run that fails leaves the next build to index again. Pagefind writes into a
    temporary folder, never into the output; the entry file is committed last, so that a
    reader never sees it name index files that are not there yet.
    """
    folder = ws.out_dir / SEARCH_DIR
    stamp = folder / SEARCH_STAMP
    indexed = stamp.is_file() and (folder / "pagefind.js").is_file()
    if indexed and not any(p.suffix == ".html" for p in result.written):
        return {}
    digest = pages_digest(ws.out_dir, pages)
    if indexed and stamp.read_bytes() == digest:
        logger.debug("search index is up to date")
        return {}
    stamp.unlink(missing_ok=True)
    return run_pagefind(ws.out_dir) | {SEARCH_STAMP: digest}


def pagefind_version() -> str:
    """Return the installed Pagefind binary's version (its output depends on it)."""
    try:
        return importlib.metadata.version("pagefind_bin")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def pages_digest(out_dir: Path, pages: Sequence[str]) -> bytes:
    """Hash every page Pagefind indexes, and Pagefind's version."""
    digest = hashlib.sha256(pagefind_version().encode())
    for relative in pages:
        data = (out_dir / relative).read_bytes()
        digest.update(f"{relative}\0{len(data)}\0".encode())
        digest.update(data)
    return (digest.hexdigest() + "\n").encode("ascii")


def run_pagefind(site_dir: Path) -> dict[str, bytes]:
    """Run Pagefind over a site into a temporary folder; return its files by relative path."""
    with tempfile.TemporaryDirectory(prefix="briefgen-search-") as temp:
        bundle = Path(temp) / "bundle"
        command = [sys.executable, "-m", "pagefind", "--site", str(site_dir)]
        command += ["--output-path", str(bundle), "--keep-index-url", "--silent"]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=SEARCH_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise RenderError(f"search index: Pagefind took over {SEARCH_TIMEOUT:.0f} s") from None
        if done.returncode != 0 or not (bundle / "pagefind.js").is_file():
            detail = (done.stderr or done.stdout).strip()[-2000:]
            raise RenderError(
                f"search index: Pagefind failed (is pagefind[bin] installed?)\n{detail}"
            )
        files = sorted(p for p in bundle.rglob("*") if p.is_file())
        return {p.relative_to(bundle).as_posix(): p.read_bytes() for p in files}


def remove_stale(folder: Path, keep: set[str]) -> None:
    """Remove files under the search folder that this index no longer has, and empty folders."""
    for current, _dirs, files in os.walk(folder, topdown=False):
        here = Path(current)
        for name in files:
            if name.startswith(TEMP_PREFIX):  # a concurrent commit's, not ours to remove
                continue
            if (here / name).relative_to(folder).as_posix() not in keep:
                (here / name).unlink()
        if here != folder and not any(here.iterdir()):
            here.rmdir()
