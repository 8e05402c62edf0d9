"""Briefing books: each ``books/<name>.yaml`` built into ``output/books/<name>.pdf`` and a page.

A book is rebuilt when its file, any of its briefings or the templates changed: its key
hashes them and is kept in ``output/.briefgen/books/<name>.key``.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace

from briefgen.build.context import Workspace, add_chunk
from briefgen.build.plan import Planned, briefing_meta
from briefgen.build.revisions import advance
from briefgen.errors import RenderError, SourceError
from briefgen.paths import display_path
from briefgen.pdf import PdfJob, PdfOutput, render_pdfs
from briefgen.render.book import book_html
from briefgen.render.meta import BriefingMeta
from briefgen.source.book import LoadedBook, load_books
from briefgen.verify.check import LoadedSource, load_sources
from briefgen.writer import OutputWriter

logger = logging.getLogger(__name__)

STATE = ".briefgen/books"
Chapters = dict[str, tuple[LoadedSource, BriefingMeta]]


def checked_books(ws: Workspace) -> list[LoadedBook]:
    """Load every book, or raise SourceError with all their located problems at once."""
    books, problems = load_books(ws.root, {path.stem: path for path in ws.files})
    if problems:
        raise SourceError(problems)
    return books


def book_key(ws: Workspace, book: LoadedBook, ids: dict[str, str]) -> str:
    """Key a book by its file, its chapters' content ids and the templates."""
    digest = hashlib.sha256(ws.template_digest)
    add_chunk(digest, "book", book.raw)
    for part in book.parts:
        add_chunk(digest, part.slug, ids.get(part.slug, "").encode())
    return digest.hexdigest()


def content_ids(plans: Sequence[Planned], metas: Mapping[str, BriefingMeta]) -> dict[str, str]:
    """Return each briefing's content id as this build leaves it."""
    ids = {p.slug: p.meta.content_id for p in plans if p.meta is not None}
    return ids | {slug: meta.content_id for slug, meta in metas.items()}


def chapters_of(ws: Workspace, book: LoadedBook, metas: Mapping[str, BriefingMeta]) -> Chapters:
    """Return each chapter's checked source (loaded again) and metadata: as built now, or before.

    The build released the sources of the briefings it rendered; a book, a few of them,
    loads its chapters' again.
    """
    by_slug = {path.stem: path for path in ws.files}
    found: Chapters = {}
    for source in load_sources([by_slug[part.slug] for part in book.parts]):
        meta = metas.get(source.slug)
        if meta is None:
            revision = advance(ws.out_dir, source, ws.when.date()).revision
            meta = briefing_meta(source, ws, revision)
        found[source.slug] = (source, meta)
    return {part.slug: found[part.slug] for part in book.parts}


def stage_books(
    writer: OutputWriter,
    ws: Workspace,
    plans: Sequence[Planned],
    metas: Mapping[str, BriefingMeta],
    timeout: float | None,
    force: bool = False,
) -> None:
    """Build and stage every out-of-date book; raise RenderError if one fails to render."""
    ids = content_ids(plans, metas)
    stale = []
    for book in checked_books(ws):
        key = book_key(ws, book, ids)
        state = ws.out_dir / STATE / f"{book.name}.key"
        current = state.is_file() and state.read_text(encoding="utf-8").strip() == key
        made = (ws.out_dir / "books" / f"{book.name}.pdf").is_file()
        if force or not current or not made:
            stale.append((book, key))
    jobs, pages = [], {}
    for book, key in stale:
        chapters = chapters_of(ws, book, metas)
        html = book_html(ws.renderer, book, chapters)
        seconds, memory = ws.pdf_limits(timeout)
        job = PdfJob(f"book-{book.name}", html, ws.root, created=ws.when, timeout=seconds)
        jobs.append(replace(job, memory=memory))
        pages[book.name] = (ws.renderer.book_page(book, chapters), key)
    for (book, _), output in zip(stale, render_pdfs(jobs) if jobs else [], strict=True):
        if isinstance(output, RenderError):
            raise RenderError(f"{display_path(book.path)}: {output}", failed=[])
        assert isinstance(output, PdfOutput)
        page, key = pages[book.name]
        writer.stage(f"books/{book.name}.pdf", output.data)
        writer.stage(f"books/{book.name}/index.html", page.encode("utf-8"))
        writer.stage(f"{STATE}/{book.name}.key", (key + "\n").encode())
        logger.info("built book %s", book.name)
