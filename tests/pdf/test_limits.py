"""What a PDF worker may take, and that it never outlives the build that started it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from _processes import tagged_processes
from _workspace import REPO, sample_workspace

from briefgen.build import build
from briefgen.errors import RenderError
from briefgen.pdf.jobs import PdfJob, PdfOutput
from briefgen.pdf.pool import render_pdfs
from briefgen.pdf.worker import ORPHANED

SLUG = "korea-japan-trade-2019"
HANG_S = 300.0  # only a guard against a hang: every wait below is for a state
PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>
<body><h1>Briefing</h1><p>{}</p></body></html>"""


def test_a_pdf_over_its_memory_limit_fails_naming_it_and_the_next_renders(
    tmp_path: Path,
) -> None:
    (tmp_path / "templates").mkdir()
    heavy = PdfJob("heavy-event", PAGE.format("Words. " * 20_000), tmp_path, memory=64 << 20)
    light = PdfJob("light-event", PAGE.format("A short page."), tmp_path)
    failed, rendered = render_pdfs([heavy, light], workers=1)
    assert isinstance(failed, RenderError)
    assert str(failed).startswith("heavy-event: ")
    assert "memory" in str(failed) and "64 MB" in str(failed)
    assert "pdf_limits.memory_mb in briefgen.yaml" in str(failed)
    assert isinstance(rendered, PdfOutput) and rendered.data.startswith(b"%PDF-")


def test_the_configured_memory_limit_fails_the_build_naming_the_source(tmp_path: Path) -> None:
    root = sample_workspace(tmp_path)
    config = root / "briefgen.yaml"
    config.write_text(config.read_text() + "pdf_limits:\n  memory_mb: 64\n")
    try:
        build([root / "sources"], pdf=True)
    except RenderError as exc:
        assert SLUG in str(exc) and "limit of 64 MB" in str(exc), str(exc)
    else:
        raise AssertionError("the build should fail on the memory limit")
    assert not (root / "output").exists(), "a failed build writes nothing"


ORPHAN_WATCH = """
import ctypes, os, signal, subprocess, sys, time
PR_SET_CHILD_SUBREAPER = 36
ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)  # orphans become our children
parent = subprocess.Popen([sys.executable, "-c", sys.argv[1], sys.argv[2]])

def worker_pid():
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat, open(f"/proc/{entry}/cmdline", "rb") as cmd:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
                if ppid == parent.pid and b"briefgen.pdf.worker" in cmd.read():
                    return int(entry)
        except OSError:
            continue

while (pid := worker_pid()) is None:
    if parent.poll() is not None:
        sys.exit("the parent ended before it started a worker")
    time.sleep(0.01)
parent.send_signal(signal.SIGKILL)
parent.wait()
_, status = os.waitpid(pid, 0)  # the worker, now ours
print(os.waitstatus_to_exitcode(status))
"""

RENDER_FOREVER = """
import sys
from pathlib import Path
from briefgen.pdf.jobs import PdfJob
from briefgen.pdf.pool import render_pdfs
html = "<!DOCTYPE html><title>t</title>" + "<p>Words words words.</p>" * 200_000
render_pdfs([PdfJob("long", html, Path(sys.argv[1]), timeout=3600)])
"""


def test_a_worker_whose_parent_died_exits_by_itself(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    watch = subprocess.run(
        [sys.executable, "-c", ORPHAN_WATCH, textwrap.dedent(RENDER_FOREVER), str(tmp_path)],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=HANG_S,
    )
    assert watch.returncode == 0, watch.stderr
    assert int(watch.stdout.strip()) == ORPHANED, "the worker should stop when its parent dies"


def _wait_until(condition: Callable[[], bool]) -> None:
    """Wait for a state; fail only if it never comes (a hang)."""
    deadline = time.monotonic() + HANG_S
    while not condition():
        assert time.monotonic() < deadline, "hung"
        os.sched_yield()


def test_sigterm_to_a_build_ends_its_workers_and_its_temporary_folders(tmp_path: Path) -> None:
    root = sample_workspace(tmp_path / "ws")
    temp = tmp_path / "temp"
    temp.mkdir()
    tag = f"BRIEFGEN_TEST_TAG={uuid.uuid4().hex}"
    env = {**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(temp), tag.split("=")[0]: tag}
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "build", "--jobs", "2"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_until(lambda: len(tagged_processes(tag)) >= 2 or process.poll() is not None)
        assert process.poll() is None, "the build ended before it started a worker"
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=HANG_S)
    finally:
        process.kill()
    assert process.returncode != 0
    assert "Traceback" not in stderr, stderr
    assert "Aborted!" in stderr
    # The build ends the workers it knows of; one it was starting as the signal came sees
    # its parent gone and ends itself (test_a_worker_whose_parent_died_exits_by_itself).
    _wait_until(lambda: not tagged_processes(tag))
    assert list(temp.iterdir()) == [], "no temporary folder is left"
    assert not list((root / "output").rglob(".briefgen-*.tmp"))
