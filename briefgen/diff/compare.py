"""What changed in meaning between two versions of a briefing source.

Items are matched by key (positions by side and topic, quotes by id or text,
everything else by id), so reordering lists, YAML quoting style and reflowed
Markdown are no change. The stages live in their own modules: ``diff_match``
pairs items, ``diff_describe`` and ``diff_stances`` word the changes, and
``diff_changes`` holds them and writes them out as text or JSON.
"""

from __future__ import annotations

from pathlib import Path

from briefgen.diff.changes import Changes
from briefgen.diff.describe import (
    event_changes,
    list_changes,
    people_changes,
    side_changes,
    transcript_changes,
)
from briefgen.diff.stances import position_changes, quote_changes
from briefgen.diff.wording import Labels
from briefgen.errors import Severity, SourceError, UsageError
from briefgen.paths import display_path, source_files
from briefgen.source.history import blob_at
from briefgen.source.loader import load_bytes, read_bytes
from briefgen.source.model import Briefing, Event
from briefgen.source.references import check_unique
from briefgen.source.schema import validate_document

_SECTIONS = (
    event_changes,
    side_changes,
    position_changes,
    quote_changes,
    people_changes,
    list_changes,
    transcript_changes,
)


def diff_briefings(old: Briefing, new: Briefing) -> Changes:
    """Return every change in meaning from ``old`` to ``new``."""
    names = Labels(old, new)
    return Changes([change for section in _SECTIONS for change in section(old, new, names)])


def load_briefing_bytes(raw: bytes, display: str) -> Briefing:
    """Parse and schema-validate a source; SourceError lists every located problem.

    Cross-references are not checked: an old revision with a dangling id can
    still be compared (names fall back to ids). Ids must be unique, though,
    because matching relies on them.
    """
    document = load_bytes(raw, display)
    briefing, diagnostics = validate_document(document, Briefing)
    diagnostics += check_unique(document)
    errors = sorted(d for d in diagnostics if d.severity is Severity.ERROR)
    if briefing is None or errors:
        raise SourceError(errors)
    return briefing


def _load_path(path: Path) -> Briefing:
    """Read and load one source file; UsageError if there is none."""
    display = display_path(path)
    if not path.is_file():
        raise UsageError(f"{display}: no such file")
    return load_briefing_bytes(read_bytes(path, display), display)


def diff_files(old: Path, new: Path) -> Changes:
    """Compare two source files by meaning."""
    before, after = _load_path(old), _load_path(new)
    return diff_briefings(before, after)


def _blank() -> Briefing:
    """Return an empty briefing, so that a new (or deleted) file is all added (or removed)."""
    event = Event.model_construct(**dict.fromkeys(Event.model_fields))
    return Briefing.model_construct(event=event, sides=[], speakers=[])


def _diff_one_since(rev: str, path: Path) -> Changes:
    """Compare one source with its version at ``rev``."""
    display = display_path(path)
    raw = blob_at(path, rev)
    if raw is None and not path.is_file():
        raise UsageError(f"{display}: no such file")
    old = _blank() if raw is None else load_briefing_bytes(raw, f"{rev}:{display}")
    new = _load_path(path) if path.exists() else _blank()
    return diff_briefings(old, new)


def diff_since(rev: str, paths: list[Path]) -> list[tuple[Path, Changes]]:
    """Compare each source file (folders give their ``*.yaml``) with its version at ``rev``."""
    return [(path, _diff_one_since(rev, path)) for path in source_files(paths)]
