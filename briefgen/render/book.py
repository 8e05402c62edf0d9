"""A briefing book's print HTML: cover, cover memo, contents, chapters, one participants index."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from briefgen.render.environment import checked_context
from briefgen.render.meta import BriefingMeta
from briefgen.verify.check import LoadedSource

if TYPE_CHECKING:
    from briefgen.render.environment import Renderer
    from briefgen.source.book import LoadedBook

_IDS = re.compile(r'\b(id|aria-labelledby|aria-describedby|href)="(#?)([^"\s]+)"')


@dataclass(frozen=True)
class Chapter:
    """One briefing as a chapter: its number, anchor, title, section and rendered body."""

    number: int
    anchor: str
    title: str
    section: str | None
    kind: str
    body: Markup


@dataclass
class Person:
    """Someone in the participants index: each title held at the book's events, and where."""

    name: str
    held: dict[tuple[str, str], list[Chapter]] = field(default_factory=dict)


def _scoped(html: str, anchor: str) -> Markup:
    """Prefix a chapter's ids and in-page links with its anchor: chapters share one page."""

    def scope(match: re.Match[str]) -> str:
        name, hash_, value = match.groups()
        if name == "href" and not hash_:
            return match.group(0)  # a link out of the book stays as it is
        return f'{name}="{hash_}{anchor}--{value}"'

    return Markup(_IDS.sub(scope, html))


def chapters(
    renderer: Renderer, book: LoadedBook, sources: dict[str, tuple[LoadedSource, BriefingMeta]]
) -> list[Chapter]:
    """Render each chapter's body: the briefing's memo or full brief, ids scoped to it."""
    found = []
    for number, part in enumerate(book.parts, 1):
        source, meta = sources[part.slug]
        template = "_memo.html" if part.as_ == "memo" else "_briefing.html"
        context = checked_context(source, meta) | {"chapter_template": template}
        logo = renderer.logo_uri()
        html = renderer.render("_book_chapter.html", context, for_print=True, logo_uri=logo)
        anchor = f"ch-{part.slug}-{part.as_}"
        title = source.briefing.event.title
        found.append(Chapter(number, anchor, title, part.section, part.as_, _scoped(html, anchor)))
    return found


def participants(
    chapters: Sequence[Chapter], sources: Sequence[tuple[LoadedSource, BriefingMeta]]
) -> list[Person]:
    """Index every person once, with each title they held at the events in the book."""
    people: dict[str, Person] = {}
    for chapter, (source, _) in zip(chapters, sources, strict=True):
        for speaker in source.briefing.speakers:
            person = people.setdefault(speaker.id, Person(speaker.name))
            person.held.setdefault((speaker.title, speaker.affiliation), []).append(chapter)
    return sorted(people.values(), key=lambda p: (p.name.split()[-1].casefold(), p.name))


def book_html(
    renderer: Renderer, book: LoadedBook, sources: dict[str, tuple[LoadedSource, BriefingMeta]]
) -> str:
    """Return the self-contained HTML WeasyPrint turns into the book's PDF."""
    made = chapters(renderer, book, sources)
    in_order = [sources[part.slug] for part in book.parts]
    sections: list[tuple[str | None, list[Chapter]]] = []
    for chapter in made:
        if not sections or sections[-1][0] != chapter.section:
            sections.append((chapter.section, []))
        sections[-1][1].append(chapter)
    context: dict[str, Any] = {
        "book": book.book,
        "sections": sections,
        "people": participants(made, in_order),
    }
    return renderer.print_page("book_print.html", context)
