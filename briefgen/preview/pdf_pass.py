"""The preview's PDF pass: ``briefgen build --pdf`` in its own process group, cancellable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import briefgen

PDF_CANCEL_WAIT = 3.0


@dataclass
class PdfPass:
    """A ``briefgen build --pdf`` running in its own process group."""

    process: subprocess.Popen[bytes]
    out: IO[bytes]
    err: IO[bytes]
    started: float

    @classmethod
    def start(cls, paths: list[Path], output: Path) -> PdfPass:
        """Start ``briefgen build --pdf`` into the output, in its own process group."""
        command = [sys.executable, "-m", "briefgen", "build", "--pdf", "--draft"]
        command += ["-o", str(output)]
        out = tempfile.TemporaryFile()  # noqa: SIM115  (drain or cancel closes)
        err = tempfile.TemporaryFile()  # noqa: SIM115
        process = subprocess.Popen(
            [*command, *map(str, paths)],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=_child_env(),
            start_new_session=True,  # Ctrl-C reaches only us; stop() ends the whole group
        )
        return cls(process, out, err, time.monotonic())

    def drain(self) -> tuple[str, str]:
        """Return what the build wrote to stdout and stderr, and close both."""
        return _drain(self.out), _drain(self.err)

    def cancel(self) -> None:
        """End the build and its workers (they would write stale PDFs)."""
        _end_group(self.process)
        for stream in (self.out, self.err):
            stream.close()


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
