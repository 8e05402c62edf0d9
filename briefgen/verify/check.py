"""Load and validate sources: the stage every command starts with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.errors import ConfigError, Diagnostic, Severity, SourceError, UsageError
from briefgen.paths import display_path, find_root, source_files
from briefgen.source.book import check_books
from briefgen.source.config import load_config
from briefgen.source.loader import Document, load_bytes, read_bytes
from briefgen.source.model import Briefing
from briefgen.source.people_import import write_people
from briefgen.source.references import check_document
from briefgen.source.registry import registry_of, resolve_speakers
from briefgen.source.schema import validate_document
from briefgen.verify.editorial import editorial_diagnostics
from briefgen.verify.people import placeholder_diagnostics, registry_clashes, shared_ids
from briefgen.verify.quotes import Evidence, Status, Verdict, verify_briefing


@dataclass(frozen=True)
class LoadedSource:
    """A validated source file, with what it was made from."""

    path: Path
    display: str
    slug: str
    root: Path
    raw: bytes
    document: Document
    briefing: Briefing
    warnings: list[Diagnostic] = field(default_factory=list)
    verdicts: list[Verdict] = field(default_factory=list)

    def verdict(self, index: int) -> Verdict | None:
        """Return the verification verdict of the quote at ``index``."""
        return self.verdicts[index] if index < len(self.verdicts) else None


@dataclass
class Report:
    """Every diagnostic from checking a set of sources, and the sources that loaded."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: list[LoadedSource] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        """Return the diagnostics that fail a check."""
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]


def load_source(
    path: Path, *, strict: bool = False
) -> tuple[LoadedSource | None, list[Diagnostic]]:
    """Load, validate and cross-check one source; return it (if valid) and its diagnostics."""
    display = display_path(path)
    root = find_root(path)
    try:
        raw = read_bytes(path, display)
        document = load_bytes(raw, display)
    except SourceError as exc:
        return None, exc.diagnostics
    registry = registry_of(root)
    resolved = resolve_speakers(document, registry)
    briefing, diagnostics = validate_document(document, Briefing)
    diagnostics += resolved + check_document(document, root, path.stem)
    broken = any(d.severity is Severity.ERROR for d in diagnostics)
    verdicts: list[Verdict] = []
    if briefing is not None and not broken:
        evidence = Evidence(briefing, root)
        verdicts = verify_briefing(briefing, root, evidence)
        diagnostics += [
            d for n, v in enumerate(verdicts) if (d := _verdict_diagnostic(document, n, v))
        ]
        diagnostics += editorial_diagnostics(document, briefing, evidence, verdicts)
        diagnostics += placeholder_diagnostics(document, briefing)
        diagnostics += registry_clashes(document, briefing, registry.people)
    diagnostics = sorted({d.promoted() if strict else d for d in diagnostics})
    if briefing is None or any(d.severity is Severity.ERROR for d in diagnostics):
        return None, diagnostics
    loaded = LoadedSource(
        path, display, path.stem, root, raw, document, briefing, diagnostics, verdicts
    )
    return loaded, diagnostics


_VERDICT_SEVERITY = {
    Status.NEAR_MISS: Severity.WARNING,
    Status.UNVERIFIABLE: Severity.WARNING,
    Status.MISATTRIBUTED: Severity.ERROR,
    Status.NOT_FOUND: Severity.ERROR,
}


def _verdict_diagnostic(document: Document, index: int, verdict: Verdict) -> Diagnostic | None:
    """Report a quote that does not verify against its evidence, at the quote's text."""
    severity = _VERDICT_SEVERITY.get(verdict.status)
    if severity is None:
        return None
    return document.diagnostic(("quotes", index, "text"), verdict.message, severity)


def check_paths(paths: list[Path], *, strict: bool = False) -> Report:
    """Check every source file, collecting all diagnostics from all of them."""
    report = Report()
    for path in paths:
        source, diagnostics = load_source(path, strict=strict)
        report.diagnostics += diagnostics
        if source is not None:
            report.sources.append(source)
    clashes = shared_ids([(s.briefing, s.document) for s in report.sources])
    report.diagnostics += [d.promoted() if strict else d for d in clashes]
    for source in report.sources:
        source.warnings.extend(d for d in clashes if d.path == source.display)
    return report


def load_sources(paths: list[Path], *, strict: bool = False) -> list[LoadedSource]:
    """Return every source validated, or raise SourceError listing all problems."""
    report = check_paths(paths, strict=strict)
    if report.errors:
        raise SourceError(report.diagnostics)
    return report.sources


def check_config(root: Path) -> list[Diagnostic]:
    """Return the located problems of the workspace's briefgen.yaml and people.yaml."""
    try:
        load_config(root)
    except ConfigError as exc:
        return exc.diagnostics + list(registry_of(root).diagnostics)
    return list(registry_of(root).diagnostics)


def check_workspace(files: list[Path], *, strict: bool = False) -> Report:
    """Check sources, and their workspace's configuration, people and books as a build would."""
    report = check_paths(files, strict=strict)
    if files:
        root = find_root(files[0])
        report.diagnostics += check_config(root)
        everything = source_files([root / "sources"]) if (root / "sources").is_dir() else files
        report.diagnostics += check_books(root, {f.stem: f for f in [*everything, *files]})
    return report


def import_people(paths: Sequence[Path]) -> tuple[Path, int, int]:
    """Write the workspace's first people.yaml from the sources of ``paths``.

    Return the file, how many people it holds, and from how many sources.
    """
    files = source_files(list(paths))
    if not files:
        raise UsageError("no source files to take people from")
    sources = load_sources(files)
    path, count = write_people(find_root(files[0]), [s.briefing for s in sources])
    return path, count, len(files)
