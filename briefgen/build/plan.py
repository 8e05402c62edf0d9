"""Which of each briefing's outputs are out of date: decided from the manifest, then the source.

``plan`` decides before any source is loaded, from the manifest's record and the key of the
file's inputs; ``prepare`` decides again once the source has loaded and its revision is
numbered (the revision record is one of the inputs). Each returns a value; nothing here is
changed after it is made.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.build.cache import (
    cache_bytes,
    cache_name,
    cached_warnings,
    warnings_bytes,
    warnings_name,
)
from briefgen.build.context import Options, Workspace
from briefgen.build.keys import PAGES, PDFS, content_id, evidence_files, group_key, input_key
from briefgen.build.manifest import BriefingRecord, Made
from briefgen.build.revisions import STATE_DIR, Step, advance, since_git
from briefgen.errors import Diagnostic
from briefgen.render.meta import BriefingMeta, Revision
from briefgen.verify.check import LoadedSource
from briefgen.writer import read_or_none


@dataclass(frozen=True)
class Planned:
    """One source file of this build, and what its outputs need, before it is loaded.

    ``meta`` and ``warnings`` are known only for a briefing with nothing to do: what the
    manifest and the source's cache remember of it. The file's bytes are not kept: a
    workspace of thousands of sources would hold them all for the whole build.
    """

    path: Path
    record: BriefingRecord | None
    key: str = ""
    todo: frozenset[str] = frozenset()
    has_pdf: bool = False
    meta: BriefingMeta | None = None
    warnings: tuple[Diagnostic, ...] = ()

    @property
    def slug(self) -> str:
        """Return the briefing's name (its file name)."""
        return self.path.stem


@dataclass(frozen=True)
class Prepared:
    """A briefing loaded and checked, its revision numbered and its outputs keyed.

    ``files`` are the revision record and the source's cache, to be committed with the
    outputs.
    """

    planned: Planned
    source: LoadedSource
    key: str
    todo: frozenset[str]
    has_pdf: bool
    meta: BriefingMeta
    files: Mapping[str, bytes] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        """Return the briefing's name (its file name)."""
        return self.planned.slug


def record_name(slug: str) -> str:
    """Return the output-relative path of a briefing's revision record."""
    return f"{STATE_DIR}/{slug}.json"


def wanted(ws: Workspace) -> frozenset[str]:
    """Return the groups of outputs this build makes for each briefing."""
    return frozenset([PAGES] * ws.config.outputs.html + [PDFS] * ws.pdf)


def decide(
    record: BriefingRecord | None, key: str, ws: Workspace, fresh: bool
) -> tuple[bool, frozenset[str]]:
    """Return whether a briefing's pages link a PDF, and which groups of outputs are out of date.

    A build without PDFs still links a PDF that is current: one made from the same inputs.
    """
    if record is None or fresh:
        return ws.pdf, wanted(ws)
    has_pdf = ws.pdf or record.current(PDFS, group_key(key, PDFS), ws.out_dir)
    todo = frozenset(
        group
        for group in wanted(ws)
        if not record.current(group, group_key(key, group, has_pdf, ws.docx), ws.out_dir)
    )
    return has_pdf, todo


def plan(
    path: Path, ws: Workspace, records: Mapping[str, BriefingRecord], options: Options
) -> Planned:
    """Decide from the manifest, without loading the source, which of its outputs to make."""
    raw, record = read_or_none(path), records.get(path.stem)
    if raw is None or record is None or options.fresh:
        return Planned(path, record, todo=wanted(ws), has_pdf=ws.pdf)
    revision_record = read_or_none(ws.out_dir / record_name(path.stem))
    key = input_key(ws, path, raw, record.evidence, revision_record, None)
    has_pdf, todo = decide(record, key, ws, fresh=False)
    warnings = cached_warnings(ws.out_dir, path, key) if record.warnings else []
    if warnings is None or (options.strict and warnings):
        todo = wanted(ws)  # load it: to say its warnings again, or fail on them
    if todo or warnings is None:
        return Planned(path, record, key, todo, has_pdf)
    meta = record.meta(has_pdf)
    return Planned(path, record, key, todo, has_pdf, meta, tuple(warnings))


def previous(path: Path, ws: Workspace, records: Mapping[str, BriefingRecord]) -> Planned | None:
    """Describe a briefing built earlier from the manifest, if its inputs are unchanged."""
    record, raw = records.get(path.stem), read_or_none(path)
    if record is None or raw is None:
        return None
    revision_record = read_or_none(ws.out_dir / record_name(path.stem))
    key = input_key(ws, path, raw, record.evidence, revision_record, None)
    if key != record.key:
        return None
    has_pdf = (ws.out_dir / path.stem / f"{path.stem}.pdf").is_file()
    return Planned(path, record, key, meta=record.meta(has_pdf))


def prepare(planned: Planned, source: LoadedSource, ws: Workspace, options: Options) -> Prepared:
    """Number a loaded briefing's revision and key its outputs; its record and cache to stage."""
    step = revision_step(source, ws, options.since)
    files = {} if options.draft else dict(step.files)
    revision_record = files.get(record_name(planned.slug)) or read_or_none(
        ws.out_dir / record_name(planned.slug)
    )
    evidence = evidence_files(source)
    key = input_key(ws, planned.path, source.raw, evidence, revision_record, options.key_note)
    has_pdf, todo = decide(planned.record, key, ws, options.fresh)
    meta = briefing_meta(source, ws, step.revision, has_pdf)
    files[cache_name(planned.slug)] = cache_bytes(source, key)
    files[warnings_name(planned.slug)] = warnings_bytes(source, key)
    return Prepared(planned, source, key, todo, has_pdf, meta, files)


def revision_step(source: LoadedSource, ws: Workspace, since: str | None) -> Step:
    """Number this build's revision of a source; with ``since``, list changes from git."""
    step = advance(ws.out_dir, source, ws.when.date())
    if since is None:
        return step
    return Step(since_git(step.revision, source, since), step.files)


def briefing_meta(
    source: LoadedSource,
    ws: Workspace,
    revision: Revision | None = None,
    has_pdf: bool | None = None,
) -> BriefingMeta:
    """Return the content id, date and revision this build gives a briefing."""
    linked = ws.pdf if has_pdf is None else has_pdf
    transcript = bool(source.briefing.transcript)
    digest = content_id(source, ws.template_digest)
    return BriefingMeta(
        digest, ws.when.date(), linked, revision or Revision(), transcript, has_docx=ws.docx
    )


def record_of(p: Prepared, made: Mapping[str, Made]) -> BriefingRecord:
    """Return the manifest record of a briefing this build loaded, with what it made now."""
    return BriefingRecord(
        key=p.key,
        content_id=p.meta.content_id,
        prepared=p.meta.prepared,
        revision=p.meta.revision,
        evidence=tuple(evidence_files(p.source)),
        warnings=len(p.source.warnings),
        made={**(p.planned.record.made if p.planned.record else {}), **made},
        transcript=p.meta.has_transcript,
    )
