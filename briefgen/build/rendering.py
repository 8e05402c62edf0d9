"""The build's rendering stage: each briefing's pages and PDFs, and the site's pages, staged.

Without PDFs, briefings are loaded, rendered and released in batches (in page worker
processes when there are many), so that a build's memory does not grow with the
workspace; with PDFs, every briefing is loaded at once, and a thread renders the pages
while worker processes render the PDFs. Nothing is written here: everything is staged
through the build's writer, which the pipeline commits.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from briefgen.build.context import Options, Workspace
from briefgen.build.keys import PDFS
from briefgen.build.manifest import BriefingRecord, Made, Manifest, SiteRecord
from briefgen.build.pagefind import PagefindRuns
from briefgen.build.plan import Planned, Prepared, prepare, record_of
from briefgen.build.progress import Reporter
from briefgen.build.search import index_early
from briefgen.build.site_stage import kept_listing, loaded_listing, stage_site, staged_listing
from briefgen.build.stages import (
    MadeNow,
    PlannedPdf,
    load_sources,
    plan_pdfs,
    stage_pages,
    stage_pdfs,
)
from briefgen.build.workers import CHUNK, Batch, render_batch, render_in_workers
from briefgen.errors import Diagnostic, Severity, SourceError
from briefgen.pdf.pool import PdfPool, render_pdfs
from briefgen.render.meta import BriefingMeta
from briefgen.site.pages import Listed
from briefgen.verify.check import LoadedSource
from briefgen.writer import OutputWriter

T = TypeVar("T")
BATCH = 32  # briefings a build without PDFs loads, renders and releases at a time
PARALLEL_FROM = 32  # briefings to render before page workers are worth starting


@dataclass(frozen=True)
class Tools:
    """The services one build owns: its progress reporter, PDF workers and Pagefind runs."""

    reporter: Reporter
    pool: PdfPool
    runs: PagefindRuns


@dataclass(frozen=True)
class Web:
    """What the pages thread made: each briefing's pages, the site's record, its warnings."""

    made: MadeNow
    site: SiteRecord | None
    warnings: list[Diagnostic]


@dataclass(frozen=True)
class Run:
    """One build under way: its workspace, options, the last build's memory, tools, writer."""

    ws: Workspace
    options: Options
    manifest: Manifest
    tools: Tools
    writer: OutputWriter


@dataclass
class Briefings:
    """What this build made of the briefings it loaded, kept once their sources are released.

    A briefing's record, meta, warnings and listing weigh a few kilobytes; its loaded
    source (the transcript, the document's marks, the verdicts) hundreds.
    """

    records: dict[str, BriefingRecord] = field(default_factory=dict)
    metas: dict[str, BriefingMeta] = field(default_factory=dict)
    warnings: dict[str, list[Diagnostic]] = field(default_factory=dict)
    listed: dict[str, Listed] = field(default_factory=dict)

    def add(self, p: Prepared, made: Mapping[str, Made], listed: Listed) -> None:
        """Keep what the build needs of one briefing loaded here, once its pages are staged."""
        self.keep(p.slug, record_of(p, made), p.meta, p.source.warnings, listed)

    def keep(
        self,
        slug: str,
        record: BriefingRecord,
        meta: BriefingMeta,
        warnings: Sequence[Diagnostic],
        listed: Listed,
    ) -> None:
        """Keep what the build needs of one briefing once its pages are staged."""
        self.records[slug], self.metas[slug] = record, meta
        self.warnings[slug], self.listed[slug] = list(warnings), listed


def render_outputs(
    now: Run, plans: Sequence[Planned]
) -> tuple[Briefings, SiteRecord | None, list[Diagnostic]]:
    """Render and stage the out-of-date pages, PDFs and site pages.

    Without PDFs, the briefings are loaded, rendered and released ``BATCH`` at a time, so
    that a build's memory does not grow with the workspace; the site pages are then made
    from each briefing's cache, as staged. Return what the build keeps of each briefing,
    the site's record, and warnings.
    """
    if any(PDFS in p.todo for p in plans):
        return render_with_pdfs(now, plans)
    now.tools.pool.close()  # workers started for PDFs that turned out current
    briefings = Briefings()
    todo = [p for p in plans if p.todo]
    count = page_workers(now.options, todo)
    batches = (
        render_in_workers(now.ws, todo, now.options, count, now.tools.reporter)
        if count > 1
        else batches_here(now, todo)
    )
    diagnostics = stage_batches(now, batches, briefings)
    if any(d.severity is Severity.ERROR for d in diagnostics):
        raise SourceError(diagnostics)
    site, warnings = render_site(now, plans, briefings.listed)
    return briefings, site, warnings


def batches_here(now: Run, todo: Sequence[Planned]) -> Iterator[Batch]:
    """Load, check and render the briefings in this process, ``BATCH`` at a time.

    Once a source has errors nothing more is rendered, but the rest are still checked, so
    that every problem is reported at once.
    """
    failed = False
    for start in range(0, len(todo), BATCH):
        plans = todo[start : start + BATCH]
        batch = render_batch(now.ws, now.options, plans, now.tools.reporter, render=not failed)
        failed = failed or any(d.severity is Severity.ERROR for d in batch.diagnostics)
        yield batch


def stage_batches(now: Run, batches: Iterable[Batch], briefings: Briefings) -> list[Diagnostic]:
    """Stage the briefings of each batch rendered (here, or by page workers); return every problem.

    After the first error nothing more is staged; the rest are still checked.
    """
    diagnostics: list[Diagnostic] = []
    for batch in batches:
        diagnostics += batch.diagnostics
        if any(d.severity is Severity.ERROR for d in diagnostics):
            continue
        for r in batch.rendered:
            now.writer.stage_all(r.files)
            listed = staged_listing(
                r.planned.path, r.record.key, r.display, r.meta, now.ws.out_dir, now.writer
            )
            briefings.keep(r.slug, r.record, r.meta, r.warnings, listed)
    return diagnostics


def page_workers(options: Options, todo: Sequence[Planned]) -> int:
    """Return how many processes render the briefings' pages: one, unless there are many.

    A worker takes about a second to start (it imports and opens the workspace), about
    what ten briefings take to render; a build of fewer than PARALLEL_FROM renders here.
    """
    if len(todo) < PARALLEL_FROM:
        return 1
    return max(1, min(options.workers or cpu_count(), len(todo) // CHUNK))


def render_with_pdfs(
    now: Run, plans: Sequence[Planned]
) -> tuple[Briefings, SiteRecord | None, list[Diagnostic]]:
    """Render every briefing at once: while worker processes render the PDFs, a thread the pages.

    The pool stays in this thread, so that an interrupt here still ends the workers.
    Pagefind indexes the briefings' shards while the site pages render, and the main
    bundle while the PDFs render.
    """
    sources = load_sources(plans, now.options, now.tools.reporter)
    prepared = prepared_now(now, [p for p in plans if p.todo], sources)
    pdfs, pdf_made = plan_pdfs(now.ws, prepared, now.options, now.tools.reporter)
    count = workers(now.options, pdfs)
    loaded = {p.slug: loaded_listing(p.source, p.meta) for p in prepared}

    def pages() -> Web:
        made = stage_pages(now.writer, now.ws, prepared, now.tools.reporter)
        site, warnings = render_site(now, plans, loaded)
        if pdfs:  # what is left to wait for
            now.tools.reporter.stage(f"Rendering {len(pdfs)} PDFs in {count} processes", None)
        return Web(made, site, warnings)

    thread = Background(pages)
    outputs = render_pdfs([pdf.job for pdf in pdfs], count, now.tools.pool)
    web = thread.result()
    pdf_warnings = stage_pdfs(now.writer, pdfs, outputs, {p.slug: p.source for p in prepared})
    made = merged(web.made, pdf_made)
    briefings = Briefings()
    for p in prepared:
        briefings.add(p, made.get(p.slug, {}), loaded[p.slug])
    return briefings, web.site, web.warnings + pdf_warnings


def prepared_now(
    now: Run, plans: Sequence[Planned], sources: Mapping[str, LoadedSource]
) -> list[Prepared]:
    """Number the loaded briefings' revisions and key their outputs; stage records and caches."""
    prepared = [prepare(p, sources[p.slug], now.ws, now.options) for p in plans]
    for briefing in prepared:
        now.writer.stage_all(briefing.files)
    return prepared


def render_site(
    now: Run, plans: Sequence[Planned], loaded: Mapping[str, Listed]
) -> tuple[SiteRecord | None, list[Diagnostic]]:
    """Render and stage the site's pages, indexing the staged briefings for search meanwhile."""
    index_early(now.tools.runs, now.ws, now.writer)  # the briefings' shards, while the site renders
    listed = [loaded[p.slug] if p.slug in loaded else kept_listing(p, now.ws) for p in plans]
    site, warnings = stage_site(
        now.writer, now.ws, listed, now.manifest, now.options, now.tools.reporter
    )
    index_early(now.tools.runs, now.ws, now.writer, main=True)  # while the PDFs render
    return site, warnings


def merged(*groups: MadeNow) -> MadeNow:
    """Merge what each briefing's groups of outputs were made of."""
    together: MadeNow = {}
    for made in groups:
        for slug, by_group in made.items():
            together.setdefault(slug, {}).update(by_group)
    return together


def workers(options: Options, pdfs: Sequence[PlannedPdf]) -> int:
    """Return how many PDF workers to render with."""
    return min(options.workers or cpu_count(), len(pdfs))


def cpu_count() -> int:
    """Return the number of CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


class Background(Generic[T]):
    """Run a function on a thread of its own; ``result()`` waits, and raises what it raised."""

    def __init__(self, work: Callable[[], T]) -> None:
        self.work = work
        self.value: T | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="briefgen-pages", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.value = self.work()
        except BaseException as exc:  # raised again in the build's thread by result()
            self.error = exc

    def result(self) -> T:
        """Wait for the function; return its value or raise its error."""
        self.thread.join()
        if self.error is not None:
            raise self.error
        assert self.value is not None
        return self.value
