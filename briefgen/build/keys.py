"""Keys of a briefing's outputs: hashes of everything each group of them is made from."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from briefgen.build.context import Workspace, add_chunk
from briefgen.paths import find_root, inside
from briefgen.render.meta import BriefingMeta
from briefgen.verify.check import LoadedSource

PAGES = "pages"
PDFS = "pdfs"


def evidence_files(source: LoadedSource) -> list[str]:
    """Return the workspace paths of the evidence files a source cites, in order."""
    return [item.file for item in source.briefing.sources if item.file]


def content_digest(root: Path, raw: bytes, evidence: Sequence[str], shared: bytes) -> Any:
    """Hash a source's bytes and its evidence files' on top of what every briefing shares."""
    digest = hashlib.sha256(shared)
    add_chunk(digest, "source", raw)
    for file in evidence:
        target = inside(root, file)
        data = target.read_bytes() if target is not None and target.is_file() else b""
        add_chunk(digest, f"evidence:{file}", data)
    return digest


def content_id(source: LoadedSource, shared: bytes) -> str:
    """Return a short hash of everything this briefing's output is made from."""
    digest = content_digest(source.root, source.raw, evidence_files(source), shared)
    return digest.hexdigest()[:12]


def input_key(
    ws: Workspace,
    path: Path,
    raw: bytes,
    evidence: Sequence[str],
    record: bytes | None,
    note: str | None,
) -> str:
    """Key everything a briefing's outputs are made from.

    That is what ``content_id()`` hashes (source, evidence, templates, configuration,
    versions), plus the revision record the page shows, the pinned date and the options'
    ``note`` (a --since revision, a draft).
    """
    digest = content_digest(find_root(path), raw, evidence, ws.template_digest)
    add_chunk(digest, "record" if record is not None else "no record", record or b"")
    add_chunk(digest, "pinned", ws.pinned.isoformat().encode() if ws.pinned else b"")
    add_chunk(digest, "since", (note or "").encode())
    return str(digest.hexdigest())


def group_key(key: str, group: str, has_pdf: bool = True, docx: bool = False) -> str:
    """Key one group of a briefing's outputs: its pages also on the PDF and Word files linked."""
    linked = (str(has_pdf) + ("+docx" if docx else "")) if group == PAGES else ""
    return hashlib.sha256(f"{key}\0{group}\0{linked}".encode()).hexdigest()


def site_key(ws: Workspace, listed: Sequence[tuple[str, BriefingMeta]]) -> str:
    """Key the site-wide pages: every listed briefing's content id and metadata, the templates."""
    digest = hashlib.sha256(ws.template_digest)
    add_chunk(digest, "pinned", ws.pinned.isoformat().encode() if ws.pinned else b"")
    for slug, meta in sorted(listed, key=lambda pair: pair[0]):
        revision = meta.revision
        fields = (slug, meta.content_id, meta.prepared, meta.has_pdf, revision.number)
        add_chunk(digest, "entry", repr((*fields, revision.updated, revision.since)).encode())
    return digest.hexdigest()
