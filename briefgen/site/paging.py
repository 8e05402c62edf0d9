"""Pages of people, topics and sides that run past ``PER_PAGE`` events, split newest first.

A regular speaker's page would otherwise list every event of the workspace's years on
one page. Page 1 (``speakers/<id>.html``) shows the newest ``PER_PAGE`` events; page n
(``speakers/<id>/page-<n>.html``) the next older ones. Every page keeps the person's,
topic's or side's header as the newest event gives it; only the lists are split.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from briefgen.site.views import Person, SidePage, TopicView, Track, newest_events

PER_PAGE = 100
_SUFFIX = ".html"


@dataclass(frozen=True)
class Pager:
    """Where one page stands among the pages of a person, topic or side."""

    page: str  # the first page's output path, such as speakers/knapper.html
    number: int
    count: int
    events: int  # in all the pages

    @property
    def up(self) -> str:
        """Return the way from this page to the output's root."""
        return "../" * (self.page.count("/") + (self.number > 1))

    def href(self, number: int) -> str:
        """Return the link from this page to page ``number`` of the same pages."""
        name = self.page.rsplit("/", 1)[-1].removesuffix(_SUFFIX)
        if self.number == 1:
            return f"{name}/page-{number}.html" if number > 1 else f"{name}.html"
        return f"page-{number}.html" if number > 1 else f"../{name}.html"

    @property
    def first(self) -> int:
        """Return the number (from 1, newest first) of the first event this page lists."""
        return (self.number - 1) * PER_PAGE + 1

    @property
    def last(self) -> int:
        """Return the number of the last event this page lists."""
        return min(self.number * PER_PAGE, self.events)


def page_count(events: int) -> int:
    """Return how many pages list ``events`` events."""
    return max(1, math.ceil(events / PER_PAGE))


def continuation(page: str, number: int) -> str:
    """Return the output path of page ``number`` (from 2) of a person's, topic's or side's pages."""
    return f"{page.removesuffix(_SUFFIX)}/page-{number}{_SUFFIX}"


def shown(view: Any, pager: Pager) -> Any:
    """Return the part of a person's, topic's or side's view that one of its pages lists."""
    if pager.count == 1:
        return view
    if isinstance(view, Person):
        appearances = view.appearances[pager.first - 1 : pager.last]
        slugs = {a.event.slug for a in appearances}
        statements = [s for s in view.statements if s.event.slug in slugs]
        return Person(view.id, appearances, statements)
    if isinstance(view, SidePage):
        return SidePage(view.id, view.appearances[pager.first - 1 : pager.last])
    if isinstance(view, TopicView):
        newest = newest_events(view.events)[pager.first - 1 : pager.last]
        slugs = {e.slug for e in newest}
        tracks = [
            Track(t.side, [s for s in t.stances if s.event.slug in slugs]) for t in view.tracks
        ]
        return TopicView(
            view.topic,
            view.description,
            [e for e in view.events if e.slug in slugs],
            [t for t in tracks if t.stances],
            [q for q in view.quotes if q.event.slug in slugs],
        )
    raise TypeError(f"no pages of {type(view).__name__}")
