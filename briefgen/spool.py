"""Where a build's staged files wait until the commit: an unnamed temporary file, not memory."""

from __future__ import annotations

import os
import resource
import tempfile
import threading

from briefgen.errors import WriteError

TEMP_PREFIX = ".briefgen-"


class Spool:
    """Staged files' bytes, kept in an unnamed temporary file rather than in memory.

    A build of thousands of briefings stages hundreds of megabytes; held in memory, they
    made its peak grow with every event. The file has no name (the system removes it when
    it is closed, or when the build is killed), and nothing is written to the output.
    """

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix=TEMP_PREFIX)  # noqa: SIM115  (closed by close)
        self._lock = threading.Lock()
        self._end = 0

    def put(self, data: bytes) -> tuple[int, int]:
        """Append data; return where it is (offset, length)."""
        with self._lock:
            where = (self._end, len(data))
            self._end += len(data)
        offset, view = where[0], memoryview(data)
        try:
            while view:  # positioned writes: threads may stage and read side by side
                done = os.pwrite(self._file.fileno(), view, offset)
                offset, view = offset + done, view[done:]
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise WriteError(
                f"cannot keep the staged files: {reason}; nothing was written"
            ) from exc
        return where

    def get(self, where: tuple[int, int]) -> bytes:
        """Read back what ``put`` returned ``where`` for."""
        offset, length = where
        parts = []
        while length:
            chunk = os.pread(self._file.fileno(), length, offset)
            if not chunk:
                raise WriteError("the build's staged files were cut short; build again")
            parts.append(chunk)
            offset, length = offset + len(chunk), length - len(chunk)
        return b"".join(parts)

    def close(self) -> None:
        """Remove the temporary file."""
        self._file.close()


def folder_batch() -> int:
    """Return how many folders a commit opens at once: 512, fewer under a low open-file limit.

    Each folder opened holds its parents open too (about three for a briefing's sources/).
    """
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return 512
    return max(8, min(512, (soft - 128) // 8))
