"""The worker side: load WeasyPrint once, then render each job received, tagged and confined."""

from __future__ import annotations

import gc
import logging
import os
import resource
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from multiprocessing.connection import Connection

from briefgen.errors import RenderError
from briefgen.pdf.fetcher import fetcher_type
from briefgen.pdf.jobs import PdfJob, PdfOutput

PDF_VARIANT = "pdf/ua-1"
ORPHANED = 70  # the exit code of a worker whose parent died: it stops at once, mid-job or not
MB = 1024 * 1024


WORKER_GC_THRESHOLD = 100_000  # allocations between collections of the youngest objects


def serve(fd: int) -> None:
    """Worker entry point: load WeasyPrint, then render each job received on ``fd``.

    Layout makes many objects and few cycles: with Python's default threshold (700
    allocations), collecting garbage took a tenth of each render. The worker collects
    less often (WORKER_GC_THRESHOLD), and fully after sending each PDF: a render's
    garbage would otherwise pile up (294 MB after 20 PDFs, against 104 MB). Freezing
    what the imports made halves that collection (to about 25 ms).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent()
    gc.set_threshold(WORKER_GC_THRESHOLD, *gc.get_threshold()[1:])
    import weasyprint  # noqa: F401  (paid once per worker, before the first job's clock)

    gc.freeze()  # what importing made lives as long as the worker: collections skip it

    conn = Connection(fd)
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(("done", _render_safely(job)))
        gc.collect()  # the job's layout, cycles and all, is garbage: free it before the next


def _exit_with_parent() -> None:
    """End this process as soon as the parent dies, even mid-render.

    The parent holds the other end of our standard input and never writes to it: the
    read returns only at end of file, when the parent has gone (killed, or crashed).
    """

    def watch() -> None:
        with suppress(OSError):
            while sys.stdin.buffer.read(1):
                pass
        os._exit(ORPHANED)

    threading.Thread(target=watch, name="briefgen-parent-watch", daemon=True).start()


def _render_safely(job: PdfJob) -> PdfOutput | RenderError:
    """Render a job in the worker, turning any failure into a RenderError naming the slug."""
    try:
        with _memory_limited(job.memory):
            return _render(job)
    except MemoryError:
        gc.collect()
        return RenderError(f"{job.slug}: {memory_message(job.memory)}")
    except Exception as exc:  # whatever WeasyPrint raises ends this PDF only
        return RenderError(f"{job.slug}: PDF rendering failed: {type(exc).__name__}: {exc}")


def memory_message(limit: int | None) -> str:
    """Say that a PDF needed more memory than its limit, and where the limit is set."""
    size = f"{limit // MB} MB" if limit else "the memory available"
    return (
        f"the PDF needs more memory than its limit of {size}; shorten the document, "
        "or raise pdf_limits.memory_mb in briefgen.yaml"
    )


@contextmanager
def _memory_limited(limit: int | None) -> Iterator[None]:
    """Limit this process's address space to ``limit`` bytes while rendering one job."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if limit is not None:
        wanted = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _render(job: PdfJob) -> PdfOutput:
    """Render a job with WeasyPrint (in the worker): tagged PDF/UA-1, confined fetches."""
    import weasyprint

    _pin_source_date(job.created)
    fetcher = fetcher_type()(job.folders)
    created = job.created.astimezone(UTC).replace(tzinfo=None) if job.created else None
    attachments = [
        weasyprint.Attachment(
            string=data,
            name=name,
            description=description,
            created=created,
            modified=created,
            url_fetcher=fetcher,
        )
        for name, data, description in job.attachments
    ]
    base_url = (job.root / "templates").resolve().as_uri() + "/"
    with _captured("weasyprint") as messages:
        html = weasyprint.HTML(string=job.html, base_url=base_url, url_fetcher=fetcher)
        # render, then write: the same as html.write_pdf(), with the page count in hand
        options = {
            "pdf_variant": PDF_VARIANT,
            "pdf_identifier": job.identifier or None,
            "attachments": attachments,
        }
        document = html.render(**options)
        data = document.write_pdf(**options)
    refused = tuple(dict.fromkeys(fetcher.refused))
    return PdfOutput(data, refused, tuple(messages), len(document.pages))


def _pin_source_date(created: datetime | None) -> None:
    """Make fontTools' timestamps follow ``created``; an empty SOURCE_DATE_EPOCH would crash it."""
    if created is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = str(int(created.timestamp()))


class _captured:
    """Collect the warnings a logger emits inside a ``with`` block."""

    def __init__(self, name: str) -> None:
        self.logger = logging.getLogger(name)
        self.handler = _ListHandler()

    def __enter__(self) -> list[str]:
        self.logger.addHandler(self.handler)
        return self.handler.messages

    def __exit__(self, *exc: object) -> None:
        self.logger.removeHandler(self.handler)


class _ListHandler(logging.Handler):
    """A logging handler that keeps WARNING and worse as text."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
