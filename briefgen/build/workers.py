"""Page workers: processes that load, check and render briefings' pages side by side.

A build of many briefings without PDFs spent most of its time in one thread, loading and
rendering each briefing in turn, while the other processors idled. Each worker opens the
workspace once (same templates, same build time), then takes batches of briefings: it
loads and checks each, numbers its revision, renders its pages, and returns their bytes
and what the build keeps of it. The build stages what comes back in order. Workers are
fresh interpreters, as the PDF workers are.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait

from briefgen.build.context import Options, Workspace, open_workspace
from briefgen.build.keys import PAGES, group_key
from briefgen.build.manifest import BriefingRecord, Made
from briefgen.build.plan import Planned, Prepared, prepare, record_of
from briefgen.build.progress import Reporter
from briefgen.build.stages import checked_sources, page_files
from briefgen.errors import Diagnostic, RenderError, Severity
from briefgen.pdf.pool import worker_env
from briefgen.render.meta import BriefingMeta

CHUNK = 8  # briefings a worker takes at a time: small enough to keep both processors busy


@dataclass(frozen=True)
class Rendered:
    """One briefing as a worker made it: its files (pages, revision record, cache) and record."""

    slug: str
    planned: Planned
    display: str
    meta: BriefingMeta
    files: dict[str, bytes]
    record: BriefingRecord
    warnings: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class Batch:
    """What a worker made of one batch: each briefing rendered, and every problem found."""

    rendered: list[Rendered]
    diagnostics: list[Diagnostic]


def serve(fd: int) -> None:
    """Worker entry point: open the workspace it is sent, then render each batch it receives.

    An interrupt is the build's to handle (it closes the connection, which ends this
    loop): the worker runs in a session of its own, out of the terminal's reach, and
    ignores one sent to it anyway; otherwise Ctrl-C would print each worker's traceback.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    conn = Connection(fd)
    with suppress(EOFError, OSError):  # the build closed its end (done, or interrupted): stop
        root, files, out_dir, options, when = conn.recv()
        ws = replace(open_workspace(root, files, out_dir, options), when=when)
        while True:
            plans = conn.recv()
            try:
                done: tuple[str, object] = ("batch", render_batch(ws, options, plans))
            except Exception as exc:  # the build raises it, as if it had rendered here
                done = ("error", exc)
            conn.send(done)


def render_batch(
    ws: Workspace,
    options: Options,
    plans: Sequence[Planned],
    reporter: Reporter | None = None,
    *,
    render: bool = True,
) -> Batch:
    """Load, check and render one batch; render nothing if a source in it has errors.

    The build calls it for batches it renders itself, with its reporter; a worker, for
    those it is sent. Without ``render`` (the build has met an error), it only checks.
    """
    reporter = reporter or Reporter()
    sources, diagnostics = checked_sources(plans, options, reporter)
    if not render or any(d.severity is Severity.ERROR for d in diagnostics):
        return Batch([], diagnostics)
    prepared = [prepare(p, sources[p.slug], ws, options) for p in plans]
    reporter.stage("Rendering pages", sum(PAGES in p.todo for p in prepared))
    rendered = []
    for p in prepared:
        rendered.append(rendered_one(p, ws))
        if PAGES in p.todo:
            reporter.advance()
    return Batch(rendered, diagnostics)


def rendered_one(p: Prepared, ws: Workspace) -> Rendered:
    """Render one prepared briefing's pages; return them with what the build keeps of it."""
    pages = page_files(ws, p) if PAGES in p.todo else {}
    made = {PAGES: Made(group_key(p.key, PAGES, p.has_pdf, ws.docx), tuple(pages))} if pages else {}
    files = {**p.files, **pages}
    warnings = tuple(p.source.warnings)
    return Rendered(
        p.slug, p.planned, p.source.display, p.meta, files, record_of(p, made), warnings
    )


@dataclass
class _Worker:
    """A page worker process, its end of the socket pair, and how many batches it holds."""

    process: subprocess.Popen[bytes]
    conn: Connection
    index: int | None = None  # the batch it renders


def render_in_workers(
    ws: Workspace, plans: Sequence[Planned], options: Options, count: int, reporter: Reporter
) -> Iterator[Batch]:
    """Render the briefings of ``plans`` in ``count`` worker processes; yield batches in order.

    Workers are fresh interpreters, as the PDF workers are: no fork of a threaded parent,
    and no re-import of the caller's main module (which a script calling build() without
    a main guard would run again). However the build ends, they are ended too.
    """
    reporter.stage(f"Rendering pages in {count} processes", len(plans))
    batches = [plans[start : start + CHUNK] for start in range(0, len(plans), CHUNK)]
    opening = (ws.root, ws.files, ws.out_dir, options, ws.when)
    workers = [_start(opening) for _ in range(min(count, len(batches)))]
    done: dict[int, Batch] = {}
    queue = deque(range(len(batches)))
    try:
        for worker in workers:
            _hand(worker, queue, batches)
        for index in range(len(batches)):
            while index not in done:
                _collect(workers, done, queue, batches)
            reporter.advance(len(batches[index]))
            yield done.pop(index)
    finally:
        for worker in workers:
            worker.conn.close()  # its loop ends
            try:
                worker.process.wait(5)
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()


def _start(opening: tuple[object, ...]) -> _Worker:
    """Start a page worker and send it the workspace to open."""
    ours, theirs = socket.socketpair()
    with theirs:
        code = "import sys; from briefgen.build.workers import serve; serve(int(sys.argv[1]))"
        process = subprocess.Popen(
            [sys.executable, "-P", "-c", code, str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            env=worker_env(),
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C is the build's, even while this one starts
        )
    worker = _Worker(process, Connection(ours.detach()))
    worker.conn.send(opening)
    return worker


def _hand(worker: _Worker, queue: deque[int], batches: Sequence[Sequence[Planned]]) -> None:
    """Give a worker the next batch, if any is left."""
    if queue:
        worker.index = queue.popleft()
        worker.conn.send(list(batches[worker.index]))


def _collect(
    workers: Sequence[_Worker],
    done: dict[int, Batch],
    queue: deque[int],
    batches: Sequence[Sequence[Planned]],
) -> None:
    """Wait for the next batch a worker finishes; raise what failed in it."""
    busy = [w for w in workers if w.index is not None]
    for conn in wait([w.conn for w in busy]):
        worker = next(w for w in busy if w.conn is conn)
        try:
            kind, payload = worker.conn.recv()
        except (EOFError, OSError):
            code = worker.process.wait()
            raise RenderError(f"a page worker stopped unexpectedly (exit code {code})") from None
        if kind == "error":
            raise payload
        assert worker.index is not None
        done[worker.index] = payload
        worker.index = None
        _hand(worker, queue, batches)
