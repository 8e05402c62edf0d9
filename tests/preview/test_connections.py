"""The preview under load and in odd places: held connections, idle clients, ignored folders."""

from __future__ import annotations

import http.client
import shutil
import socket
import threading
from collections.abc import Iterator
from http import HTTPStatus
from pathlib import Path

import pytest
from _workspace import REPO

from briefgen.preview.http import STATE_PATH, PreviewServer
from briefgen.preview.server import Outcome, Preview

HANG_S = 300.0  # only a guard against a hang: every wait is for a state
SLUG = "korea-japan-trade-2019"
LEAD = "Washington holds both allies responsible."


class _Site:
    """The least a server needs to serve: one page and a page state."""

    def __init__(self, output: Path) -> None:
        self.output = output

    def trusted_host(self, host: str | None) -> bool:
        return True

    def token(self, url_path: str) -> str:
        return "t"

    def respond(self, url_path: str) -> tuple[HTTPStatus, bytes, str]:
        return HTTPStatus.OK, b"<!DOCTYPE html><title>home</title>", "text/html; charset=utf-8"


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[PreviewServer]:
    """Start a server with the default limits; stop it after the test."""
    yield from _serve(PreviewServer(_Site(tmp_path), 0))


def _serve(server: PreviewServer) -> Iterator[PreviewServer]:
    """Serve in a thread until the test is done."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(HANG_S)


def _held(port: int, count: int) -> list[socket.socket]:
    """Open ``count`` connections that start a request to the reload endpoint and never end it."""
    held = []
    for _ in range(count):
        conn = socket.create_connection(("127.0.0.1", port), timeout=HANG_S)
        conn.sendall(f"GET {STATE_PATH}?path=/ HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode())
        held.append(conn)
    return held


def _get(port: int, path: str = "/") -> tuple[int, bytes]:
    """Send one GET; return the status and body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=HANG_S)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_pages_are_answered_while_200_clients_hold_the_reload_endpoint(
    serving: PreviewServer,
) -> None:
    held = _held(serving.server_port, 200)
    try:
        for _ in range(5):
            assert _get(serving.server_port) == (200, b"<!DOCTYPE html><title>home</title>")
            assert _get(serving.server_port, f"{STATE_PATH}?path=/")[0] == 200
    finally:
        for conn in held:
            conn.close()


def test_a_connection_that_sends_nothing_is_closed_after_the_idle_timeout(tmp_path: Path) -> None:
    for server in _serve(PreviewServer(_Site(tmp_path), 0, idle_timeout=0.5)):
        (idle,) = _held(server.server_port, 1)
        with idle:
            assert idle.recv(1024) == b"", "the server should hang up on an idle client"


def test_connections_past_the_limit_are_told_busy_and_later_ones_served(tmp_path: Path) -> None:
    for server in _serve(PreviewServer(_Site(tmp_path), 0, max_connections=4)):
        held = _held(server.server_port, 4)
        with socket.create_connection(("127.0.0.1", server.server_port), timeout=HANG_S) as extra:
            reply = b""
            while chunk := extra.recv(1024):
                reply += chunk
        assert reply.startswith(b"HTTP/1.0 503 "), reply
        for conn in held:
            conn.close()
        assert _eventually_served(server.server_port)


def _eventually_served(port: int) -> bool:
    """Ask until a page is answered 200 (slots free as the held connections' threads end)."""
    for _ in range(10_000):
        status, _ = _get(port)
        if status == 200:
            return True
        threading.Event().wait(0.02)
    return False


def test_a_workspace_below_a_node_modules_folder_is_still_watched(tmp_path: Path) -> None:
    root = tmp_path / "node_modules" / ".venv" / "workspace"
    (root / "sources").mkdir(parents=True)
    for suffix in (".yaml", ".article.txt"):
        shutil.copy(REPO / "sources" / f"{SLUG}{suffix}", root / "sources")
    shutil.copy(REPO / "briefgen.yaml", root / "briefgen.yaml")
    source = root / "sources" / f"{SLUG}.yaml"
    outcomes: list[Outcome] = []
    done = threading.Condition()

    def report(outcome: Outcome) -> None:
        with done:
            outcomes.append(outcome)
            done.notify_all()

    preview = Preview([source.parent], port=0, report=report)
    preview.start()
    try:
        with done:
            assert done.wait_for(lambda: len(outcomes) >= 1, HANG_S)
        source.write_text(source.read_text().replace(LEAD, f"Quokka {LEAD}", 1))
        with done:
            assert done.wait_for(lambda: len(outcomes) >= 2, HANG_S), "the edit was not seen"
        assert outcomes[1].ok
        page = (preview.output / SLUG / "index.html").read_text()
        assert f"Quokka {LEAD}" in page
    finally:
        preview.stop()
