"""Pagefind processes: each indexes a temporary copy of one bundle's pages, side by side.

search.py decides which bundles to index and when; this module runs Pagefind on them and
owns the processes, so that however a build ends, none is left behind.
"""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from briefgen.errors import RenderError

logger = logging.getLogger(__name__)

SEARCH_TIMEOUT = 300.0
PAGEFIND: tuple[str, ...] | None = None  # None: the binary that pagefind[bin] installs
MAIN = ""  # the main bundle's folder, relative to pagefind/
# Pagefind runs beside the build's own work (site pages, PDF workers): lower its priority,
# so that on a busy machine the build's critical path keeps the processors.
_NICE = ("nice", "-n", "10") if shutil.which("nice") else ()
_UI_FILES = ("pagefind-ui", "pagefind-modular-ui", "pagefind-component-ui", "pagefind-highlight")


@dataclass
class _Run:
    """One Pagefind process, the digest of the pages it was started on, and its folder."""

    digest: bytes
    process: subprocess.Popen[str]
    work: Path


class PagefindRuns:
    """Pagefind processes, one a bundle, each indexing a temporary copy of its pages.

    Runs go side by side, each in a process of its own, so that result URLs are the pages'
    paths in the output. One owner (the build, with ``closing``) ends them: ``close`` kills
    and reaps every run not finished and removes the temporary folder, however the build
    ends. A lock lets another thread start runs while the owner may be closing.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._runs: dict[str, _Run] = {}
        self._temp: Path | None = None
        self._closed = False
        self._count = 0

    def start(self, name: str, digest: bytes, contents: Mapping[str, bytes]) -> None:
        """Start Pagefind for bundle ``name`` on ``contents`` (pages by path), hashed ``digest``."""
        with self._lock:
            if self._closed:
                return  # the build has ended: nothing will take this run
            self._end(name)
            if self._temp is None:
                self._temp = Path(tempfile.mkdtemp(prefix="briefgen-search-"))
            work = self._temp / f"run{self._count}"
            self._count += 1
            self._runs[name] = _Run(digest, _start(work, contents), work)

    def claim(self, name: str, digest: bytes) -> bool:
        """Tell whether bundle ``name`` has a run started on pages hashed ``digest``.

        A run of it started on other pages is ended: its index would be out of date.
        """
        with self._lock:
            run = self._runs.get(name)
            if run is not None and run.digest != digest:
                logger.debug("search: %s changed since its early run; indexing it again", name)
                self._end(name)
                return False
            return run is not None

    def finish(self, name: str) -> dict[str, bytes]:
        """Wait for bundle ``name``'s run; return its files (a shard's without the UI)."""
        with self._lock:
            run = self._runs[name]
        try:
            return _finish(name, run.process, run.work / "bundle")
        finally:
            with self._lock:
                self._end(name)

    def close(self) -> None:
        """End every run not finished and remove the temporary folder; later starts do nothing."""
        with self._lock:
            self._closed = True
            for name in list(self._runs):
                self._end(name)
            if self._temp is not None:
                shutil.rmtree(self._temp, ignore_errors=True)
                self._temp = None

    def _end(self, name: str) -> None:
        """Kill and reap bundle ``name``'s run if it has one, and remove its folder."""
        run = self._runs.pop(name, None)
        if run is None:
            return
        if run.process.poll() is None:
            run.process.kill()
        run.process.wait()
        if run.process.stdout is not None:
            run.process.stdout.close()
        shutil.rmtree(run.work, ignore_errors=True)


def _start(work: Path, contents: Mapping[str, bytes]) -> subprocess.Popen[str]:
    """Write a bundle's pages under ``work``/site and start Pagefind on them."""
    site, bundle = work / "site", work / "bundle"
    try:
        site.mkdir(parents=True)
        for page, data in contents.items():
            target = site / page
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise RenderError(
            f"search index: cannot write its working files in {work}: {reason}"
        ) from exc
    command = [*_NICE, *(PAGEFIND or _binary()), "--site", str(site)]
    command += ["--output-path", str(bundle), "--keep-index-url", "--silent"]
    return subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _finish(name: str, process: subprocess.Popen[str], bundle: Path) -> dict[str, bytes]:
    """Wait for one Pagefind run; return its bundle's files (a shard's without the UI)."""
    try:
        output, _ = process.communicate(timeout=SEARCH_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise RenderError(f"search index: Pagefind took over {SEARCH_TIMEOUT:.0f} s") from None
    if process.returncode != 0 or not (bundle / "pagefind.js").is_file():
        detail = (output or "").strip()[-2000:]
        raise RenderError(f"search index: Pagefind failed (is pagefind[bin] installed?)\n{detail}")
    files = sorted(p for p in bundle.rglob("*") if p.is_file())
    found = {p.relative_to(bundle).as_posix(): p.read_bytes() for p in files}
    if name == MAIN:
        return found
    return {path: data for path, data in found.items() if not path.startswith(_UI_FILES)}


@functools.cache
def _binary() -> tuple[str, ...]:
    """Return the command of the Pagefind binary that pagefind[bin] installs.

    Run directly, it saves the 50 ms of the interpreter that ``python -m pagefind`` starts
    only to exec it. Without pagefind_bin, ``python -m pagefind`` looks for one elsewhere.
    """
    try:
        from pagefind_bin import get_executable

        return (str(get_executable()),)
    except (ImportError, FileNotFoundError):
        return (sys.executable, "-m", "pagefind")
