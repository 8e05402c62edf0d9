"""The build: load every source, render every page and PDF, then write it all in one commit."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import importlib.metadata
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from briefgen import __version__
from briefgen.build.cache import cache_bytes, cache_name
from briefgen.build.manifest import (
    MANIFEST,
    PAGES,
    PDFS,
    Item,
    Made,
    Manifest,
    SiteRecord,
    add_chunk,
    content_id,
    decide,
    entries,
    evidence_files,
    group_key,
    input_key,
    plan,
    read_manifest,
    record_name,
)
from briefgen.build.pagefind import PagefindRuns
from briefgen.build.progress import Reporter, Summary
from briefgen.build.revisions import Step, advance, since_git
from briefgen.build.search import index_early, index_search
from briefgen.build.site_stage import stage_site
from briefgen.errors import Diagnostic, RenderError, Severity, SourceError, UsageError
from briefgen.paths import CONFIG_NAME, builtin_templates, display_path, find_root, source_files
from briefgen.pdf.jobs import PdfJob, PdfOutput, source_date
from briefgen.pdf.pool import PdfPool, render_pdfs
from briefgen.render.environment import Renderer
from briefgen.render.meta import BriefingMeta, Revision
from briefgen.source.config import Config, load_config
from briefgen.source.loader import Document
from briefgen.verify.check import LoadedSource, load_source
from briefgen.writer import OutputWriter, read_or_none, remove_outputs

logger = logging.getLogger(__name__)

PDF_TIMEOUT = 120.0
GC_THRESHOLD = 100_000  # allocations between collections of the youngest objects
OUTPUT_DIR = "output"


@dataclass
class BuildResult:
    """What a build did: the briefings built or left unchanged, the files written, warnings."""

    output: Path
    built: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    elapsed: float = 0.0
    unchanged: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Workspace:
    """Everything a build shares across briefings."""

    root: Path
    config: Config
    renderer: Renderer
    out_dir: Path
    when: dt.datetime
    pinned: dt.datetime | None
    pdf: bool
    template_digest: bytes


def build(
    paths: list[Path],
    output: Path | None = None,
    *,
    pdf: bool | None = None,
    strict: bool = False,
    workers: int | None = None,
    pdf_timeout: float = PDF_TIMEOUT,
    since: str | None = None,
    force: bool = False,
    reporter: Reporter | None = None,
    draft: bool = False,
    pool: PdfPool | None = None,
) -> BuildResult:
    """Build the briefings of ``paths`` (files or folders) into ``output``; never prints.

    Nothing is written unless every source loads and every page and PDF renders. Work
    whose inputs are unchanged since the last build into ``output`` is skipped, unless
    ``force``. Progress goes to ``reporter`` (default: a silent one). A ``draft`` build
    (the preview's) shows the revision a real build would make but records none, so saves
    made while previewing do not each become a revision. A ``pool`` of PDF workers
    started earlier (the CLI starts one before importing this module) is used and closed.
    """
    started = time.monotonic()
    reporter = reporter or Reporter()
    # the PDF workers and Pagefind runs end however the build ends
    with (
        closing(pool or PdfPool(0)) as pdf_pool,
        closing(PagefindRuns()) as search_runs,
        fewer_collections(),
    ):
        files = source_files(paths)
        if not files:
            raise UsageError(f"no source files in {', '.join(str(p) for p in paths)}")
        root = find_root(files[0])
        ws = workspace(root, load_config(root), output, pdf)
        result = BuildResult(ws.out_dir)
        options = Options(strict, workers, pdf_timeout, since, force, draft)
        try:
            writer, gone = stage_build(ws, files, options, result, reporter, pdf_pool, search_runs)
            reporter.stage("Writing", 1)
            result.written = writer.commit()
            for relative in remove_outputs(ws.out_dir, gone):
                logger.info("removed %s: no briefing makes it any more", relative)
            result.written += index_search(ws, result, search_runs)  # sitemap, search
        except BaseException as exc:
            failed = len(failures(exc, result))
            elapsed = time.monotonic() - started
            reporter.finished(Summary(0, len(result.unchanged), failed, elapsed))
            raise
    result.elapsed = time.monotonic() - started
    reporter.finished(Summary(len(result.built), len(result.unchanged), 0, result.elapsed))
    logger.info("built %d briefings in %.1f s", len(result.built), result.elapsed)
    return result


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


@dataclass(frozen=True)
class Options:
    """How to build, beyond where from and where to."""

    strict: bool = False
    workers: int | None = None
    pdf_timeout: float = PDF_TIMEOUT
    since: str | None = None
    force: bool = False
    draft: bool = False

    @property
    def key_note(self) -> str | None:
        """Return what besides the inputs distinguishes this build's outputs (see input_key)."""
        note = (self.since or "") + ("|draft" if self.draft else "")
        return note or None


def stage_build(
    ws: Workspace,
    files: list[Path],
    options: Options,
    result: BuildResult,
    reporter: Reporter,
    pool: PdfPool,
    search_runs: PagefindRuns,
) -> tuple[OutputWriter, list[str]]:
    """Plan, load, render and stage everything this build makes.

    Return the writer, and the site pages of the last build this one no longer makes (a
    person no briefing names any more, say), to be removed once the writer has committed.
    """
    check_unique_slugs(files)
    manifest = read_manifest(ws.out_dir)
    fresh = options.force or options.since is not None
    items = [plan(p, ws, manifest, fresh=fresh, strict=options.strict) for p in files]
    tally(items, result)
    grow_pool(pool, items, options)
    load_items(items, options.strict, reporter, result)
    writer = OutputWriter(ws.out_dir, mtime=ws.pinned.timestamp() if ws.pinned else None)
    for item in items:
        if item.source is not None:
            prepare(item, ws, options, writer)
    tally(items, result)
    site = stage_outputs(writer, ws, items, manifest, options, result, reporter, pool, search_runs)
    updated = Manifest({**manifest.briefings, **entries(items)}, site).dumps()
    if updated != read_or_none(ws.out_dir / MANIFEST):
        writer.stage(MANIFEST, updated)  # last: committed after the outputs it describes
    before = manifest.site.pages if manifest.site else {}
    return writer, sorted(set(before) - set(site.pages if site else {}))


def grow_pool(pool: PdfPool, items: Sequence[Item], options: Options) -> None:
    """Start the PDF workers the plan foresees, so that they load WeasyPrint meanwhile.

    Each briefing planned for PDFs makes two (one without a transcript); a worker that
    turns out not to be needed is ended unused, and so are all when no PDF is planned.
    """
    foreseen = 2 * sum(PDFS in item.todo for item in items)
    if foreseen:
        pool.grow(min(options.workers or cpu_count(), foreseen))
    else:
        pool.close()


def tally(items: Sequence[Item], result: BuildResult) -> None:
    """Count the briefings with work to do and those unchanged; gather their warnings."""
    result.built = [item.slug for item in items if item.todo]
    result.unchanged = [item.slug for item in items if not item.todo]
    result.warnings = [d for item in items for d in item.warnings]


def stage_outputs(
    writer: OutputWriter,
    ws: Workspace,
    items: Sequence[Item],
    manifest: Manifest,
    options: Options,
    result: BuildResult,
    reporter: Reporter,
    pool: PdfPool,
    search_runs: PagefindRuns,
) -> SiteRecord | None:
    """Render and stage the out-of-date pages, PDFs and site pages; return the site's record.

    While worker processes render the PDFs, a thread renders the web pages. The pool stays
    in this thread, so that an interrupt here still ends the workers. Pagefind indexes the
    briefings' shards while the site pages render, and the main bundle while the PDFs
    render; ``search_runs`` (the build's) ends it.
    """
    planned = plan_pdfs(ws, items, options, reporter)
    count = min(options.workers or cpu_count(), len(planned))

    def pages() -> SiteRecord | None:
        stage_pages(writer, ws, items, reporter)
        index_early(search_runs, ws, writer)  # the briefings' shards, while the site renders
        site = stage_site(writer, ws, items, manifest, result, options.force, reporter)
        index_early(search_runs, ws, writer, main=True)  # while the PDFs render
        if planned:  # what is left to wait for
            reporter.stage(f"Rendering {len(planned)} PDFs in {count} processes", None)
        return site

    if not planned:
        pool.close()  # workers started for PDFs that turned out current
        return pages()
    web = Background(pages)
    outputs = render_pdfs([job for _, _, job in planned], count, pool)
    site = web.result()
    stage_pdfs(writer, planned, outputs, result)
    return site


class Background:
    """Run a function on a thread of its own; ``result()`` waits, and raises what it raised."""

    def __init__(self, work: Callable[[], SiteRecord | None]) -> None:
        self.work = work
        self.value: SiteRecord | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="briefgen-pages", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.value = self.work()
        except BaseException as exc:  # raised again in the build's thread by result()
            self.error = exc

    def result(self) -> SiteRecord | None:
        """Wait for the function; return its value or raise its error."""
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.value


def failures(exc: BaseException, result: BuildResult) -> list[str]:
    """Name the briefings a failed build failed on (every one it was building, if unsure)."""
    if result.failed or not isinstance(exc, SourceError):
        return result.failed or result.built
    return sorted({d.path for d in exc.diagnostics if d.severity is Severity.ERROR})


def workspace(root: Path, config: Config, output: Path | None, pdf: bool | None) -> Workspace:
    """Gather what every briefing of this build shares."""
    renderer = Renderer(root, config)
    pinned = source_date()
    return Workspace(
        root=root,
        config=config,
        renderer=renderer,
        out_dir=(output or root / OUTPUT_DIR).resolve(),
        when=pinned or dt.datetime.now().astimezone().replace(microsecond=0),
        pinned=pinned,
        pdf=config.outputs.pdf if pdf is None else pdf,
        template_digest=template_digest(root, renderer),
    )


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


def load_items(
    items: Sequence[Item], strict: bool, reporter: Reporter, result: BuildResult
) -> None:
    """Load and check every source that has work to do; SourceError listing all problems."""
    todo = [item for item in items if item.todo]
    reporter.stage("Checking sources", len(todo))
    diagnostics: list[Diagnostic] = []
    for item in todo:
        source, found = load_source(item.path, strict=strict)
        item.source = lightened(source) if source is not None else None
        diagnostics += found
        reporter.advance()
    if any(d.severity is Severity.ERROR for d in diagnostics):
        result.failed = sorted({item.slug for item in todo if item.source is None})
        raise SourceError(diagnostics)


def lightened(source: LoadedSource) -> LoadedSource:
    """Keep only the top mark of a checked source's document: all of them weigh 0.3 MB each."""
    top = source.document.mark(())
    return replace(source, document=Document(source.display, marks={(): top}))


def prepare(item: Item, ws: Workspace, options: Options, writer: OutputWriter) -> None:
    """Number a loaded briefing's revision, key it, and stage its revision record and cache."""
    source = item.source
    assert source is not None
    step = revision_step(source, ws, options.since)
    if options.draft:
        step = Step(step.revision, {})
    for relative, data in step.files.items():
        writer.stage(relative, data)
    record = step.files.get(record_name(item.slug)) or read_or_none(
        ws.out_dir / record_name(item.slug)
    )
    item.key = input_key(
        ws, item.path, source.raw, evidence_files(source), record, options.key_note
    )
    decide(item, ws, fresh=options.force or options.since is not None)
    item.meta = briefing_meta(source, ws, step.revision, item.has_pdf)
    item.warnings = source.warnings
    writer.stage(cache_name(item.slug), cache_bytes(source, item.key))


# The libraries whose version shapes the output: a new one makes every briefing anew.
SHAPING = ("jinja2", "markdown", "nh3", "weasyprint")


def template_digest(root: Path, renderer: Renderer) -> bytes:
    """Hash what every briefing depends on: templates, logo, configuration, versions.

    The versions are briefgen's and those of the libraries that shape its output (a new
    Markdown may convert a text differently, and converted texts are kept between builds).
    """
    digest = hashlib.sha256()
    for path in renderer.template_files():
        add_chunk(digest, f"template:{_label(path, root)}", path.read_bytes())
    config = root / CONFIG_NAME
    add_chunk(digest, "config", config.read_bytes() if config.is_file() else b"")
    add_chunk(digest, "version", __version__.encode())
    for name in SHAPING:
        add_chunk(digest, f"version:{name}", _version(name).encode())
    return digest.digest()


def _version(distribution: str) -> str:
    """Return an installed distribution's version, or "" when it is not installed."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return ""


def _label(path: Path, root: Path) -> str:
    """Name a template file independently of where the workspace or briefgen lives."""
    for base in (root, builtin_templates().parent):
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return path.name


def briefing_meta(
    source: LoadedSource,
    ws: Workspace,
    revision: Revision | None = None,
    has_pdf: bool | None = None,
) -> BriefingMeta:
    """Return the content hash, date and revision this build gives a briefing."""
    digest = content_id(source, ws.template_digest)
    linked = ws.pdf if has_pdf is None else has_pdf
    transcript = bool(source.briefing.transcript)
    return BriefingMeta(digest, ws.when.date(), linked, revision or Revision(), transcript)


def revision_step(source: LoadedSource, ws: Workspace, since: str | None) -> Step:
    """Number this build's revision of a source; with ``since``, list changes from git."""
    step = advance(ws.out_dir, source, ws.when.date())
    if since is None:
        return step
    return Step(since_git(step.revision, source, since), step.files)


def stage_pages(
    writer: OutputWriter, ws: Workspace, items: Sequence[Item], reporter: Reporter
) -> None:
    """Render and stage the web pages of each briefing whose pages are out of date."""
    todo = [item for item in items if PAGES in item.todo]
    reporter.stage("Rendering pages", len(todo))
    for item in todo:
        assert item.source is not None and item.meta is not None
        pages = briefing_pages(ws, item.source, item.meta)
        for relative, page in pages.items():
            writer.stage(relative, page.encode("utf-8"))
        item.made[PAGES] = Made(group_key(item.key, PAGES, item.has_pdf), tuple(pages))
        reporter.advance()


def briefing_pages(ws: Workspace, source: LoadedSource, meta: BriefingMeta) -> dict[str, str]:
    """Render the web pages made from one source, by output path.

    The briefing, its transcript (if it has one) and the text of each source with a file.
    """
    slug = source.slug
    pages = {f"{slug}/index.html": ws.renderer.briefing_page(source, meta)}
    if source.briefing.transcript:
        pages[f"{slug}/transcript.html"] = ws.renderer.transcript_page(source, meta)
    for relative, page in ws.renderer.evidence_pages(source, meta).items():
        pages[f"{slug}/{relative}"] = page
    return pages


def plan_pdfs(
    ws: Workspace, items: Sequence[Item], options: Options, reporter: Reporter
) -> list[tuple[Item, str, PdfJob]]:
    """Render the print HTML of every out-of-date PDF; return the jobs by briefing and path."""
    todo = [item for item in items if PDFS in item.todo]
    reporter.stage("Preparing PDFs", len(todo))
    planned: list[tuple[Item, str, PdfJob]] = []
    for item in todo:
        assert item.source is not None and item.meta is not None
        jobs = briefing_pdfs(ws, item.source, item.meta, options.pdf_timeout)
        planned += [(item, relative, job) for relative, job in jobs.items()]
        item.made[PDFS] = Made(group_key(item.key, PDFS), tuple(jobs))
        reporter.advance()
    return planned


def stage_pdfs(
    writer: OutputWriter,
    planned: Sequence[tuple[Item, str, PdfJob]],
    outputs: Sequence[PdfOutput | RenderError],
    result: BuildResult,
) -> None:
    """Stage the rendered PDFs; RenderError naming every one that failed."""
    done = zip(planned, outputs, strict=True)
    failed = [(item, out) for (item, _, _), out in done if isinstance(out, RenderError)]
    if failed:
        result.failed = sorted({item.slug for item, _ in failed})
        raise RenderError("\n".join(str(error) for _, error in failed))
    for (item, relative, _), output in zip(planned, outputs, strict=True):
        assert isinstance(output, PdfOutput) and item.source is not None
        result.warnings += refusals(item.source, output)
        writer.stage(relative, output.data)


def cpu_count() -> int:
    """Return the number of CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def briefing_pdfs(
    ws: Workspace, source: LoadedSource, meta: BriefingMeta, timeout: float
) -> dict[str, PdfJob]:
    """Describe the PDFs made from one source, by output path: the briefing, the transcript."""
    slug = source.slug
    jobs = {f"{slug}/{slug}.pdf": pdf_job(source, meta, ws, timeout)}
    if source.briefing.transcript:
        identifier = hashlib.sha256(f"{slug}:transcript:{meta.content_id}".encode()).hexdigest()
        jobs[f"{slug}/{slug}-transcript.pdf"] = PdfJob(
            slug=f"{slug}-transcript",
            html=ws.renderer.transcript_print(source, meta),
            root=ws.root,
            created=ws.when,
            identifier=identifier[:32].encode("ascii"),
            timeout=timeout,
        )
    return jobs


def pdf_job(source: LoadedSource, meta: BriefingMeta, ws: Workspace, timeout: float) -> PdfJob:
    """Describe one briefing's PDF: print HTML, the source YAML attached, fixed dates and id."""
    html = ws.renderer.briefing_print(source, meta)
    attachment = (f"{source.slug}.yaml", source.raw, f"Curated source of {source.slug}")
    identifier = hashlib.sha256(f"{source.slug}:{meta.content_id}".encode()).hexdigest()[:32]
    return PdfJob(
        slug=source.slug,
        html=html,
        root=ws.root,
        attachments=(attachment,),
        created=ws.when,
        identifier=identifier.encode("ascii"),
        timeout=timeout,
    )


def refusals(source: LoadedSource, output: PdfOutput) -> list[Diagnostic]:
    """Turn the URLs the PDF fetcher refused (and WeasyPrint's complaints) into warnings."""
    for message in output.messages:
        logger.debug("%s: WeasyPrint: %s", source.slug, message)
    return [
        source.document.diagnostic(
            (),
            f"the PDF did not load {url}: only data: URIs and templates/ files are allowed",
            Severity.WARNING,
        )
        for url in output.refused
    ]
