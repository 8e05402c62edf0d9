"""The build's per-briefing stages: load and check, render the pages, render the PDFs.

Each takes the briefings it works on and returns what it made: the files (staged through
the build's writer) and, for the manifest, the key and files of each group of outputs.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from briefgen.build.context import Options, Workspace
from briefgen.build.keys import PAGES, PDFS, group_key
from briefgen.build.manifest import Made
from briefgen.build.plan import Planned, Prepared
from briefgen.build.progress import Reporter
from briefgen.errors import Diagnostic, RenderError, Severity, SourceError
from briefgen.pdf.jobs import PdfJob, PdfOutput
from briefgen.render.brief import MEMO_PAGES, memo_cuts
from briefgen.render.meta import BriefingMeta
from briefgen.source.loader import Document
from briefgen.verify.check import LoadedSource, load_source
from briefgen.writer import OutputWriter

logger = logging.getLogger(__name__)

MadeNow = dict[str, dict[str, Made]]  # what each briefing's groups of outputs were made of


@dataclass(frozen=True)
class PlannedPdf:
    """One PDF to render: whose it is, where it goes, and the job for a worker."""

    slug: str
    relative: str
    job: PdfJob


def load_sources(
    plans: Sequence[Planned], options: Options, reporter: Reporter
) -> dict[str, LoadedSource]:
    """Load and check every source with work to do; SourceError listing every problem."""
    loaded, diagnostics = checked_sources(plans, options, reporter)
    if any(d.severity is Severity.ERROR for d in diagnostics):
        raise SourceError(diagnostics)
    return loaded


def checked_sources(
    plans: Sequence[Planned], options: Options, reporter: Reporter
) -> tuple[dict[str, LoadedSource], list[Diagnostic]]:
    """Load and check the sources with work to do; return those that loaded, and every problem."""
    todo = [p for p in plans if p.todo]
    reporter.stage("Checking sources", len(todo))
    loaded: dict[str, LoadedSource] = {}
    diagnostics: list[Diagnostic] = []
    for planned in todo:
        source, found = load_source(planned.path, strict=options.strict)
        if source is not None:
            loaded[planned.slug] = lightened(source)
        diagnostics += found
        reporter.advance()
    return loaded, diagnostics


def lightened(source: LoadedSource) -> LoadedSource:
    """Keep only the top mark of a checked source's document: all of them weigh 0.3 MB each."""
    top = source.document.mark(())
    return replace(source, document=Document(source.display, marks={(): top}))


def stage_pages(
    writer: OutputWriter, ws: Workspace, prepared: Sequence[Prepared], reporter: Reporter
) -> MadeNow:
    """Render and stage the web pages of each briefing whose pages are out of date."""
    todo = [p for p in prepared if PAGES in p.todo]
    reporter.stage("Rendering pages", len(todo))
    made: MadeNow = {}
    for p in todo:
        files = page_files(ws, p)
        for relative, data in files.items():
            writer.stage(relative, data)
        key = group_key(p.key, PAGES, p.has_pdf, ws.docx)
        made[p.slug] = {PAGES: Made(key, tuple(files))}
        reporter.advance()
    return made


def page_files(ws: Workspace, p: Prepared) -> dict[str, bytes]:
    """Render a briefing's web pages (and Word files, if asked for), by output path."""
    pages = briefing_pages(ws, p.source, p.meta)
    files = {relative: page.encode("utf-8") for relative, page in pages.items()}
    return files | (word_files(ws, p.source, p.meta) if ws.docx else {})


def word_files(ws: Workspace, source: LoadedSource, meta: BriefingMeta) -> dict[str, bytes]:
    """Write the full brief and the memo as Word documents, by output path."""
    from briefgen import word  # python-docx loads only for builds that ask for Word

    slug, templates = source.slug, ws.root / "templates"
    return {
        f"{slug}/{slug}.docx": word.full_brief(source, meta, ws.config, templates),
        f"{slug}/{slug}-memo.docx": word.memo(source, meta, ws.config, templates),
    }


def briefing_pages(ws: Workspace, source: LoadedSource, meta: BriefingMeta) -> dict[str, str]:
    """Render the web pages made from one source, by output path.

    The full brief, the memo, the transcript (if there is one) and the text of each source
    with a file.
    """
    slug = source.slug
    pages = {f"{slug}/index.html": ws.renderer.briefing_page(source, meta)}
    pages[f"{slug}/memo.html"] = ws.renderer.memo_page(source, meta)
    if source.briefing.transcript:
        pages[f"{slug}/transcript.html"] = ws.renderer.transcript_page(source, meta)
    for relative, page in ws.renderer.evidence_pages(source, meta).items():
        pages[f"{slug}/{relative}"] = page
    return pages


def plan_pdfs(
    ws: Workspace, prepared: Sequence[Prepared], options: Options, reporter: Reporter
) -> tuple[list[PlannedPdf], MadeNow]:
    """Render the print HTML of every out-of-date PDF; return the jobs and what they make."""
    todo = [p for p in prepared if PDFS in p.todo]
    reporter.stage("Preparing PDFs", len(todo))
    planned: list[PlannedPdf] = []
    made: MadeNow = {}
    for p in todo:
        jobs = {
            relative: limited(ws, job, options.pdf_timeout)
            for relative, job in briefing_pdfs(ws, p.source, p.meta, PDF_TIMEOUT).items()
        }
        planned += [PlannedPdf(p.slug, relative, job) for relative, job in jobs.items()]
        made[p.slug] = {PDFS: Made(group_key(p.key, PDFS), tuple(jobs))}
        reporter.advance()
    return planned, made


PDF_TIMEOUT = 120.0  # until ``limited`` gives a job the workspace's limits


def limited(ws: Workspace, job: PdfJob, timeout: float | None) -> PdfJob:
    """Give a job the workspace's limits: time (unless ``timeout`` is given) and memory."""
    seconds, memory = ws.pdf_limits(timeout)
    return replace(job, timeout=seconds, memory=memory)


def part_job(
    ws: Workspace,
    source: LoadedSource,
    meta: BriefingMeta,
    part: tuple[str, str],
    timeout: float,
    max_pages: int | None = None,
) -> PdfJob:
    """Describe the PDF of one part of a briefing (its memo, its transcript) from its HTML."""
    name, html = part
    return PdfJob(
        slug=f"{source.slug}-{name}",
        html=html,
        root=ws.root,
        created=ws.when,
        identifier=identifier(f"{source.slug}:{name}:{meta.content_id}"),
        timeout=timeout,
        max_pages=max_pages,
    )


def briefing_pdfs(
    ws: Workspace, source: LoadedSource, meta: BriefingMeta, timeout: float
) -> dict[str, PdfJob]:
    """Describe the PDFs made from one source, by output path: brief, memo, transcript."""
    slug = source.slug
    jobs = {f"{slug}/{slug}.pdf": pdf_job(source, meta, ws, timeout)}
    memo = ws.renderer.memo_print(source, meta)
    memo_job = part_job(ws, source, meta, ("memo", memo), timeout, MEMO_PAGES)
    jobs[f"{slug}/{slug}-memo.pdf"] = memo_job
    if source.briefing.transcript:
        transcript = ws.renderer.transcript_print(source, meta)
        jobs[f"{slug}/{slug}-transcript.pdf"] = part_job(
            ws, source, meta, ("transcript", transcript), timeout
        )
    return jobs


def identifier(text: str) -> bytes:
    """Return a PDF's fixed /ID: a hash of what names its content, so builds are repeatable."""
    return hashlib.sha256(text.encode()).hexdigest()[:32].encode("ascii")


def pdf_job(source: LoadedSource, meta: BriefingMeta, ws: Workspace, timeout: float) -> PdfJob:
    """Describe one briefing's PDF: print HTML, the source YAML attached, fixed dates and id."""
    attachment = (f"{source.slug}.yaml", source.raw, f"Curated source of {source.slug}")
    return PdfJob(
        slug=source.slug,
        html=ws.renderer.briefing_print(source, meta),
        root=ws.root,
        attachments=(attachment,),
        created=ws.when,
        identifier=identifier(f"{source.slug}:{meta.content_id}"),
        timeout=timeout,
    )


def stage_pdfs(
    writer: OutputWriter,
    planned: Sequence[PlannedPdf],
    outputs: Sequence[PdfOutput | RenderError],
    sources: Mapping[str, LoadedSource],
) -> list[Diagnostic]:
    """Stage the rendered PDFs and return their warnings; RenderError naming every failure."""
    done = [
        (pdf, too_long(pdf, out, sources[pdf.slug]))
        for pdf, out in zip(planned, outputs, strict=True)
    ]
    failed = [(pdf.slug, out) for pdf, out in done if isinstance(out, RenderError)]
    if failed:
        message = "\n".join(str(error) for _, error in failed)
        raise RenderError(message, failed=sorted({slug for slug, _ in failed}))
    warnings: list[Diagnostic] = []
    for pdf, output in done:
        assert isinstance(output, PdfOutput)
        warnings += refusals(sources[pdf.slug], output)
        writer.stage(pdf.relative, output.data)
    return sorted(set(warnings))  # the memo and the full brief refuse the same URLs


def too_long(
    pdf: PlannedPdf, output: PdfOutput | RenderError, source: LoadedSource
) -> PdfOutput | RenderError:
    """Fail a PDF with a page limit (the memo) that runs longer, naming what to cut."""
    limit = pdf.job.max_pages
    if isinstance(output, RenderError) or limit is None or output.pages <= limit:
        return output
    return RenderError(
        f"{source.display}: the memo runs to {output.pages} pages, and may run to {limit} at "
        f"most; cut {memo_cuts(source.briefing)}, or move detail to the full brief"
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
