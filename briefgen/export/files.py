"""Exports as files: made from the workspace's sources, written whole or not at all."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from briefgen.errors import UsageError
from briefgen.export.akn import akn_debate
from briefgen.export.csl import csl_items
from briefgen.paths import source_files
from briefgen.pdf.jobs import source_date
from briefgen.verify.check import load_sources
from briefgen.writer import OutputWriter


def akn_file(path: Path) -> bytes:
    """Return the Akoma Ntoso debate of one source's transcript; its date is the build's."""
    if not path.is_file():
        raise UsageError(f"no source {path}")
    [source] = load_sources([path])
    pinned = source_date()
    exported = (pinned.date() if pinned else dt.date.today()).isoformat()
    return akn_debate(source.briefing, source.slug, exported)


def csl_file(paths: Sequence[Path]) -> bytes:
    """Return every source the briefings of ``paths`` cite, as CSL-JSON."""
    sources = load_sources(source_files(list(paths)))
    items = csl_items([(s.slug, s.briefing) for s in sources])
    return (json.dumps(items, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_export(data: bytes, target: Path | None) -> Path | None:
    """Write an export to ``target`` atomically (or to standard output); return the file."""
    if target is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return None
    writer = OutputWriter(target.parent.resolve())
    writer.stage(target.name, data)
    writer.commit()
    return target
