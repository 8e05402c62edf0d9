"""The build's site stage: which briefings the site lists, and its pages staged.

The site lists the briefings built now and those built before whose sources still load;
what the last build kept of the site (manifest.SiteRecord) lets site.pages render only the
pages whose keys changed, loading (or restoring from their caches) only the sources those
pages are made from.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from pathlib import Path

from briefgen.build.cache import cache_name, restore
from briefgen.build.context import Options, Workspace
from briefgen.build.keys import content_id, site_key
from briefgen.build.manifest import Manifest, SiteRecord
from briefgen.build.plan import Planned, previous
from briefgen.build.progress import Reporter
from briefgen.errors import Diagnostic, Severity, SourceError
from briefgen.paths import SOURCES_DIR, display_path, source_files
from briefgen.render.meta import BriefingMeta
from briefgen.site.pages import Kept, Listed, site_plan
from briefgen.verify.check import LoadedSource, check_paths, load_source
from briefgen.writer import OutputWriter, read_or_none


def stage_site(
    writer: OutputWriter,
    ws: Workspace,
    listed: Sequence[Listed],
    manifest: Manifest,
    options: Options,
    reporter: Reporter,
) -> tuple[SiteRecord | None, list[Diagnostic]]:
    """Render and stage the assets and site-wide pages whose inputs changed; return the record.

    ``listed`` are the briefings of this build; the others in the output are added here.
    Also return the warnings about briefings left off.
    """
    if not ws.config.outputs.html:
        return manifest.site, []
    everyone, warnings = with_the_others(ws, listed, manifest)
    key = site_key(ws, [(e.slug, e.meta) for e in everyone])
    before = None if options.force else manifest.site
    if before is not None and before.current(key, ws.out_dir):
        return before, warnings
    files = {f"assets/{name}": data for name, data in ws.renderer.assets().items()}
    base = ws.template_digest + (ws.pinned.isoformat().encode() if ws.pinned else b"")
    plan = site_plan(ws.renderer, everyone, base, kept(before, ws))
    makers = {page.path: page.make for page in plan.pages if page.make is not None}
    reporter.stage("Rendering site pages", len(makers))
    for path, make in makers.items():
        files[path] = make()
        reporter.advance()
    for relative, data in files.items():
        if data != read_or_none(ws.out_dir / relative):  # one edit changes few site pages
            writer.stage(relative, data)
    pages = {relative: "" for relative in files} | {p.path: p.key or "" for p in plan.pages}
    return SiteRecord(key, pages, plan.rows, plan.events), warnings


def loaded_listing(source: LoadedSource, meta: BriefingMeta) -> Listed:
    """Describe a loaded briefing to the site."""
    return Listed(source.slug, source.display, meta, lambda: source)


def staged_listing(
    path: Path, key: str, display: str, meta: BriefingMeta, out_dir: Path, writer: OutputWriter
) -> Listed:
    """Describe a briefing built now, whose source is released: restored from its staged cache.

    The listing keeps the briefing's path, key and meta, not its source: the site pages
    that need it restore it (without its transcript) from the cache this build staged.
    """

    def source() -> LoadedSource:
        restored = restore(out_dir, path, key, writer.read_staged(cache_name(path.stem)))
        return restored or loaded_again(path)

    return Listed(path.stem, display, meta, source)


def kept_listing(planned: Planned, ws: Workspace) -> Listed:
    """Describe a briefing built earlier; its source is restored (or loaded) if asked for."""
    assert planned.meta is not None
    source = functools.cache(lambda: reloaded(planned, ws))
    return Listed(planned.slug, display_path(planned.path), planned.meta, source)


def kept(before: SiteRecord | None, ws: Workspace) -> Kept | None:
    """Tell the site what the last build kept of it, and which of its files are current."""
    if before is None:
        return None
    return Kept(before.events, before.rows, lambda path, k: before.kept(path, k, ws.out_dir))


def reloaded(planned: Planned, ws: Workspace) -> LoadedSource:
    """Return a briefing's source from its cache, else loaded now."""
    return restore(ws.out_dir, planned.path, planned.key) or loaded_again(planned.path)


def loaded_again(path: Path) -> LoadedSource:
    """Load a source the build needs again; SourceError if it no longer loads."""
    source, diagnostics = load_source(path)
    if source is None:
        raise SourceError(diagnostics)
    return source


def with_the_others(
    ws: Workspace, listed: Sequence[Listed], manifest: Manifest
) -> tuple[list[Listed], list[Diagnostic]]:
    """List every briefing in the output: those of this build, and those built before.

    A briefing built before is listed when its page is in the output and its source (in
    the workspace's sources/ folder) still loads. One whose source now has errors is left
    off with a warning: the index cannot describe a briefing from a source it cannot read,
    and failing would make one broken file block building every other. A source the
    manifest shows unchanged since its page was made is not loaded again.
    """
    slugs = {e.slug for e in listed}
    paths = {path.resolve() for path in ws.files}
    others = [
        f
        for f in source_files([ws.root / SOURCES_DIR])
        if f.resolve() not in paths
        and f.stem not in slugs
        and (ws.out_dir / f.stem / "index.html").is_file()
    ]
    known = {path: previous(path, ws, manifest.briefings) for path in others}
    found = {path: kept_listing(p, ws) for path, p in known.items() if p is not None}
    report = check_paths([path for path, p in known.items() if p is None])
    for source in report.sources:
        meta = previous_meta(source, ws, ws.out_dir / source.slug / "index.html")
        found[source.path] = loaded_listing(source, meta)
    warnings = [_left_off(path, report.errors, ws) for path in others if path not in found]
    return [*listed, *(found[path] for path in others if path in found)], warnings


def previous_meta(source: LoadedSource, ws: Workspace, page: Path) -> BriefingMeta:
    """Describe a briefing built earlier from what its output shows."""
    prepared = dt.datetime.fromtimestamp(page.stat().st_mtime, dt.UTC).date()
    has_pdf = (page.parent / f"{source.slug}.pdf").is_file()
    transcript = bool(source.briefing.transcript)
    digest = content_id(source, ws.template_digest)
    return BriefingMeta(digest, prepared, has_pdf=has_pdf, has_transcript=transcript)


def _left_off(path: Path, errors: Sequence[Diagnostic], ws: Workspace) -> Diagnostic:
    """Warn that a briefing in the output is missing from the index because of its errors."""
    first = next((d for d in errors if Path(d.path).name == path.name), None)
    where = (first.path, first.line, first.column) if first else (str(path), 1, 1)
    message = (
        f"'{path.stem}' is left off {ws.out_dir.name}/index.html: its source has errors "
        "(run briefgen check)"
    )
    return Diagnostic(*where, Severity.WARNING, "", message)
