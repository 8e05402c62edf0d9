"""Atomic writing confined to the output directory: stage everything, then commit."""

from __future__ import annotations

import errno
import logging
import os
import secrets
import stat
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, suppress
from pathlib import Path, PurePosixPath
from typing import TypeVar

from briefgen.errors import WriteError
from briefgen.spool import TEMP_PREFIX, Spool, folder_batch

logger = logging.getLogger(__name__)
T = TypeVar("T")

TEMP_SUFFIX = ".tmp"
SWEEP_AFTER = 900.0
SYNC_THREADS = 8
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def checked_parts(relative: str) -> tuple[str, ...]:
    """Split a relative output path into its parts; WriteError if it could leave the folder."""
    if not relative or "\x00" in relative or "\\" in relative:
        raise WriteError(f"refusing to write '{relative}': not a plain relative path")
    path = PurePosixPath(relative)
    if path.is_absolute() or os.path.isabs(relative):
        raise WriteError(f"refusing to write '{relative}': absolute paths are not allowed")
    if any(part in ("..", ".") for part in relative.split("/")) or relative.endswith("/"):
        raise WriteError(f"refusing to write '{relative}': it must name a file below the output")
    return path.parts


class StagedFiles(Mapping[str, bytes]):
    """The files staged so far, by relative path, each read back from the spool when asked for."""

    def __init__(self, writer: OutputWriter) -> None:
        self._writer = writer

    def __getitem__(self, relative: str) -> bytes:
        return self._writer.read_staged(relative)

    def __iter__(self) -> Iterator[str]:
        return iter(self._writer.staged)

    def __len__(self) -> int:
        return len(self._writer.staged)

    def __contains__(self, relative: object) -> bool:
        return isinstance(relative, str) and self._writer.is_staged(relative)


class OutputWriter:
    """Collect files for the output directory, then write them all, each atomically.

    Nothing touches the output before ``commit``: staged bytes wait in a temporary file of
    the system's (see ``Spool``). Each file is then written under a temporary name in its
    own folder, synced, then renamed over the target, so a reader (or a killed build) sees
    either the old file or the new one, never a partial one. Symlinks planted in the
    output are replaced, never followed.
    """

    def __init__(
        self, out_dir: Path, *, mtime: float | None = None, sweep_after: float = SWEEP_AFTER
    ) -> None:
        self.out_dir = out_dir.resolve()
        self.mtime = mtime
        self.sweep_after = sweep_after
        self._staged: dict[tuple[str, ...], tuple[int, int]] = {}
        self._spool: Spool | None = None

    @property
    def staged(self) -> list[str]:
        """Return the relative paths staged so far, in staging order."""
        return ["/".join(parts) for parts in self._staged]

    def staged_files(self) -> StagedFiles:
        """Return the files staged so far, by relative path: what the commit will write."""
        return StagedFiles(self)

    def is_staged(self, relative: str) -> bool:
        """Tell whether a file is staged at ``relative``."""
        return tuple(relative.split("/")) in self._staged

    def read_staged(self, relative: str) -> bytes:
        """Return the bytes staged for ``relative``; KeyError if none are."""
        where = self._staged[tuple(relative.split("/"))]
        assert self._spool is not None
        return self._spool.get(where)

    def stage(self, relative: str, data: bytes) -> None:
        """Queue ``data`` for ``out_dir/relative``; WriteError if the path leaves out_dir."""
        parts = checked_parts(relative)
        # The file itself may be a symlink (commit replaces it); a folder may not lead out.
        folder = self.out_dir.joinpath(*parts[:-1]).resolve()
        if not folder.is_relative_to(self.out_dir):
            raise WriteError(f"refusing to write '{relative}': it leads outside {self.out_dir}")
        if self._spool is None:
            self._spool = Spool()
        self._staged[parts] = self._spool.put(bytes(data))

    def stage_all(self, files: Mapping[str, bytes]) -> None:
        """Queue every file of ``files`` (by relative path), as ``stage`` does."""
        for relative, data in files.items():
            self.stage(relative, data)

    def commit(self) -> list[Path]:
        """Write every staged file atomically; return their paths. Temp files never remain.

        Folders are held open a batch at a time (``folder_batch``): a first build of 10,000
        briefings writes into some 20,000 folders, past a process's limit of open files.
        """
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _refused(exc) from exc
        groups: dict[tuple[str, ...], list[tuple[str, tuple[int, int]]]] = {}
        for parts, where in self._staged.items():
            groups.setdefault(parts[:-1], []).append((parts[-1], where))
        folders, batch = list(groups), folder_batch()
        temps: list[tuple[tuple[str, ...], str, str]] = []
        try:
            for start in range(0, len(folders), batch):
                with ExitStack() as stack:
                    fds: dict[tuple[str, ...], int] = {}
                    placed = [
                        (self._folder(folder, fds, stack, sweep=True), folder, name, where)
                        for folder in folders[start : start + batch]
                        for name, where in groups[folder]
                    ]
                    temps += self._write_temps(placed)
        except BaseException:
            self._in_folders([(f, t) for f, t, _ in temps], _unlink_quietly)
            raise
        self._replace_all(temps)
        written = [self.out_dir.joinpath(*parts) for parts in self._staged]
        self.discard()
        logger.debug("wrote %d files under %s", len(written), self.out_dir)
        return written

    def discard(self) -> None:
        """Forget every staged file and remove the spool; the output is left as it is."""
        self._staged.clear()
        if self._spool is not None:
            self._spool.close()
            self._spool = None

    def _folder(
        self,
        parts: tuple[str, ...],
        folders: dict[tuple[str, ...], int],
        stack: ExitStack,
        *,
        sweep: bool = False,
    ) -> int:
        """Return an open descriptor of out_dir/parts, creating real folders as needed.

        With ``sweep``, temporary files a killed commit left in a folder are removed.
        """
        if parts in folders:
            return folders[parts]
        if not parts:
            fd = _open_dir(None, str(self.out_dir))
        else:
            parent = self._folder(parts[:-1], folders, stack, sweep=sweep)
            fd = _enter_dir(parent, parts[-1], "/".join(parts))
        stack.callback(os.close, fd)
        folders[parts] = fd
        if sweep:
            _sweep_temps(fd, self.sweep_after)
        return fd

    def _in_folders(
        self, items: Sequence[tuple[tuple[str, ...], T]], action: Callable[[int, T], None]
    ) -> None:
        """Apply ``action(folder, what)`` to each item, its folder opened (a batch at a time)."""
        for start in range(0, len(items), folder_batch()):
            with ExitStack() as stack:
                fds: dict[tuple[str, ...], int] = {}
                for folder, name in items[start : start + folder_batch()]:
                    with suppress(OSError, WriteError):  # cleaning up: do what can be done
                        action(self._folder(folder, fds, stack), name)

    def _replace_all(self, temps: Sequence[tuple[tuple[str, ...], str, str]]) -> None:
        """Rename every temporary file over its target: all of them, or (on a failure) none.

        Before each rename the old file is kept under a hard link, so that a failed rename
        puts back every file this commit replaced, and removes those it added. Each batch
        of folders is synced once its renames are done.
        """
        done: list[tuple[tuple[str, ...], str, str | None]] = []
        batch = folder_batch()
        try:
            for start in range(0, len(temps), batch):
                with ExitStack() as stack:
                    fds: dict[tuple[str, ...], int] = {}
                    for folder, temp, name in temps[start : start + batch]:
                        fd = self._folder(folder, fds, stack)
                        backup = _keep(fd, name)
                        try:
                            _replace(fd, temp, name)
                        except BaseException:
                            if backup is not None:
                                _unlink_quietly(fd, backup)
                            raise
                        done.append((folder, name, backup))
                    for fd in fds.values():
                        os.fsync(fd)
        except BaseException:
            self._in_folders([(f, t) for f, t, _ in temps], _unlink_quietly)
            self._in_folders([(f, n) for f, n, b in reversed(done) if b is None], _remove)
            backed_up = [(f, (b, n)) for f, n, b in done if b is not None]
            self._in_folders(backed_up, _restore)
            raise
        backups = [(f, b) for f, _, b in done if b is not None]
        self._in_folders(backups, _unlink_quietly)

    def _write_temps(
        self, placed: list[tuple[int, tuple[str, ...], str, tuple[int, int]]]
    ) -> list[tuple[tuple[str, ...], str, str]]:
        """Write each file under a temporary name in its folder; return (folder, temp, name).

        Several at once: syncing a file waits on the disk, and the disk takes syncs
        together (a build's hundreds of files are written in half the time). If one
        fails or the commit is interrupted, every temporary file written is removed.
        """
        with ThreadPoolExecutor(
            max_workers=SYNC_THREADS, thread_name_prefix="briefgen-write"
        ) as pool:
            writes = [
                (fd, folder, pool.submit(self._write_temp, fd, where), name)
                for fd, folder, name, where in placed
            ]
            try:
                return [(folder, write.result(), name) for _, folder, write, name in writes]
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                for fd, _, write, _ in writes:
                    if not write.cancelled() and write.exception() is None:
                        _unlink_quietly(fd, write.result())
                raise

    def _write_temp(self, folder: int, where: tuple[int, int]) -> str:
        """Write a staged file to a new temporary file in the folder, synced; return its name.

        WriteError if the disk refuses (full, read-only, over a quota): nothing is left.
        """
        assert self._spool is not None
        data = self._spool.get(where)
        name = f"{TEMP_PREFIX}{secrets.token_hex(8)}{TEMP_SUFFIX}"
        try:
            fd = os.open(name, _FILE_FLAGS, 0o666, dir_fd=folder)
        except OSError as exc:
            raise _refused(exc) from exc
        try:
            with os.fdopen(fd, "wb", closefd=False) as stream:
                stream.write(data)
            if self.mtime is not None:
                os.utime(fd, (self.mtime, self.mtime))
            os.fsync(fd)
        except BaseException as exc:
            _unlink_quietly(folder, name)
            if isinstance(exc, OSError):
                raise _refused(exc) from exc
            raise
        finally:
            os.close(fd)
        return name


def _refused(exc: OSError) -> WriteError:
    """Describe why the output folder refused a file, in one line."""
    reason = exc.strerror or str(exc)
    return WriteError(f"cannot write the output: {reason}; the previous output is unchanged")


def _remove(folder: int, name: str) -> None:
    """Remove a file this commit added (undoing it)."""
    os.unlink(name, dir_fd=folder)


def _restore(folder: int, backup_and_name: tuple[str, str]) -> None:
    """Put back the file a commit replaced from its hard-linked backup (undoing it)."""
    backup, name = backup_and_name
    os.replace(backup, name, src_dir_fd=folder, dst_dir_fd=folder)


def _keep(folder: int, name: str) -> str | None:
    """Hard-link the file at ``name`` under a temporary name; None if there is no such file."""
    try:
        info = os.stat(name, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        return None
    if stat.S_ISDIR(info.st_mode):
        return None  # the rename will refuse, with its own message
    backup = f"{TEMP_PREFIX}{secrets.token_hex(8)}{TEMP_SUFFIX}"
    try:
        os.link(name, backup, src_dir_fd=folder, dst_dir_fd=folder, follow_symlinks=False)
    except OSError as exc:
        raise _refused(exc) from exc
    return backup


def read_or_none(path: Path) -> bytes | None:
    """Read a file; None if it cannot be read (say, a build is replacing it)."""
    try:
        return path.read_bytes()
    except OSError:
        return None


def remove_outputs(out_dir: Path, relatives: Sequence[str]) -> list[str]:
    """Remove files an earlier build made that nothing makes any more, never outside the output."""
    removed = []
    root = out_dir.resolve()
    for relative in relatives:
        target = out_dir.joinpath(*checked_parts(relative))
        if target.parent.resolve().is_relative_to(root) and target.is_file():
            try:
                target.unlink()
            except OSError as exc:
                logger.warning("cannot remove %s: %s", relative, exc.strerror or exc)
                continue
            removed.append(relative)
    return removed


def _open_dir(parent: int | None, name: str) -> int:
    """Open a folder without following a symlink at its last component."""
    try:
        return os.open(name, _DIR_FLAGS, dir_fd=parent)
    except OSError as exc:
        raise WriteError(f"cannot open folder '{name}': {exc.strerror}") from exc


def _enter_dir(parent: int, name: str, shown: str) -> int:
    """Open (or create) a real folder ``name`` inside ``parent``; replace a symlink there."""
    try:
        info = os.stat(name, dir_fd=parent, follow_symlinks=False)
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISLNK(info.st_mode):
        logger.warning("replacing the symlink at %s with a folder", shown)
        os.unlink(name, dir_fd=parent)
        info = None
    if info is None:
        try:
            os.mkdir(name, 0o777, dir_fd=parent)
        except OSError as exc:
            raise WriteError(f"cannot create folder '{shown}': {exc.strerror}") from exc
    elif not stat.S_ISDIR(info.st_mode):
        raise WriteError(f"cannot write into '{shown}': it is a file, not a folder")
    return _open_dir(parent, name)


def _replace(folder: int, temp: str, name: str) -> None:
    """Rename temp over name in one step (a symlink at name is replaced, not followed)."""
    try:
        os.replace(temp, name, src_dir_fd=folder, dst_dir_fd=folder)
    except OSError as exc:
        if exc.errno in (errno.EISDIR, errno.ENOTEMPTY, errno.EEXIST):
            raise WriteError(f"cannot replace '{name}': a folder is in the way") from exc
        raise WriteError(f"cannot write '{name}': {exc.strerror}") from exc


def _unlink_quietly(folder: int, name: str) -> None:
    """Remove a temporary file if it is still there."""
    with suppress(FileNotFoundError):
        os.unlink(name, dir_fd=folder)


def _sweep_temps(folder: int, age: float) -> None:
    """Remove temporary files that a killed commit left here at least ``age`` seconds ago.

    The age (by ctime, which pinned mtimes do not fake) spares a concurrent commit's files.
    """
    now = time.time()
    for entry in os.listdir(folder):
        if not (entry.startswith(TEMP_PREFIX) and entry.endswith(TEMP_SUFFIX)):
            continue
        try:
            info = os.stat(entry, dir_fd=folder, follow_symlinks=False)
        except FileNotFoundError:
            continue
        if now - info.st_ctime >= age:
            _unlink_quietly(folder, entry)
