"""Faults of the disk: an output folder that is read-only, or full, costs nothing built before."""

from __future__ import annotations

import ctypes
import os
import resource
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from _workspace import REPO, sample_workspace

from briefgen.build import build
from briefgen.writer import TEMP_PREFIX

SLUG = "korea-japan-trade-2019"
LEAD = "Washington holds both allies responsible."
PR_CAPBSET_DROP = 24
# root writes anywhere through these: dropped, a read-only folder is read-only to it too
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER = 1, 2, 3


def _snapshot(out: Path) -> dict[str, bytes]:
    """Return every file below the output, by relative path."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def _cli(root: Path, before_exec: Callable[[], None]) -> subprocess.CompletedProcess[str]:
    """Run ``briefgen build --no-pdf`` on the workspace as a process, limited by ``before_exec``."""
    return subprocess.run(
        [sys.executable, "-m", "briefgen", "build", "--no-pdf"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        preexec_fn=before_exec,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _edited_after_a_build(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """Build the sample, then edit its source; return the workspace and the output as built."""
    root = sample_workspace(tmp_path)
    build([root / "sources"], pdf=False)
    source = root / "sources" / f"{SLUG}.yaml"
    source.write_text(source.read_text().replace(LEAD, f"Quokka {LEAD}", 1))
    return root, _snapshot(root / "output")


def _assert_refused_cleanly(result: subprocess.CompletedProcess[str], reason: str) -> None:
    """One error line naming the reason, exit 1, no traceback."""
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1, result.stderr
    assert reason in errors[0], errors[0]


def _without_root_overrides() -> None:
    """Drop what lets root write into a read-only folder (a plain user has none of it)."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _read_only(folder: Path) -> None:
    """Take away write permission from a folder and everything below it."""
    for path in [folder, *folder.rglob("*")]:
        mode = path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
        path.chmod(mode)


def _writable(folder: Path) -> None:
    """Give write permission back, so that the test's folder can be removed."""
    for path in [folder, *folder.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


def test_a_read_only_output_is_one_clear_error_and_loses_nothing(tmp_path: Path) -> None:
    root, before = _edited_after_a_build(tmp_path)
    out = root / "output"
    _read_only(out)
    try:
        result = _cli(root, _without_root_overrides)
    finally:
        _writable(out)
    _assert_refused_cleanly(result, "Permission denied")
    assert _snapshot(out) == before
    assert not list(out.rglob(f"{TEMP_PREFIX}*"))


def _small_files_only() -> None:
    """Let the process write no file past 4 KB, as a full disk would refuse the next block."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def test_a_full_disk_is_one_clear_error_and_loses_nothing(tmp_path: Path) -> None:
    root, before = _edited_after_a_build(tmp_path)
    out = root / "output"
    result = _cli(root, _small_files_only)
    _assert_refused_cleanly(result, "File too large")
    assert _snapshot(out) == before
    assert not list(out.rglob(f"{TEMP_PREFIX}*"))
    retry = _cli(root, lambda: None)  # room again: the same build goes through
    assert retry.returncode == 0, retry.stderr
    assert f"Quokka {LEAD}" in (out / SLUG / "index.html").read_text()
