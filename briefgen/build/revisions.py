"""Revision numbers and snapshots of each briefing, kept under the output directory.

Each build compares a source with the snapshot of its last recorded revision. A change in
meaning (briefgen.diff) starts revision N+1 and keeps a snapshot of it, so the briefing can
say "Revision N · updated <date>" and list the changes since revision N-1. Reformatting
alone starts no revision. The records are staged through the build's writer, so a failed
build records nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from briefgen.build.seal import sealed, sealed_text, unsealed, unsealed_text
from briefgen.diff.changes import Changes
from briefgen.diff.compare import diff_briefings, load_briefing_bytes
from briefgen.errors import BriefgenError
from briefgen.render.meta import Revision
from briefgen.source.history import blob_at
from briefgen.verify.check import LoadedSource

logger = logging.getLogger(__name__)

STATE_DIR = ".briefgen/revisions"


@dataclass(frozen=True)
class Record:
    """What the output directory remembers of a briefing's latest revision."""

    number: int
    updated: dt.date

    def dumps(self) -> bytes:
        """Serialise for output/.briefgen/revisions/<slug>.json."""
        data = sealed({"number": self.number, "updated": self.updated.isoformat()})
        return (json.dumps(data, indent=2) + "\n").encode("utf-8")


def _record_path(out_dir: Path, slug: str) -> Path:
    return out_dir / STATE_DIR / f"{slug}.json"


def snapshot_name(slug: str, number: int) -> str:
    """Return the output-relative path of a revision's snapshot."""
    return f"{STATE_DIR}/{slug}/{number}.yaml"


def read_record(out_dir: Path, slug: str) -> Record | None:
    """Read the last recorded revision; None when there is none or it is unreadable."""
    try:
        data = unsealed(json.loads(_record_path(out_dir, slug).read_text(encoding="utf-8")))
        if data is None:
            logger.info("%s: ignoring a revision record this user's builds did not write", slug)
            return None
        return Record(int(data["number"]), dt.date.fromisoformat(data["updated"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _snapshot(out_dir: Path, slug: str, number: int) -> bytes | None:
    """Read a revision's snapshot, if it was kept."""
    try:
        return unsealed_text((out_dir / snapshot_name(slug, number)).read_bytes())
    except OSError:
        return None


def _changes(old: bytes | None, source: LoadedSource) -> Changes:
    """Compare a snapshot with the current source; an unreadable snapshot shows nothing."""
    if old is None:
        return Changes([])
    try:
        return diff_briefings(load_briefing_bytes(old, "snapshot"), source.briefing)
    except BriefgenError:
        logger.warning("%s: an old snapshot no longer loads; not listing changes", source.slug)
        return Changes([])


@dataclass(frozen=True)
class Step:
    """This build's revision of a briefing, and the files that record it."""

    revision: Revision
    files: dict[str, bytes]


def advance(out_dir: Path, source: LoadedSource, today: dt.date) -> Step:
    """Work out this build's revision of a source and the state files to stage."""
    slug, record = source.slug, read_record(out_dir, source.slug)
    if record is None:
        return _step(slug, Revision(1, today), source.raw)
    latest = _changes(_snapshot(out_dir, slug, record.number), source)
    if latest:
        label = f"revision {record.number}"
        return _step(slug, Revision(record.number + 1, today, latest, label), source.raw)
    previous = _changes(_snapshot(out_dir, slug, record.number - 1), source)
    label = f"revision {record.number - 1}" if previous else ""
    return Step(Revision(record.number, record.updated, previous, label), {})


def _step(slug: str, revision: Revision, raw: bytes) -> Step:
    """Record a new revision: its number and date, and a snapshot of the source."""
    assert revision.updated is not None
    record = Record(revision.number, revision.updated)
    snapshot = sealed_text(raw)
    files = {
        f"{STATE_DIR}/{slug}.json": record.dumps(),
        snapshot_name(slug, revision.number): snapshot,
    }
    return Step(revision, files)


def since_git(revision: Revision, source: LoadedSource, rev: str) -> Revision:
    """Take the changes from git revision ``rev`` instead of the last recorded revision.

    A source that did not exist at ``rev`` is new: it shows no changes box.
    """
    old = blob_at(source.path, rev)
    if old is None:
        return Revision(revision.number, revision.updated)
    changes = diff_briefings(load_briefing_bytes(old, f"{rev}:{source.display}"), source.briefing)
    return Revision(revision.number, revision.updated, changes, rev)
