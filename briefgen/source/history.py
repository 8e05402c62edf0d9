"""Read a file as it was at a git revision, never touching the work tree or the index."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from briefgen.errors import UsageError
from briefgen.paths import display_path

# Read-only git: no optional index refresh, never prompt, never page.
_ENV = {"GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat"}


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """Run one git command in ``cwd`` and capture its output."""
    try:
        return subprocess.run(
            ["git", "-C", str(cwd), *args],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **_ENV},
            check=False,
        )
    except FileNotFoundError:
        raise UsageError("git is not installed (or not on PATH)") from None


def _existing_folder(path: Path) -> Path:
    """Return the nearest existing folder holding ``path`` (it may have been deleted)."""
    folder = path.absolute().parent
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    return folder


def repo_top(path: Path) -> Path:
    """Return the top folder of the git repository that holds ``path``."""
    result = _git(["rev-parse", "--show-toplevel"], _existing_folder(path))
    if result.returncode != 0:
        raise UsageError(f"{display_path(path)} is not in a git repository")
    return Path(os.fsdecode(result.stdout.rstrip(b"\r\n")))


def resolve_commit(top: Path, rev: str) -> str:
    """Return the commit id ``rev`` names in the repository at ``top``."""
    if not rev or rev.startswith("-"):
        raise UsageError(f"unknown revision '{rev}'")
    result = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], top)
    if result.returncode != 0:
        raise UsageError(f"unknown revision '{rev}'")
    return result.stdout.decode("ascii").strip()


def _relative(top: Path, path: Path) -> str:
    """Return ``path`` relative to the repository top, with forward slashes."""
    folder = _existing_folder(path)
    full = folder.resolve() / path.absolute().relative_to(folder)
    try:
        return full.relative_to(top.resolve()).as_posix()
    except ValueError:
        raise UsageError(f"{display_path(path)} lies outside the repository {top}") from None


def blob_at(path: Path, rev: str) -> bytes | None:
    """Return the file's bytes at ``rev``, or None when it did not exist there."""
    top = repo_top(path)
    commit = resolve_commit(top, rev)
    # cat-file gives the stored bytes: no textconv, no pager, no checkout.
    result = _git(["cat-file", "blob", f"{commit}:{_relative(top, path)}"], top)
    return result.stdout if result.returncode == 0 else None


def read_at_revision(path: Path, rev: str) -> bytes:
    """Return the file's bytes as committed at ``rev``; UsageError if it did not exist there."""
    raw = blob_at(path, rev)
    if raw is None:
        raise UsageError(f"{display_path(path)} did not exist at {rev}")
    return raw
