"""Serving the preview's output on 127.0.0.1: safe paths, content types, the reload script.

The reload script and the error banner are added to HTML responses only: nothing the
preview adds is ever written to the output folder.
"""

from __future__ import annotations

import errno
import hashlib
import html
import json
import logging
import re
import socket
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from socketserver import TCPServer
from typing import Any, Protocol
from urllib.parse import parse_qs, quote, unquote, urlsplit

from briefgen.errors import UsageError
from briefgen.writer import read_or_none

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"
IDLE_TIMEOUT = 15.0  # seconds a connection may keep the server waiting for its request
MAX_CONNECTIONS = 256  # connections served at once; more are answered 503 and closed
BUSY = (
    b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"Retry-After: 1\r\nContent-Length: 21\r\nConnection: close\r\n\r\ntoo many connections\n"
)
STATE_PATH = "/__briefgen__/state"
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


class Served(Protocol):
    """What the HTTP handler asks of the preview it serves."""

    output: Path

    def trusted_host(self, host: str | None) -> bool:
        """Tell whether a Host header names this server."""
        ...

    def token(self, url_path: str) -> str:
        """Return the state of a page as served."""
        ...

    def respond(self, url_path: str) -> tuple[HTTPStatus, bytes, str]:
        """Return the status, body and type of a GET for a URL path."""
        ...


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


def page_token(output: Path, page: bytes | None, problem: str) -> str:
    """Hash a page's bytes, the assets it links and the banner text."""
    digest = hashlib.sha256(b"page\0" + (page if page is not None else b"\0missing"))
    assets = output / "assets"
    for path in sorted(assets.rglob("*")) if assets.is_dir() else []:
        data = read_or_none(path) if path.is_file() else None
        if data is not None:
            digest.update(f"\0{path.relative_to(assets)}\0{len(data)}\0".encode() + data)
    digest.update(b"\0problem\0" + problem.encode())
    return digest.hexdigest()[:16]


class PreviewServer(ThreadingHTTPServer):
    """A threading HTTP server that knows its preview and stays quiet about lost clients.

    It bounds what clients can hold: a connection that sends no request within
    ``idle_timeout`` is closed, and past ``max_connections`` open at once a new one is
    answered 503 at once, so that held connections cannot starve the pages.
    """

    daemon_threads = True
    request_queue_size = 128

    def __init__(
        self,
        preview: Served,
        port: int,
        *,
        idle_timeout: float = IDLE_TIMEOUT,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        self.preview = preview
        self.idle_timeout = idle_timeout
        self._slots = threading.BoundedSemaphore(max_connections)
        super().__init__((HOST, port), _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve a connection in its own thread if a slot is free; else answer 503."""
        if not self._slots.acquire(blocking=False):
            _refuse(request)
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        """Serve one connection, then free its slot."""
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def server_bind(self) -> None:
        """Bind without HTTPServer's reverse DNS lookup of the host (slow when offline)."""
        TCPServer.server_bind(self)
        self.server_name, self.server_port = HOST, self.server_address[1]

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore a browser that went away mid-response; log anything else."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            logger.exception("error while answering %s", client_address)


def _refuse(request: socket.socket) -> None:
    """Tell a connection over the limit that the server is busy, without waiting on it."""
    try:
        request.settimeout(1.0)
        request.sendall(BUSY)
    except OSError:
        pass  # it went away first


class _Handler(BaseHTTPRequestHandler):
    """Answer GET and HEAD: output files, the page state for the reload script, or 404."""

    server: PreviewServer
    server_version = "briefgen-preview"

    def setup(self) -> None:
        """Give the connection the server's idle timeout before reading from it."""
        super().setup()
        self.connection.settimeout(self.server.idle_timeout)

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


def bind(preview: Served, port: int) -> PreviewServer:
    """Listen on 127.0.0.1:port; UsageError when the port is taken or not allowed."""
    try:
        return PreviewServer(preview, port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            message = f"port {port} is already in use on {HOST}; pick another with --port"
            raise UsageError(f"{message} (0 picks a free one)") from None
        raise UsageError(f"cannot serve on {HOST}:{port}: {exc.strerror or exc}") from None
