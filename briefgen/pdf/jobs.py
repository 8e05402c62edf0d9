"""What a PDF job is and what comes back: plain data, shared by the pool and its workers."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from briefgen.errors import RenderError

logger = logging.getLogger(__name__)

MAX_HTML_CHARS = 20_000_000
PDF_MEMORY = 1536 * 1024 * 1024  # a worker's default limit: past it, the job fails, named


MAX_ATTACHMENT_BYTES = 50_000_000


Attachment = tuple[str, bytes, str]


@dataclass(frozen=True)
class PdfJob:
    """One PDF to render: the print HTML and what goes with it."""

    slug: str
    html: str
    root: Path
    attachments: tuple[Attachment, ...] = ()
    created: datetime | None = None
    identifier: bytes = b""
    timeout: float = 120.0
    folders: tuple[Path, ...] = ()
    max_pages: int | None = None  # more pages fail the job (the memo's limit)
    memory: int | None = PDF_MEMORY  # bytes of address space the renderer may use


@dataclass(frozen=True)
class PdfOutput:
    """A rendered PDF, the URLs the fetcher refused, and WeasyPrint's own complaints."""

    data: bytes
    refused: tuple[str, ...] = ()
    messages: tuple[str, ...] = ()
    pages: int = 0


def source_date(env: Mapping[str, str] = os.environ) -> datetime | None:
    """Return SOURCE_DATE_EPOCH as an aware UTC datetime; None when unset, empty or invalid."""
    value = env.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    try:
        seconds = int(value)
        if seconds < 0:
            raise ValueError(value)
        return datetime.fromtimestamp(seconds, UTC)
    except (ValueError, OverflowError, OSError):
        logger.warning("ignoring SOURCE_DATE_EPOCH=%r: not a number of seconds", value)
        return None


def allowed_folders(root: Path) -> tuple[Path, ...]:
    """Return the only folders whose files a PDF may load: workspace and built-in templates."""
    from briefgen.paths import builtin_templates

    return ((root / "templates").resolve(), builtin_templates().resolve())


def oversized(job: PdfJob) -> RenderError | None:
    """Refuse inputs too large to be a briefing before they reach the renderer."""
    if len(job.html) > MAX_HTML_CHARS:
        return RenderError(f"{job.slug}: print HTML is larger than {MAX_HTML_CHARS} characters")
    if sum(len(data) for _, data, _ in job.attachments) > MAX_ATTACHMENT_BYTES:
        return RenderError(f"{job.slug}: attachments are larger than {MAX_ATTACHMENT_BYTES} bytes")
    return None
