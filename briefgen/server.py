"""Live preview: build, serve the output on 127.0.0.1, rebuild on every edit, reload open pages.

Web pages are rebuilt first, in this process (a fraction of a second for a briefing). With
``pdf=True`` a ``briefgen build --pdf`` then runs in its own process group, and the next
edit cancels it, so PDFs never delay a page; they catch up once edits pause. Until then
the pages do not link a PDF (a build without PDFs says so), which is also the truth about
a PDF that no longer matches its page.

The reload script and the error banner are added to HTML responses only: nothing the
preview adds is ever written to the output folder.
"""

from __future__ import annotations

import errno
import hashlib
import html
import json
import logging
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from socketserver import TCPServer
from typing import IO, Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

import watchfiles

import briefgen

from .build import OUTPUT_DIR, build
from .errors import BriefgenError, SourceError, UsageError
from .workspace import CONFIG_NAME, SOURCES_DIR, find_root

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"
STATE_PATH = "/__briefgen__/state"
WATCH_TIMEOUT_MS = 500
WATCH_STEP_MS = 30
ARM_TIMEOUT = 5.0
PDF_CANCEL_WAIT = 3.0
TEXT = "text/plain; charset=utf-8"
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".txt": TEXT,
    ".yaml": TEXT,
    ".pdf": "application/pdf",
    ".wasm": "application/wasm",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".ico": "image/vnd.microsoft.icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
}
# Pagefind's index files (.pagefind, .pf_meta, .pf_index, .pf_fragment, .pf_filter) are
# gzip data its script fetches and unpacks: they are served as octet-stream, like any unknown.
BINARY = "application/octet-stream"

RELOAD_SCRIPT = """<script id="briefgen-preview-reload">
(() => {
  const token = "%s";
  const url = "%s?path=" + encodeURIComponent(location.pathname);
  async function poll() {
    let wait = document.hidden ? 2000 : 250;
    try {
      const state = await (await fetch(url, {cache: "no-store"})).json();
      if (state.token !== token) { location.reload(); return; }
    } catch (error) {
      wait = 1000;  // the preview is stopped or restarting: keep asking, more slowly
    }
    setTimeout(poll, wait);
  }
  setTimeout(poll, 250);
})();
</script>
"""
BANNER = (
    '<div id="briefgen-preview-problem" role="alert" style="position:sticky;top:0;'
    "z-index:2147483647;margin:0;padding:.75rem 1rem;max-height:50vh;overflow:auto;"
    "background:#fff1f1;color:#4d0000;border-bottom:3px solid #b00020;"
    'font:15px/1.45 system-ui,sans-serif;text-align:left">'
    "<strong>The last edit does not build. Pages shown are from the last build that worked."
    "</strong>"
    '<pre style="margin:.5rem 0 0;white-space:pre-wrap;overflow-wrap:anywhere;'
    'font:13px/1.45 ui-monospace,monospace;color:inherit;background:none">%s</pre></div>\n'
)
NOT_FOUND = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Not found — briefgen preview</title>
<style>body { margin: 0; font-family: system-ui, sans-serif; } main { padding: 1rem; }</style>
</head>
<body>
<main>
<h1>Not found</h1>
<p>Nothing in the output is at <code>%s</code>.</p>
<p><a href="/">All briefings</a></p>
</main>
</body>
</html>
"""
_BODY_OPEN = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)
_BODY_CLOSE = re.compile(rb"</body\s*>", re.IGNORECASE)


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


def resolve(out_dir: Path, url_path: str) -> Path | str | None:
    """Map a URL path to a file in ``out_dir``, a redirect (a folder without '/'), or None.

    Hidden names (``.briefgen/``, temporary files), ``..`` and anything whose real path
    leaves ``out_dir`` are not found; a folder is served by its index.html, never listed.
    """
    decoded = unquote(url_path)
    parts = [part for part in decoded.split("/") if part]
    if any(part.startswith(".") or "\\" in part or "\0" in part for part in parts):
        return None
    base = out_dir.resolve()
    target = _contained(base.joinpath(*parts), base)
    if target is not None and target.is_dir():
        if not decoded.endswith("/"):
            return "/" + "".join(quote(part) + "/" for part in parts)
        target = _contained(target / "index.html", base)
    elif decoded.endswith("/"):
        return None
    return target if target is not None and target.is_file() else None


def _contained(path: Path, base: Path) -> Path | None:
    """Return the real path when it exists inside ``base`` (symlinks followed), else None."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return real if real.is_relative_to(base) else None


def content_type(path: Path) -> str:
    """Return the Content-Type a file is served with."""
    return TYPES.get(path.suffix.lower(), BINARY)


def inject(page: bytes, token: str, problem: str | None) -> bytes:
    """Add the reload script (and the problem banner, escaped) to an HTML page."""
    script = (RELOAD_SCRIPT % (token, STATE_PATH)).encode()
    if problem:
        banner = (BANNER % html.escape(problem)).encode()
        opened = _BODY_OPEN.search(page)
        at = opened.end() if opened else 0
        page = page[:at] + b"\n" + banner + page[at:]
    closes = list(_BODY_CLOSE.finditer(page))
    at = closes[-1].start() if closes else len(page)
    return page[:at] + script + page[at:]


def describe(exc: BaseException) -> str:
    """Return what a failed build says: located diagnostics, a message, or (a bug) a traceback."""
    if isinstance(exc, SourceError):
        return "\n".join(d.format() for d in exc.diagnostics)
    if isinstance(exc, BriefgenError):
        return f"error: {exc}"
    return "internal error (please report it):\n" + "".join(traceback.format_exception(exc))


@dataclass(frozen=True)
class _Watch:
    """Folders for one watcher, and the only paths it reports (None: everything below them)."""

    folders: tuple[Path, ...]
    recursive: bool
    only: frozenset[Path] | None = None


@dataclass
class _PdfPass:
    """A ``briefgen build --pdf`` running in its own process group."""

    process: subprocess.Popen[bytes]
    out: IO[bytes]
    err: IO[bytes]
    started: float


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
        self._server: _Server | None = None
        self._serving = False
        self._threads: list[threading.Thread] = []
        self._pdf_pass: _PdfPass | None = None

    @property
    def url(self) -> str:
        """Return the address the preview serves."""
        return f"http://{HOST}:{self.port}/"

    def start(self) -> None:
        """Bind the port, start watching, build once, then serve; return once serving.

        The watchers are armed before the first build, so that no edit falls between them.
        """
        self._server = _bind(self, self.port)
        self.port = self._server.server_address[1]
        armed = [threading.Event(), threading.Event()]
        self._spawn(self._watch, self._deep_watch, armed[0])
        self._spawn(self._watch, self._shallow_watch, armed[1])
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
        return self._token(_read(target) if isinstance(target, Path) else None, self.problem())

    def respond(self, url_path: str) -> tuple[HTTPStatus, bytes, str]:
        """Return the status, body and type of a GET for a URL path (not a redirect)."""
        target = resolve(self.output, url_path)
        data = _read(target) if isinstance(target, Path) else None
        problem = self.problem()
        if isinstance(target, Path) and data is not None:
            kind = content_type(target)
            if kind.startswith("text/html"):
                data = inject(data, self._token(data, problem), problem)
            return HTTPStatus.OK, data, kind
        page = (NOT_FOUND % html.escape(url_path)).encode()
        body = inject(page, self._token(None, problem), problem)
        return HTTPStatus.NOT_FOUND, body, TYPES[".html"]

    def trusted_host(self, host: str | None) -> bool:
        """Refuse other host names (a DNS-rebinding page cannot read the preview)."""
        names = (HOST, "localhost")
        allowed = {*names, *(f"{name}:{self.port}" for name in names)}
        return host is None or host.lower() in allowed

    def _token(self, page: bytes | None, problem: str) -> str:
        """Hash a page's bytes, the assets it links and the banner text."""
        digest = hashlib.sha256(b"page\0" + (page if page is not None else b"\0missing"))
        assets = self.output / "assets"
        for path in sorted(assets.rglob("*")) if assets.is_dir() else []:
            data = _read(path) if path.is_file() else None
            if data is not None:
                digest.update(f"\0{path.relative_to(assets)}\0{len(data)}\0".encode() + data)
        digest.update(b"\0problem\0" + problem.encode())
        return digest.hexdigest()[:16]

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

    def _deep_watch(self) -> _Watch:
        """Watch sources/, templates/ and folders given, with everything below them."""
        folders = [self.root / SOURCES_DIR, self.root / "templates"]
        folders += [p for p in self.paths if p.is_dir()]
        existing = {f.resolve() for f in folders if f.is_dir()}
        kept = [f for f in existing if not any(f != o and f.is_relative_to(o) for o in existing)]
        return _Watch(tuple(sorted(kept)), recursive=True)

    def _shallow_watch(self) -> _Watch:
        """Watch briefgen.yaml, files given, and sources/ or templates/ coming or going.

        Their folders are watched rather than the files, since an editor that saves by
        renaming a new file over the old one would end a watch on the file itself.
        """
        deep = self._deep_watch().folders
        wanted = {self.root / CONFIG_NAME, self.root / SOURCES_DIR, self.root / "templates"}
        wanted |= {p for p in self.paths if not p.is_dir()}
        only = {p.resolve() for p in wanted}
        only = {p for p in only if not any(p.is_relative_to(d) for d in deep)}
        folders = {p.parent for p in only if p.parent.is_dir()}
        return _Watch(tuple(sorted(folders)), recursive=False, only=frozenset(only))

    def _watch(self, plan: Callable[[], _Watch], armed: threading.Event) -> None:
        """Report changes below a plan's folders; re-plan when folders come or go.

        A watch is known to be armed at its first report (a change, or none by the
        timeout); after a re-plan that report also triggers a rebuild, for the changes
        that fell between the old watch and the new one.
        """
        rearmed = False
        while not self._stopping.is_set():
            watch = plan()
            try:
                with closing(self._batches(watch)) as batches:
                    for changes in batches:
                        armed.set()
                        if rearmed or changes:
                            self._changed(path for _, path in changes)
                            rearmed = False
                        if plan() != watch:
                            rearmed = True
                            break
            except (OSError, RuntimeError) as exc:
                armed.set()
                logger.warning("cannot watch %s: %s", ", ".join(map(str, watch.folders)), exc)
                self._stopping.wait(1.0)

    def _batches(self, watch: _Watch) -> Generator[set[tuple[watchfiles.Change, str]], None, None]:
        """Yield sets of changes, or one empty set per timeout while there is nothing to watch."""
        if not watch.folders:
            yield set()
            self._stopping.wait(WATCH_TIMEOUT_MS / 1000)
            return
        with closing(self._changes(watch)) as batches:
            yield from batches

    def _changes(self, watch: _Watch) -> Generator[set[tuple[watchfiles.Change, str]], None, None]:
        """Yield sets of changes (empty every half second) until stopped."""
        default = watchfiles.DefaultFilter()

        def relevant(change: watchfiles.Change, path: str) -> bool:
            real = Path(path)
            if real.is_relative_to(self.output) or not default(change, path):
                return False
            return watch.only is None or real in watch.only

        return watchfiles.watch(
            *watch.folders,
            watch_filter=relevant,
            recursive=watch.recursive,
            stop_event=self._stopping,
            rust_timeout=WATCH_TIMEOUT_MS,
            yield_on_timeout=True,
            step=WATCH_STEP_MS,
            raise_interrupt=False,
        )

    def _start_pdf(self) -> None:
        """Start ``briefgen build --pdf`` into the output, in its own process group."""
        command = [sys.executable, "-m", "briefgen", "build", "--pdf", "--draft"]
        command += ["-o", str(self.output)]
        out = tempfile.TemporaryFile()  # noqa: SIM115  (_finish_pdf or _cancel_pdf closes)
        err = tempfile.TemporaryFile()  # noqa: SIM115
        process = subprocess.Popen(
            [*command, *map(str, self.paths)],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=_child_env(),
            start_new_session=True,  # Ctrl-C reaches only us; stop() ends the whole group
        )
        self._pdf_pass = _PdfPass(process, out, err, time.monotonic())
        self._spawn(self._finish_pdf, self._pdf_pass)

    def _finish_pdf(self, job: _PdfPass) -> None:
        """Wait for a PDF build; report it unless it was cancelled."""
        code = job.process.wait()
        with self._build_lock:
            if self._pdf_pass is not job:
                return
            self._pdf_pass = None
            out, err = (_drain(stream) for stream in (job.out, job.err))
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
        if job is None:
            return
        _end_group(job.process)
        for stream in (job.out, job.err):
            stream.close()


class _Server(ThreadingHTTPServer):
    """A threading HTTP server that knows its preview and stays quiet about lost clients."""

    daemon_threads = True

    def __init__(self, preview: Preview, port: int) -> None:
        self.preview = preview
        super().__init__((HOST, port), _Handler)

    def server_bind(self) -> None:
        """Bind without HTTPServer's reverse DNS lookup of the host (slow when offline)."""
        TCPServer.server_bind(self)
        self.server_name, self.server_port = HOST, self.server_address[1]

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore a browser that went away mid-response; log anything else."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            logger.exception("error while answering %s", client_address)


class _Handler(BaseHTTPRequestHandler):
    """Answer GET and HEAD: output files, the page state for the reload script, or 404."""

    server: _Server
    server_version = "briefgen-preview"

    def do_GET(self) -> None:
        """Send a file, a redirect, the page state or the 404 page."""
        self._respond(body=True)

    def do_HEAD(self) -> None:
        """Send what GET would, without the body."""
        self._respond(body=False)

    def log_message(self, format: str, *args: Any) -> None:
        """Log requests at debug level instead of printing them."""
        logger.debug("%s " + format, self.address_string(), *args)

    def _respond(self, body: bool) -> None:
        """Route one request."""
        preview = self.server.preview
        if not preview.trusted_host(self.headers.get("Host")):
            self._send(HTTPStatus.FORBIDDEN, b"not a local address\n", TEXT, body)
            return
        url = urlsplit(self.path)
        if url.path == STATE_PATH:
            path = parse_qs(url.query).get("path", ["/"])[0]
            state = json.dumps({"token": preview.token(path)}).encode()
            self._send(HTTPStatus.OK, state, TYPES[".json"], body)
            return
        target = resolve(preview.output, url.path)
        if isinstance(target, str):
            query = f"?{url.query}" if url.query else ""
            self._send(HTTPStatus.MOVED_PERMANENTLY, b"", TEXT, body, Location=target + query)
            return
        self._send(*preview.respond(url.path), body)

    def _send(self, status: HTTPStatus, data: bytes, kind: str, body: bool, **headers: str) -> None:
        """Send a complete response that no cache keeps."""
        self.send_response(status)
        for name, value in {"Content-Type": kind, **headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if body:
            self.wfile.write(data)


def _bind(preview: Preview, port: int) -> _Server:
    """Listen on 127.0.0.1:port; UsageError when the port is taken or not allowed."""
    try:
        return _Server(preview, port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            message = f"port {port} is already in use on {HOST}; pick another with --port"
            raise UsageError(f"{message} (0 picks a free one)") from None
        raise UsageError(f"cannot serve on {HOST}:{port}: {exc.strerror or exc}") from None


def _shown(path: Path, root: Path) -> str:
    """Show a changed path relative to the workspace when it lies inside it."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _read(path: Path) -> bytes | None:
    """Read a file, or None when it went away (a build may be replacing it)."""
    try:
        return path.read_bytes()
    except OSError:
        return None


def _drain(stream: IO[bytes]) -> str:
    """Return what a child process wrote to a temporary file, and close it."""
    with stream:
        stream.seek(0)
        return stream.read().decode("utf-8", errors="replace")


def _child_env() -> dict[str, str]:
    """Return the environment for ``python -m briefgen``: ours, with briefgen importable."""
    env = dict(os.environ)
    package_parent = str(Path(briefgen.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_parent, env.get("PYTHONPATH")]))
    return env


def _end_group(process: subprocess.Popen[bytes]) -> None:
    """Interrupt a process group (its build then kills its workers); kill it if it lingers."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(PDF_CANCEL_WAIT)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # a worker that outlived its build


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
