"""The build: load every source, render every page and PDF, then write it all in one commit.

``build()`` reads as the pipeline does: plan what is out of date, load and check the
sources, number their revisions, render the pages (and the site's) and the PDFs
(rendering.py), then write everything at once, and index what was published for search.
Each stage returns what it made; nothing is written before every stage has succeeded.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing, contextmanager, suppress
from dataclasses import replace
from pathlib import Path
from typing import Unpack

from briefgen.build.books import stage_books
from briefgen.build.context import BuildResult, Options, OptionValues, Workspace, open_workspace
from briefgen.build.keys import PDFS
from briefgen.build.manifest import (
    MANIFEST,
    BriefingRecord,
    Manifest,
    SiteRecord,
    read_manifest,
)
from briefgen.build.pagefind import PagefindRuns
from briefgen.build.plan import Planned, plan
from briefgen.build.progress import Reporter, Summary
from briefgen.build.rendering import Run, Tools, cpu_count, render_outputs
from briefgen.build.search import index_search
from briefgen.errors import (
    Diagnostic,
    RenderError,
    SearchError,
    Severity,
    SourceError,
    UsageError,
)
from briefgen.paths import display_path, find_root, source_files
from briefgen.pdf.pool import PdfPool
from briefgen.writer import read_or_none, remove_outputs

logger = logging.getLogger(__name__)

GC_THRESHOLD = 100_000  # allocations between collections of the youngest objects


def build(
    paths: list[Path],
    output: Path | None = None,
    *,
    reporter: Reporter | None = None,
    pool: PdfPool | None = None,
    **options: Unpack[OptionValues],
) -> BuildResult:
    """Build the briefings of ``paths`` (files or folders) into ``output``; never prints.

    Nothing is written unless every source loads and every page and PDF renders. Work
    whose inputs are unchanged since the last build into ``output`` is skipped, unless
    ``force``; the other options are those of ``Options``. Progress goes to ``reporter``
    (default: a silent one). A ``pool`` of PDF workers started earlier (the CLI starts
    one before importing this module) is used and closed.
    """
    started = time.monotonic()
    reporter = reporter or Reporter()
    opts = Options(**options)
    # the PDF workers and Pagefind runs end however the build ends
    with (
        closing(pool or PdfPool(0)) as pdf_pool,
        closing(PagefindRuns()) as runs,
        fewer_collections(),
    ):
        ws = workspace(paths, output, opts)
        plans: list[Planned] = []
        try:
            check_unique_slugs(ws.files)
            manifest = read_manifest(ws.out_dir)
            plans = [plan(path, ws, manifest.briefings, opts) for path in ws.files]
            result = run(ws, plans, manifest, opts, Tools(reporter, pdf_pool, runs))
        except BaseException as exc:
            reporter.finished(failed_summary(exc, plans, time.monotonic() - started))
            raise
    elapsed = time.monotonic() - started
    counts = len(result.built), len(result.unchanged), 0, elapsed, len(result.removed)
    reporter.finished(Summary(*counts))
    logger.info("built %d briefings in %.1f s", len(result.built), elapsed)
    return replace(result, elapsed=elapsed)


def workspace(paths: list[Path], output: Path | None, options: Options) -> Workspace:
    """Find the sources of ``paths`` and the workspace they belong to."""
    files = source_files(paths)
    if not files:
        raise UsageError(f"no source files in {', '.join(str(p) for p in paths)}")
    return open_workspace(find_root(files[0]), files, output, options)


def run(
    ws: Workspace, plans: Sequence[Planned], manifest: Manifest, options: Options, tools: Tools
) -> BuildResult:
    """Run the stages after planning: load, render pages and PDFs, write, index for search."""
    start_pdf_workers(tools.pool, plans, options)
    now = Run(ws, options, manifest, tools, ws.writer())
    try:
        return publish(now, plans)
    finally:
        now.writer.discard()  # after a failure, the staged files' spool goes too


def publish(now: Run, plans: Sequence[Planned]) -> BuildResult:
    """Render and stage everything out of date, write it in one commit, index it for search."""
    ws, manifest, tools = now.ws, now.manifest, now.tools
    removed = removed_briefings(ws, manifest, plans)
    briefings, site, warnings = render_outputs(now, plans)
    stage_books(now.writer, ws, plans, briefings.metas, now.options.pdf_timeout, now.options.force)
    stage_manifest(now, briefings.records, site, removed)
    tools.reporter.stage("Writing", 1)
    written = now.writer.commit()
    unmade = manifest.unchanged(ws.out_dir, gone(manifest, site) + outputs_of(manifest, removed))
    taken = remove_outputs(ws.out_dir, unmade)
    for relative in taken:
        logger.info("removed %s: no briefing makes it any more", relative)
    prune_folders(ws.out_dir, removed)
    try:
        written += index_search(ws, written, tools.runs, taken)  # the sitemap and search index
    except RenderError as exc:
        kept = "the pages were written; search still finds what the last index held"
        raise SearchError(f"{exc} ({kept})", [p.slug for p in plans if p.todo]) from exc
    return BuildResult(
        output=ws.out_dir,
        built=[p.slug for p in plans if p.todo],
        written=written,
        warnings=briefing_warnings(plans, briefings.warnings) + warnings,
        unchanged=[p.slug for p in plans if not p.todo],
        removed=removed,
    )


def briefing_warnings(
    plans: Sequence[Planned], loaded: Mapping[str, Sequence[Diagnostic]]
) -> list[Diagnostic]:
    """Return every briefing's warnings in file order: as loaded now, or as cached."""
    return [d for p in plans for d in loaded.get(p.slug, p.warnings)]


def stage_manifest(
    now: Run, built: dict[str, BriefingRecord], site: SiteRecord | None, removed: list[str]
) -> None:
    """Stage the manifest, last: it is committed after the outputs it describes."""
    if not built and not removed and site is now.manifest.site and not now.writer.staged:
        return  # nothing this build did changes it (re-serialising 2,000 records took 1 s)
    kept = {slug: r for slug, r in now.manifest.briefings.items() if slug not in removed}
    made = Manifest({**kept, **built}, site)
    updated = made.digested(now.writer.staged_files(), now.manifest).dumps()
    if updated != read_or_none(now.ws.out_dir / MANIFEST):
        now.writer.stage(MANIFEST, updated)


def removed_briefings(ws: Workspace, manifest: Manifest, plans: Sequence[Planned]) -> list[str]:
    """Return the briefings the last build made whose source file no longer exists."""
    here = {p.slug for p in plans}
    folders = {path.parent for path in ws.files} | {ws.root / "sources"}
    return sorted(
        slug
        for slug in manifest.briefings
        if slug not in here and not any((f / f"{slug}.yaml").exists() for f in folders)
    )


def outputs_of(manifest: Manifest, slugs: Sequence[str]) -> list[str]:
    """Return the files the manifest says these briefings' outputs were, in their own folders.

    A manifest is read back from disk: an entry planted there may name any file, so only
    those inside the removed briefing's own folder are taken.
    """
    return [
        relative
        for slug in slugs
        for made in manifest.briefings[slug].made.values()
        for relative in made.files
        if relative.startswith(f"{slug}/") and ".." not in relative.split("/")
    ]


def prune_folders(out_dir: Path, slugs: Sequence[str]) -> None:
    """Remove the emptied folders of removed briefings (never one that still holds a file)."""
    for slug in slugs:
        folder = out_dir / slug
        if not folder.is_dir() or folder.is_symlink():
            continue
        for sub in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
            with suppress(OSError):
                sub.rmdir()
        with suppress(OSError):
            folder.rmdir()


def gone(manifest: Manifest, site: SiteRecord | None) -> list[str]:
    """Return the site pages of the last build this one no longer makes (a person no one names)."""
    before = manifest.site.pages if manifest.site else {}
    return sorted(set(before) - set(site.pages if site else {}))


def start_pdf_workers(pool: PdfPool, plans: Sequence[Planned], options: Options) -> None:
    """Start the PDF workers the plan foresees, so that they load WeasyPrint meanwhile.

    Each briefing planned for PDFs makes three (brief, memo, transcript; two without a
    transcript); a worker that turns out not to be needed is ended unused, and so are all
    when no PDF is planned.
    """
    foreseen = 3 * sum(PDFS in p.todo for p in plans)
    if foreseen:
        pool.grow(min(options.workers or cpu_count(), foreseen))
    else:
        pool.close()


@contextmanager
def fewer_collections(threshold: int = GC_THRESHOLD) -> Iterator[None]:
    """Run the cyclic garbage collector less often while building, then as before.

    A build makes many objects and few cycles; with Python's default threshold (700
    allocations), a one-edit rebuild of 200 briefings spent about 0.08 s of its 0.65 s
    collecting. mypy raises the threshold for the same reason.
    """
    before = gc.get_threshold()
    gc.set_threshold(max(threshold, before[0]), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def failed_summary(exc: BaseException, plans: Sequence[Planned], elapsed: float) -> Summary:
    """Count what a failed build failed on: the briefings named, else all it was building."""
    building = [p.slug for p in plans if p.todo]
    failed: Sequence[str] = building
    if isinstance(exc, SearchError):  # its pages were written: only the index failed
        return Summary(len(exc.built), len(plans) - len(building), 0, elapsed)
    if isinstance(exc, SourceError):
        failed = sorted(
            {Path(d.path).stem for d in exc.diagnostics if d.severity is Severity.ERROR}
        )
    elif isinstance(exc, RenderError) and exc.failed:
        failed = exc.failed
    return Summary(0, len(plans) - len(building), len(failed), elapsed)


def check_unique_slugs(files: Sequence[Path]) -> None:
    """Two sources with the same file name would write the same output folder."""
    seen: dict[str, Path] = {}
    problems = []
    for path in files:
        other = seen.setdefault(path.stem, path)
        if other is not path:
            message = f"'{path.stem}' is also the name of {display_path(other)}; rename one"
            problems.append(Diagnostic(display_path(path), 1, 1, Severity.ERROR, "", message))
    if problems:
        raise SourceError(problems)
