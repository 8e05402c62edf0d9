"""The build: load every source, render every page and PDF, then write it all in one commit."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .check import LoadedSource, check_paths, load_sources
from .config import Config, load_config
from .errors import Diagnostic, RenderError, Severity, SourceError, UsageError
from .pdf import PdfJob, PdfOutput, render_pdfs, source_date
from .render import BriefingMeta, Renderer, builtin_templates
from .revisions import Revision, Step, advance, since_git
from .workspace import CONFIG_NAME, SOURCES_DIR, find_root, inside, source_files
from .writer import OutputWriter

logger = logging.getLogger(__name__)

PDF_TIMEOUT = 120.0
OUTPUT_DIR = "output"


@dataclass
class BuildResult:
    """What a build did: the briefings built, the files written, and what to warn about."""

    output: Path
    built: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    elapsed: float = 0.0


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
) -> BuildResult:
    """Build the briefings of ``paths`` (files or folders) into ``output``; never prints.

    Nothing is written unless every source loads and every page and PDF renders.
    """
    started = time.monotonic()
    files = source_files(paths)
    if not files:
        raise UsageError(f"no source files in {', '.join(str(p) for p in paths)}")
    root = find_root(files[0])
    config = load_config(root)
    sources = load_sources(files, strict=strict)
    check_unique_slugs(sources)
    ws = workspace(root, config, output, pdf)
    steps = {s.slug: revision_step(s, ws, since) for s in sources}
    metas = {s.slug: briefing_meta(s, ws, steps[s.slug].revision) for s in sources}
    result = BuildResult(ws.out_dir, [s.slug for s in sources])
    result.warnings += [d for s in sources for d in s.warnings]
    writer = OutputWriter(ws.out_dir, mtime=ws.pinned.timestamp() if ws.pinned else None)
    for step in steps.values():
        for relative, data in step.files.items():
            writer.stage(relative, data)
    stage_pages(writer, ws, sources, metas, result)
    stage_pdfs(writer, ws, sources, metas, result, workers, pdf_timeout)
    result.written = writer.commit()
    result.elapsed = time.monotonic() - started
    logger.info("built %d briefings in %.1f s", len(sources), result.elapsed)
    return result


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


def check_unique_slugs(sources: Sequence[LoadedSource]) -> None:
    """Two sources with the same file name would write the same output folder."""
    seen: dict[str, LoadedSource] = {}
    problems = []
    for source in sources:
        other = seen.setdefault(source.slug, source)
        if other is not source:
            message = f"'{source.slug}' is also the name of {other.display}; rename one"
            problems.append(Diagnostic(source.display, 1, 1, Severity.ERROR, "", message))
    if problems:
        raise SourceError(problems)


def _feed(digest: hashlib._Hash, label: str, data: bytes) -> None:
    """Add a labelled, length-framed chunk to a digest (so chunks cannot run together)."""
    digest.update(f"{label}\0{len(data)}\0".encode())
    digest.update(data)


def template_digest(root: Path, renderer: Renderer) -> bytes:
    """Hash what every briefing depends on: templates, logo, configuration, briefgen version."""
    digest = hashlib.sha256()
    for path in renderer.template_files():
        _feed(digest, f"template:{_label(path, root)}", path.read_bytes())
    config = root / CONFIG_NAME
    _feed(digest, "config", config.read_bytes() if config.is_file() else b"")
    _feed(digest, "version", __version__.encode())
    return digest.digest()


def _label(path: Path, root: Path) -> str:
    """Name a template file independently of where the workspace or briefgen lives."""
    for base in (root, builtin_templates().parent):
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return path.name


def revision(source: LoadedSource, shared: bytes) -> str:
    """Return a short hash of everything this briefing's output is made from."""
    digest = hashlib.sha256(shared)
    _feed(digest, "source", source.raw)
    for item in source.briefing.sources:
        if item.file:
            target = inside(source.root, item.file)
            data = target.read_bytes() if target is not None and target.is_file() else b""
            _feed(digest, f"evidence:{item.file}", data)
    return digest.hexdigest()[:12]


def briefing_meta(
    source: LoadedSource, ws: Workspace, version: Revision | None = None
) -> BriefingMeta:
    """Return the content hash, date and revision this build gives a briefing."""
    digest = revision(source, ws.template_digest)
    return BriefingMeta(digest, ws.when.date(), ws.pdf, version or Revision())


def revision_step(source: LoadedSource, ws: Workspace, since: str | None) -> Step:
    """Number this build's revision of a source; with ``since``, list changes from git."""
    step = advance(ws.out_dir, source, ws.when.date())
    if since is None:
        return step
    return Step(since_git(step.revision, source, since), step.files)


def stage_pages(
    writer: OutputWriter,
    ws: Workspace,
    sources: Sequence[LoadedSource],
    metas: Mapping[str, BriefingMeta],
    result: BuildResult,
) -> None:
    """Render and stage each briefing's web page, the assets and the site index."""
    if not ws.config.outputs.html:
        return
    for source in sources:
        for relative, page in briefing_pages(ws, source, metas[source.slug]).items():
            writer.stage(relative, page.encode("utf-8"))
    for name, data in ws.renderer.assets().items():
        writer.stage(f"assets/{name}", data)
    entries, warnings = index_entries(ws, sources, metas)
    result.warnings += warnings
    for relative, data in site_pages(ws, entries).items():
        writer.stage(relative, data)


def briefing_pages(ws: Workspace, source: LoadedSource, meta: BriefingMeta) -> dict[str, str]:
    """Render the web pages made from one source, by output path."""
    return {f"{source.slug}/index.html": ws.renderer.briefing_page(source, meta)}


def site_pages(ws: Workspace, entries: list[tuple[LoadedSource, BriefingMeta]]) -> dict[str, bytes]:
    """Render the pages that gather every briefing in the output, by output path."""
    return {"index.html": ws.renderer.index_page(entries).encode("utf-8")}


def index_entries(
    ws: Workspace, sources: Sequence[LoadedSource], metas: Mapping[str, BriefingMeta]
) -> tuple[list[tuple[LoadedSource, BriefingMeta]], list[Diagnostic]]:
    """List every briefing in the output: those built now, and those built before.

    A briefing built before is listed when its page is in the output and its source (in
    the workspace's sources/ folder) still loads. One whose source now has errors is left
    off with a warning: the index cannot describe a briefing from a source it cannot read,
    and failing would make one broken file block building every other.
    """
    entries = [(s, metas[s.slug]) for s in sources]
    slugs = {s.slug for s in sources}
    paths = {s.path.resolve() for s in sources}
    others = [f for f in source_files([ws.root / SOURCES_DIR]) if f.resolve() not in paths]
    report = check_paths(others)
    for source in report.sources:
        page = ws.out_dir / source.slug / "index.html"
        if source.slug not in slugs and page.is_file():
            entries.append((source, previous_meta(source, ws, page)))
    loaded = {s.path for s in report.sources}
    warnings = [
        _left_off(path, report.errors, ws)
        for path in others
        if path not in loaded and (ws.out_dir / path.stem / "index.html").is_file()
    ]
    return entries, warnings


def previous_meta(source: LoadedSource, ws: Workspace, page: Path) -> BriefingMeta:
    """Describe a briefing built earlier from what its output shows."""
    prepared = dt.datetime.fromtimestamp(page.stat().st_mtime, dt.UTC).date()
    has_pdf = (page.parent / f"{source.slug}.pdf").is_file()
    return BriefingMeta(revision(source, ws.template_digest), prepared, has_pdf=has_pdf)


def _left_off(path: Path, errors: Sequence[Diagnostic], ws: Workspace) -> Diagnostic:
    """Warn that a briefing in the output is missing from the index because of its errors."""
    first = next((d for d in errors if Path(d.path).name == path.name), None)
    where = (first.path, first.line, first.column) if first else (str(path), 1, 1)
    message = (
        f"'{path.stem}' is left off {ws.out_dir.name}/index.html: its source has errors "
        "(run briefgen check)"
    )
    return Diagnostic(*where, Severity.WARNING, "", message)


def stage_pdfs(
    writer: OutputWriter,
    ws: Workspace,
    sources: Sequence[LoadedSource],
    metas: Mapping[str, BriefingMeta],
    result: BuildResult,
    workers: int | None,
    timeout: float,
) -> None:
    """Render every PDF in worker processes and stage them; RenderError if any failed."""
    if not ws.pdf:
        return
    planned = [
        (source, relative, job)
        for source in sources
        for relative, job in briefing_pdfs(ws, source, metas[source.slug], timeout).items()
    ]
    count = workers or min(len(planned), os.cpu_count() or 1)
    outputs = render_pdfs([job for _, _, job in planned], count)
    failures = [o for o in outputs if isinstance(o, RenderError)]
    if failures:
        raise RenderError("\n".join(str(f) for f in failures))
    for (source, relative, _), output in zip(planned, outputs, strict=True):
        assert isinstance(output, PdfOutput)
        result.warnings += refusals(source, output)
        writer.stage(relative, output.data)


def briefing_pdfs(
    ws: Workspace, source: LoadedSource, meta: BriefingMeta, timeout: float
) -> dict[str, PdfJob]:
    """Describe the PDFs made from one source, by output path."""
    return {f"{source.slug}/{source.slug}.pdf": pdf_job(source, meta, ws, timeout)}


def pdf_job(source: LoadedSource, meta: BriefingMeta, ws: Workspace, timeout: float) -> PdfJob:
    """Describe one briefing's PDF: print HTML, the source YAML attached, fixed dates and id."""
    html = ws.renderer.briefing_print(source, meta)
    attachment = (f"{source.slug}.yaml", source.raw, f"Curated source of {source.slug}")
    identifier = hashlib.sha256(f"{source.slug}:{meta.revision}".encode()).hexdigest()[:32]
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
