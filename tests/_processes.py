"""Finding the processes a test started, by a tag in their environment."""

from __future__ import annotations

import os
from pathlib import Path


def tagged_processes(tag: str) -> dict[int, str]:
    """Return the live processes whose environment holds ``tag``: pid and command line."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if tag.encode() in (entry / "environ").read_bytes():
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                if (entry / "stat").read_text().split(") ")[-1][0] != "Z":
                    found[int(entry.name)] = command
        except OSError:
            continue
    return found
