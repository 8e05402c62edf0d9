"""The build's site stage: which briefings the site lists, and its pages staged.

The site lists the briefings built now and those built before whose sources still load;
what the last build kept of the site (manifest.SiteRecord) lets sitepages.py render only
the pages whose keys changed, loading (or restoring from their caches) only the sources
those pages are made from.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.build.cache import restore
from briefgen.build.manifest import Item, Manifest, SiteRecord, content_id, previous_item, site_key
from briefgen.build.progress import Reporter
from briefgen.errors import Diagnostic, Severity, SourceError
from briefgen.paths import SOURCES_DIR, display_path, source_files
from briefgen.render.meta import BriefingMeta
from briefgen.site.pages import Kept, Listed, site_plan
from briefgen.verify.check import LoadedSource, check_paths, load_source
from briefgen.writer import OutputWriter, read_or_none

if TYPE_CHECKING:
    from briefgen.build.pipeline import BuildResult, Workspace


def stage_site(
    writer: OutputWriter,
    ws: Workspace,
    items: Sequence[Item],
    manifest: Manifest,
    result: BuildResult,
    force: bool,
    reporter: Reporter,
) -> SiteRecord | None:
    """Render and stage the assets and the site-wide pages whose inputs changed."""
    if not ws.config.outputs.html:
        return manifest.site
    listed, warnings = index_entries(ws, items, manifest)
    result.warnings += warnings
    key = site_key(ws, listed)
    before = None if force else manifest.site
    if before is not None and before.current(key, ws.out_dir):
        return before
    files = {f"assets/{name}": data for name, data in ws.renderer.assets().items()}
    base = ws.template_digest + (ws.pinned.isoformat().encode() if ws.pinned else b"")
    plan = site_plan(ws.renderer, [listing(item, ws) for item in listed], base, kept(before, ws))
    makers = {page.path: page.make for page in plan.pages if page.make is not None}
    reporter.stage("Rendering site pages", len(makers))
    for path, make in makers.items():
        files[path] = make()
        reporter.advance()
    for relative, data in files.items():
        if data != read_or_none(ws.out_dir / relative):  # one edit changes few site pages
            writer.stage(relative, data)
    pages = {relative: "" for relative in files} | {p.path: p.key or "" for p in plan.pages}
    return SiteRecord(key, pages, plan.rows, plan.events)


def listing(item: Item, ws: Workspace) -> Listed:
    """Describe a listed briefing to the site; its source is loaded (or restored) if asked for."""
    assert item.meta is not None
    source = functools.cache(lambda: loaded(item, ws))
    return Listed(item.slug, display_path(item.path), item.meta, source)


def kept(before: SiteRecord | None, ws: Workspace) -> Kept | None:
    """Tell the site what the last build kept of it, and which of its files are current."""
    if before is None:
        return None
    return Kept(before.events, before.rows, lambda path, k: before.kept(path, k, ws.out_dir))


def loaded(item: Item, ws: Workspace) -> LoadedSource:
    """Return an item's source: as loaded, else from its cache, else loaded now."""
    if item.source is None and item.raw is not None:
        item.source = restore(ws.out_dir, item.path, item.raw, item.key)
    if item.source is None:
        item.source, diagnostics = load_source(item.path)
        if item.source is None:
            raise SourceError(diagnostics)
    return item.source


def index_entries(
    ws: Workspace, items: Sequence[Item], manifest: Manifest
) -> tuple[list[Item], list[Diagnostic]]:
    """List every briefing in the output: those built now, and those built before.

    A briefing built before is listed when its page is in the output and its source (in
    the workspace's sources/ folder) still loads. One whose source now has errors is left
    off with a warning: the index cannot describe a briefing from a source it cannot read,
    and failing would make one broken file block building every other. A source the
    manifest shows unchanged since its page was made is not loaded again.
    """
    slugs = {item.slug for item in items}
    paths = {item.path.resolve() for item in items}
    others = [
        f
        for f in source_files([ws.root / SOURCES_DIR])
        if f.resolve() not in paths
        and f.stem not in slugs
        and (ws.out_dir / f.stem / "index.html").is_file()
    ]
    known = {path: previous_item(path, ws, manifest) for path in others}
    report = check_paths([path for path, item in known.items() if item is None])
    for source in report.sources:
        meta = previous_meta(source, ws, ws.out_dir / source.slug / "index.html")
        known[source.path] = Item(source.path, source.raw, None, source=source, meta=meta)
    warnings = [_left_off(path, report.errors, ws) for path in others if known[path] is None]
    return [*items, *(item for item in known.values() if item is not None)], warnings


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
