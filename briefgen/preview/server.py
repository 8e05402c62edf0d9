"""Live preview: build, serve the output on 127.0.0.1, rebuild on every edit, reload open pages.

Web pages are rebuilt first, in this process (a fraction of a second for a briefing). With
``pdf=True`` a ``briefgen build --pdf`` then runs in its own process group, and the next
edit cancels it, so PDFs never delay a page; they catch up once edits pause. Until then
the pages do not link a PDF (a build without PDFs says so), which is also the truth about
a PDF that no longer matches its page.

This module owns the rebuild loop; ``server_http`` serves the output, ``server_watch``
watches the workspace and ``server_pdf`` runs the PDF pass.
"""

from __future__ import annotations

import html
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any

from briefgen.build.context import OUTPUT_DIR
from briefgen.build.pipeline import build
from briefgen.errors import BriefgenError, SourceError, UsageError
from briefgen.paths import find_root
from briefgen.preview.http import (
    HOST,
    NOT_FOUND,
    STATE_PATH,
    TYPES,
    PreviewServer,
    bind,
    content_type,
    inject,
    page_token,
    resolve,
)
from briefgen.preview.pdf_pass import PdfPass
from briefgen.preview.watch import Watcher
from briefgen.writer import read_or_none

__all__ = [
    "HOST",
    "STATE_PATH",
    "Outcome",
    "Preview",
    "content_type",
    "describe",
    "inject",
    "resolve",
]

ARM_TIMEOUT = 5.0


@dataclass(frozen=True)
class Outcome:
    """What one rebuild did, for the terminal: a stage, its time, and notes or a problem."""

    stage: str
    elapsed: float
    notes: tuple[str, ...] = ()
    problem: str | None = None
    trigger: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Tell whether the stage built."""
        return self.problem is None

    def text(self) -> str:
        """Describe the rebuild in a few lines."""
        if self.problem is not None:
            return f"{self.problem}\n{self.stage} not rebuilt: still serving the last good build"
        why = f" ({', '.join(self.trigger)} changed)" if self.trigger else ""
        return "\n".join([*self.notes, f"{self.stage} built in {self.elapsed:.2f} s{why}"])


def describe(exc: BaseException) -> str:
    """Return what a failed build says: located diagnostics, a message, or (a bug) a traceback."""
    if isinstance(exc, SourceError):
        return "\n".join(d.format() for d in exc.diagnostics)
    if isinstance(exc, BriefgenError):
        return f"error: {exc}"
    return "internal error (please report it):\n" + "".join(traceback.format_exception(exc))


class Preview:
    """Build a workspace, serve its output on 127.0.0.1, and rebuild it on every edit."""

    def __init__(
        self,
        paths: list[Path],
        *,
        port: int = 8000,
        output: Path | None = None,
        pdf: bool = False,
        report: Callable[[Outcome], None] | None = None,
    ) -> None:
        if not paths:
            raise UsageError("give the sources to preview")
        self.paths = list(paths)
        self.root = find_root(self.paths[0])
        self.output = (output or self.root / OUTPUT_DIR).resolve()
        self.port = port
        self.pdf = pdf
        self._report = report or (lambda outcome: None)
        self._build_lock = threading.Lock()
        self._pending: set[str] = set()
        self._pending_lock = threading.Lock()
        self._dirty = threading.Event()
        self._stopping = threading.Event()
        self._problems: dict[str, str] = {}
        self._server: PreviewServer | None = None
        self._serving = False
        self._threads: list[threading.Thread] = []
        self._pdf_pass: PdfPass | None = None
        self._watcher = Watcher(self.root, self.paths, self.output, self._stopping, self._changed)

    @property
    def url(self) -> str:
        """Return the address the preview serves."""
        return f"http://{HOST}:{self.port}/"

    def start(self) -> None:
        """Bind the port, start watching, build once, then serve; return once serving.

        The watchers are armed before the first build, so that no edit falls between them.
        """
        self._server = bind(self, self.port)
        self.port = self._server.server_address[1]
        armed = [threading.Event(), threading.Event()]
        self._spawn(self._watcher.watch, self._watcher.deep, armed[0])
        self._spawn(self._watcher.watch, self._watcher.shallow, armed[1])
        for event in armed:
            event.wait(ARM_TIMEOUT)
        self.build_once()
        self._spawn(self._build_when_dirty)
        self._serving = True  # from here on, stop() must shut the serving loop down
        self._spawn(self._server.serve_forever, 0.1)

    def stop(self) -> None:
        """Stop watching, end any PDF build and its workers, and release the port."""
        self._stopping.set()
        self._dirty.set()
        with self._build_lock:
            self._cancel_pdf()
        if self._server is not None:
            if self._serving:
                self._server.shutdown()
            self._server.server_close()
            self._serving = False
        for thread in self._threads:
            thread.join()
        self._threads.clear()

    def run(self, ready: Callable[[str], None]) -> None:
        """Start, call ``ready(url)``, serve until Ctrl-C, then stop cleanly."""
        try:
            self.start()
            ready(self.url)
            while not self._stopping.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            with _sigint_ignored():
                self.stop()

    def build_once(self, trigger: Iterable[str] = ()) -> Outcome:
        """Rebuild the web pages now (cancelling a PDF build); start PDFs if they are wanted."""
        with self._build_lock:
            self._cancel_pdf()
            started = time.monotonic()
            try:
                result = build(self.paths, self.output, pdf=False, draft=True)
            except Exception as exc:  # any failure, even a bug, must leave the preview up
                outcome = Outcome("pages", time.monotonic() - started, problem=describe(exc))
            else:
                notes = tuple(d.format() for d in result.warnings)
                shown = tuple(_shown(Path(path), self.root) for path in trigger)
                outcome = Outcome("pages", result.elapsed, notes, trigger=shown)
            self._set_problem("pages", outcome.problem)
            if outcome.ok and self.pdf and not self._stopping.is_set():
                self._start_pdf()
        self._report(outcome)
        return outcome

    def problem(self) -> str:
        """Return what the banner says now: empty when the last builds succeeded."""
        problems = dict(self._problems)
        parts = [problems.get("pages", "")]
        if problems.get("pdf"):
            parts.append(f"PDFs: {problems['pdf']}")
        return "\n\n".join(part for part in parts if part)

    def token(self, url_path: str) -> str:
        """Return the state of a page as served: it changes when the page would change."""
        target = resolve(self.output, url_path)
        page = read_or_none(target) if isinstance(target, Path) else None
        return page_token(self.output, page, self.problem())

    def respond(self, url_path: str) -> tuple[HTTPStatus, bytes, str]:
        """Return the status, body and type of a GET for a URL path (not a redirect)."""
        target = resolve(self.output, url_path)
        data = read_or_none(target) if isinstance(target, Path) else None
        problem = self.problem()
        if isinstance(target, Path) and data is not None:
            kind = content_type(target)
            if kind.startswith("text/html"):
                data = inject(data, page_token(self.output, data, problem), problem)
            return HTTPStatus.OK, data, kind
        page = (NOT_FOUND % html.escape(url_path)).encode()
        body = inject(page, page_token(self.output, None, problem), problem)
        return HTTPStatus.NOT_FOUND, body, TYPES[".html"]

    def trusted_host(self, host: str | None) -> bool:
        """Refuse other host names (a DNS-rebinding page cannot read the preview)."""
        names = (HOST, "localhost")
        allowed = {*names, *(f"{name}:{self.port}" for name in names)}
        return host is None or host.lower() in allowed

    def _set_problem(self, stage: str, problem: str | None) -> None:
        """Record (or clear) what the banner shows for one stage."""
        if problem is None:
            self._problems.pop(stage, None)
        else:
            self._problems[stage] = problem

    def _spawn(self, target: Callable[..., Any], *args: Any) -> None:
        """Run a function in a named background thread that stop() joins."""
        thread = threading.Thread(target=target, args=args, name=f"briefgen-{target.__name__}")
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def _changed(self, paths: Iterable[str]) -> None:
        """Queue a rebuild for changed paths (many changes during one build make one rebuild)."""
        with self._pending_lock:
            self._pending.update(paths)
        self._dirty.set()

    def _build_when_dirty(self) -> None:
        """Rebuild whenever a watcher saw a change, until stopped."""
        while True:
            self._dirty.wait()
            if self._stopping.is_set():
                return
            self._dirty.clear()
            with self._pending_lock:
                changed, self._pending = self._pending, set()
            self.build_once(sorted(changed))

    def _start_pdf(self) -> None:
        """Start ``briefgen build --pdf`` into the output, in its own process group."""
        self._pdf_pass = PdfPass.start(self.paths, self.output)
        self._spawn(self._finish_pdf, self._pdf_pass)

    def _finish_pdf(self, job: PdfPass) -> None:
        """Wait for a PDF build; report it unless it was cancelled."""
        code = job.process.wait()
        with self._build_lock:
            if self._pdf_pass is not job:
                return
            self._pdf_pass = None
            out, err = job.drain()
        elapsed = time.monotonic() - job.started
        if code == 0:
            outcome = Outcome("PDFs", elapsed, tuple(out.splitlines()))
        else:
            outcome = Outcome("PDFs", elapsed, problem=(out + err).strip() or f"exit {code}")
        self._set_problem("pdf", outcome.problem)
        self._report(outcome)

    def _cancel_pdf(self) -> None:
        """End a running PDF build and its workers (they would write stale PDFs)."""
        job, self._pdf_pass = self._pdf_pass, None
        if job is not None:
            job.cancel()


def _shown(path: Path, root: Path) -> str:
    """Show a changed path relative to the workspace when it lies inside it."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Let a second Ctrl-C not interrupt the clean stop (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
