"""Briefing books: ``books/<name>.yaml`` binds briefings into one PDF for a trip or a hearing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from briefgen.errors import Diagnostic, SourceError
from briefgen.paths import display_path
from briefgen.source.loader import Document, Loc, load_bytes, read_bytes
from briefgen.source.model import SLUG_PATTERN, Date, Markdown, Strict, Text
from briefgen.source.schema import validate_document

BOOKS_DIR = "books"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]


class Chapter(Strict):
    """One briefing in the book, as its memo or its full brief."""

    slug: Slug = Field(description="The briefing's source name: sources/<slug>.yaml.")
    as_: Literal["memo", "full"] = Field("full", alias="as", description="memo or full.")


Entry = Slug | Chapter


class Section(Strict):
    """A group of chapters under one heading: 'Day 1 — Seoul'."""

    title: Text
    contents: list[Entry] = Field(min_length=1)


class Book(Strict):
    """The root of a ``books/<name>.yaml`` file."""

    title: Text
    subtitle: Text | None = None
    date: Date
    prepared_for: Text | None = None
    purpose: Markdown = Field(description="The cover memo (Markdown).")
    contents: list[Entry] = Field(default_factory=list, description="Chapters outside sections.")
    sections: list[Section] = Field(default_factory=list)


@dataclass(frozen=True)
class Part:
    """A chapter with where it sits: its section (if any) and its place in the file."""

    slug: str
    as_: str
    section: str | None
    loc: Loc


@dataclass(frozen=True)
class LoadedBook:
    """A validated book file: its name, model, chapters in order, and the bytes it came from."""

    name: str
    path: Path
    book: Book
    parts: list[Part]
    raw: bytes


def _parts(book: Book) -> Iterator[Part]:
    """Yield every chapter in reading order: the loose ones, then each section's."""
    groups: list[tuple[str | None, list[Entry], Loc]] = [(None, book.contents, ("contents",))]
    groups += [
        (s.title, s.contents, ("sections", n, "contents")) for n, s in enumerate(book.sections)
    ]
    for section, entries, where in groups:
        for n, entry in enumerate(entries):
            slug, as_ = (entry.slug, entry.as_) if isinstance(entry, Chapter) else (entry, "full")
            yield Part(slug, as_, section, (*where, n))


def load_book(path: Path, sources: dict[str, Path], display: str) -> LoadedBook:
    """Load and check one book file; raise SourceError with every located problem."""
    raw = read_bytes(path, display)
    document: Document = load_bytes(raw, display)
    book, diagnostics = validate_document(document, Book)
    parts = list(_parts(book)) if book is not None else []
    diagnostics += _references(document, book, parts, sources)
    if book is None or diagnostics:
        raise SourceError(sorted(diagnostics))
    return LoadedBook(path.stem, path, book, parts, raw)


def _references(
    document: Document, book: Book | None, parts: list[Part], sources: dict[str, Path]
) -> list[Diagnostic]:
    """Report chapters naming no source, chapters given twice, and an empty book."""
    found: list[Diagnostic] = []
    seen: set[tuple[str, str]] = set()
    for part in parts:
        at = part.loc if isinstance(_entry_at(document, part.loc), str) else (*part.loc, "slug")
        if part.slug not in sources:
            found.append(document.diagnostic(at, f"no briefing '{part.slug}' in sources/"))
        elif (part.slug, part.as_) in seen:
            message = f"'{part.slug}' is already in this book as its {part.as_} brief"
            found.append(document.diagnostic(at, message.replace("memo brief", "memo")))
        seen.add((part.slug, part.as_))
    if book is not None and not parts:
        found.append(document.diagnostic((), "the book has no chapters: add contents or sections"))
    return found


def _entry_at(document: Document, loc: Loc) -> object:
    """Return the raw value at a location of the document's data."""
    value: object = document.data
    for key in loc:
        value = value[key]  # type: ignore[index]
    return value


def load_books(root: Path, sources: dict[str, Path]) -> tuple[list[LoadedBook], list[Diagnostic]]:
    """Load every book of the workspace; return those that load and every located problem."""
    folder = root / BOOKS_DIR
    books: list[LoadedBook] = []
    problems: list[Diagnostic] = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            books.append(load_book(path, sources, display_path(path)))
        except SourceError as exc:
            problems += exc.diagnostics
    return books, problems


def check_books(root: Path, sources: dict[str, Path]) -> list[Diagnostic]:
    """Return every located problem in the workspace's book files (for ``briefgen check``)."""
    return load_books(root, sources)[1]
