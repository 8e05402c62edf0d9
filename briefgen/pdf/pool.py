"""The parent side: worker processes that each render one PDF job at a time, within limits."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import IO

import briefgen
from briefgen.errors import RenderError
from briefgen.pdf.jobs import Attachment, PdfJob, PdfOutput, allowed_folders, oversized, source_date
from briefgen.pdf.worker import memory_message

logger = logging.getLogger(__name__)

STARTUP_TIMEOUT = 60.0
_CRASHES = (-6, -9, -11)  # SIGABRT, SIGKILL, SIGSEGV: how a failed allocation in C ends


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
        problem = oversized(job)
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
    code = "import sys; from briefgen.pdf.worker import serve; serve(int(sys.argv[1]))"
    return [sys.executable, "-P", "-c", code, str(fd)]


def worker_env() -> dict[str, str]:
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
                env=worker_env(),
                stdin=subprocess.PIPE,  # never written: at its end of file the worker stops
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,  # Ctrl-C is the build's, even while WeasyPrint loads
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
            self._fail(worker, self._died(worker))
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
            self._fail(worker, self._died(worker))
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

    def _died(self, worker: _Worker) -> str:
        """Describe a worker's death, with the likely cause when its job had a memory limit."""
        described = worker.died()
        job = self.jobs[worker.index] if worker.index is not None else None
        if job is not None and job.memory is not None and worker.process.returncode in _CRASHES:
            described += f" (perhaps because {memory_message(job.memory)})"
        return described

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
        if worker.process.stdin is not None:
            worker.process.stdin.close()
        worker.stderr.close()

    def close(self) -> None:
        """Kill whatever is still running (unused workers, or after an interrupt or error)."""
        for worker in list(self.workers):
            worker.process.kill()
            self._retire(worker)
