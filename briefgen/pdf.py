"""PDFs from print HTML: WeasyPrint in bounded worker processes behind a confined URL fetcher.

This is the only module that imports weasyprint, and it does so only inside the worker
processes, so that a build without PDFs (or the parent of the workers) never pays for it.
"""

from __future__ import annotations

import functools
import gc
import logging
import mimetypes
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

import briefgen

from .errors import RenderError

logger = logging.getLogger(__name__)

MAX_HTML_CHARS = 20_000_000
MAX_ATTACHMENT_BYTES = 50_000_000
MAX_FETCH_BYTES = 20_000_000
STARTUP_TIMEOUT = 60.0
PDF_VARIANT = "pdf/ua-1"
WORKER_GC_THRESHOLD = 100_000  # allocations between collections of the youngest objects

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


@dataclass(frozen=True)
class PdfOutput:
    """A rendered PDF, the URLs the fetcher refused, and WeasyPrint's own complaints."""

    data: bytes
    refused: tuple[str, ...] = ()
    messages: tuple[str, ...] = ()


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
    from .render import builtin_templates  # not in workers: they need not load Jinja2

    return ((root / "templates").resolve(), builtin_templates().resolve())


def render_pdf(
    html: str,
    *,
    root: Path,
    attachments: Sequence[Attachment] = (),
    created: datetime | None,
    identifier: bytes,
    timeout: float = 120,
) -> bytes:
    """Render one PDF in a worker process; raise RenderError on failure or timeout."""
    job = PdfJob("document", html, root, tuple(attachments), created, identifier, timeout)
    output = render_pdfs([job], workers=1)[0]
    if isinstance(output, RenderError):
        raise output
    for url in output.refused:
        logger.warning("refused to load %s into the PDF", url)
    return output.data


def render_pdfs(
    jobs: Sequence[PdfJob], workers: int = 1, pool: PdfPool | None = None
) -> list[PdfOutput | RenderError]:
    """Render every job in up to ``workers`` processes; failures are returned, not raised.

    With a ``pool`` (started earlier, see ``PdfPool``), its workers render the jobs; it is
    closed when they are done.
    """
    results: dict[int, PdfOutput | RenderError] = {}
    queue: deque[int] = deque()
    when = source_date()
    jobs = [
        replace(job, created=job.created or when, folders=allowed_folders(job.root)) for job in jobs
    ]
    for index, job in enumerate(jobs):
        problem = _oversized(job)
        if problem:
            results[index] = problem
        else:
            queue.append(index)
    pool = pool or PdfPool(0)
    try:
        pool.run(jobs, results, queue, max(1, workers))
    finally:
        pool.close()
    return [results[index] for index in range(len(jobs))]


def _oversized(job: PdfJob) -> RenderError | None:
    """Refuse inputs too large to be a briefing before they reach the renderer."""
    if len(job.html) > MAX_HTML_CHARS:
        return RenderError(f"{job.slug}: print HTML is larger than {MAX_HTML_CHARS} characters")
    if sum(len(data) for _, data, _ in job.attachments) > MAX_ATTACHMENT_BYTES:
        return RenderError(f"{job.slug}: attachments are larger than {MAX_ATTACHMENT_BYTES} bytes")
    return None


@dataclass
class _Worker:
    """A worker process, its end of the socket pair, its stderr, and the job it holds."""

    process: subprocess.Popen[bytes]
    conn: Connection
    stderr: IO[bytes]
    index: int | None  # None: started ahead of the jobs, none given yet
    deadline: float
    started: bool = False

    def died(self) -> str:
        """Describe how the worker ended, with the last line it wrote to stderr."""
        try:
            code = self.process.wait(5)
        except subprocess.TimeoutExpired:
            code = None
        self.stderr.seek(0)
        last = self.stderr.read()[-2000:].decode(errors="replace").strip().splitlines() or [""]
        detail = f": {last[-1]}" if last[-1] else ""
        return f"the PDF renderer stopped unexpectedly (exit code {code}){detail}"


def _worker_command(fd: int) -> list[str]:
    """Return the command line of a fresh worker interpreter serving on ``fd``."""
    code = "import sys; from briefgen.pdf import serve; serve(int(sys.argv[1]))"
    return [sys.executable, "-P", "-c", code, str(fd)]


def _worker_env() -> dict[str, str]:
    """Return the worker's environment: ours, with briefgen importable."""
    env = dict(os.environ)
    package_parent = str(Path(briefgen.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_parent, env.get("PYTHONPATH")]))
    return env


class PdfPool:
    """Worker processes that each render one job at a time, killed when a job overruns.

    Workers can be started before their jobs exist (``PdfPool(n)``): loading WeasyPrint,
    the slowest part of a worker's start, then overlaps the build's loading and rendering.
    """

    def __init__(self, size: int) -> None:
        self.jobs: Sequence[PdfJob] = ()
        self.results: dict[int, PdfOutput | RenderError] = {}
        self.workers: list[_Worker] = []
        self.grow(size)

    def grow(self, size: int) -> None:
        """Start workers until there are ``size``."""
        while len(self.workers) < size:
            self.workers.append(self._start(None))

    def run(
        self,
        jobs: Sequence[PdfJob],
        results: dict[int, PdfOutput | RenderError],
        queue: deque[int],
        size: int,
    ) -> None:
        """Render every queued job, with the workers started ahead and more as needed."""
        self.jobs, self.results = jobs, results
        while queue or self.workers:
            while queue and len(self.workers) < size:
                self.workers.append(self._start(queue.popleft()))
            self._step(queue)

    def _start(self, index: int | None) -> _Worker:
        """Start a worker that will take job ``index`` (or the next) once it has loaded WeasyPrint.

        A fresh interpreter rather than multiprocessing: no fork of a threaded parent, and
        no re-import of the parent's ``__main__`` (``python -m briefgen`` would rerun the CLI).
        """
        ours, theirs = socket.socketpair()
        stderr = tempfile.TemporaryFile()  # noqa: SIM115  (the worker owns it; _retire closes)
        with theirs:
            process = subprocess.Popen(
                _worker_command(theirs.fileno()),
                pass_fds=(theirs.fileno(),),
                env=_worker_env(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
        conn = Connection(ours.detach())
        return _Worker(process, conn, stderr, index, time.monotonic() + STARTUP_TIMEOUT)

    def _step(self, queue: deque[int]) -> None:
        """Wait for the next message or deadline and act on it."""
        soonest = min(worker.deadline for worker in self.workers)
        ready = wait([w.conn for w in self.workers], max(0.0, soonest - time.monotonic()))
        for worker in list(self.workers):
            if worker.conn in ready:
                self._receive(worker, queue)
            elif worker.deadline <= time.monotonic():
                self._overran(worker)

    def _receive(self, worker: _Worker, queue: deque[int]) -> None:
        """Handle one message from a worker: ready, a result, or its death."""
        try:
            kind, payload = worker.conn.recv()
        except (EOFError, OSError):
            self._fail(worker, worker.died())
            return
        if kind != "ready" and worker.index is not None:
            self.results[worker.index] = payload
            worker.index = None
        if worker.index is None:
            if not queue:
                self._retire(worker)
                return
            worker.index = queue.popleft()
        self._send(worker)

    def _send(self, worker: _Worker) -> None:
        """Hand the worker its job and start the job's clock."""
        assert worker.index is not None
        job = self.jobs[worker.index]
        try:
            worker.conn.send(job)
        except OSError:
            self._fail(worker, worker.died())
            return
        worker.started = True
        worker.deadline = time.monotonic() + job.timeout

    def _overran(self, worker: _Worker) -> None:
        """Kill a worker whose job (or start-up) took too long."""
        if not worker.started:
            self._fail(worker, f"starting the PDF renderer took longer than {STARTUP_TIMEOUT:g} s")
            return
        assert worker.index is not None
        limit = self.jobs[worker.index].timeout
        self._fail(worker, f"PDF rendering took longer than {limit:g} s")

    def _fail(self, worker: _Worker, message: str) -> None:
        """Record a failure for the worker's job (if it has one) and get rid of the worker."""
        if worker.index is not None:
            slug = self.jobs[worker.index].slug
            self.results[worker.index] = RenderError(f"{slug}: {message}")
        else:
            logger.warning("a PDF worker failed before it had a job: %s", message)
        worker.process.kill()
        self._retire(worker)

    def _retire(self, worker: _Worker) -> None:
        """Close a worker's socket (which ends its loop) and reap it."""
        self.workers.remove(worker)
        worker.conn.close()
        try:
            worker.process.wait(5)
        except subprocess.TimeoutExpired:
            worker.process.kill()
            worker.process.wait()
        worker.stderr.close()

    def close(self) -> None:
        """Kill whatever is still running (unused workers, or after an interrupt or error)."""
        for worker in list(self.workers):
            worker.process.kill()
            self._retire(worker)


def serve(fd: int) -> None:
    """Worker entry point: load WeasyPrint, then render each job received on ``fd``.

    Layout makes many objects and few cycles: with Python's default threshold (700
    allocations), collecting garbage took a tenth of each render. The worker collects
    less often (WORKER_GC_THRESHOLD), and fully after sending each PDF: a render's
    garbage would otherwise pile up (294 MB after 20 PDFs, against 104 MB). Freezing
    what the imports made halves that collection (to about 25 ms).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
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


def _render_safely(job: PdfJob) -> PdfOutput | RenderError:
    """Render a job in the worker, turning any failure into a RenderError naming the slug."""
    try:
        return _render(job)
    except Exception as exc:  # whatever WeasyPrint raises ends this PDF only
        return RenderError(f"{job.slug}: PDF rendering failed: {type(exc).__name__}: {exc}")


def _render(job: PdfJob) -> PdfOutput:
    """Render a job with WeasyPrint (in the worker): tagged PDF/UA-1, confined fetches."""
    import weasyprint

    _pin_source_date(job.created)
    fetcher = _fetcher_type()(job.folders)
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
        data = html.write_pdf(
            pdf_variant=PDF_VARIANT,
            pdf_identifier=job.identifier or None,
            attachments=attachments,
        )
    return PdfOutput(data, tuple(dict.fromkeys(fetcher.refused)), tuple(messages))


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


def file_url_path(url: str) -> Path | None:
    """Return the local path a ``file:`` URL names, or None for a remote host."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        return None
    from urllib.request import url2pathname  # 12 ms: only workers fetch, never the parent

    return Path(url2pathname(parts.path))


def allowed_file(path: Path, folders: Sequence[Path]) -> Path | None:
    """Return the real path of a file inside one of the folders (symlinks resolved), else None."""
    try:
        real = path.resolve(strict=True)
        size = real.stat().st_size
    except (OSError, RuntimeError):
        return None
    inside = any(real.is_relative_to(folder) for folder in folders)
    return real if inside and real.is_file() and size <= MAX_FETCH_BYTES else None


@functools.cache
def _fetcher_type() -> type:
    """Define the confined fetcher class (WeasyPrint is imported only in workers)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ConfinedFetcher(URLFetcher):
        """Fetch ``data:`` URIs and template files; refuse (and record) everything else."""

        def __init__(self, folders: Sequence[Path]) -> None:
            super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
            self.folders = tuple(folders)
            self.refused: list[str] = []

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
            """Serve an allowed URL; raise (WeasyPrint then skips the resource) otherwise."""
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            path = file_url_path(url) if scheme == "file" else None
            real = allowed_file(path, self.folders) if path else None
            if real is None:
                self.refused.append(url if len(url) < 300 else url[:300] + "…")
                raise PermissionError(f"briefgen does not load {url[:300]} into PDFs")
            kind = mimetypes.guess_type(real.name)[0] or "application/octet-stream"
            return URLFetcherResponse(real.as_uri(), real.read_bytes(), {"Content-Type": kind})

    return ConfinedFetcher
