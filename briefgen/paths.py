"""Where a workspace's sources, templates, configuration and output live."""

from __future__ import annotations

import os
from pathlib import Path

CONFIG_NAME = "briefgen.yaml"
SOURCES_DIR = "sources"


def find_root(start: Path) -> Path:
    """Return the workspace root for a path: the nearest folder with briefgen.yaml.

    Without one, a file inside ``sources/`` belongs to the folder above it, and
    anything else to the current directory. A file's own symlink is not followed: a source
    linked in from another workspace builds here, with this workspace's configuration (its
    folders are resolved, so a linked folder of sources still counts as being here).
    """
    start = Path(os.path.abspath(start))
    folder = (start if start.is_dir() else start.parent).resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / CONFIG_NAME).is_file():
            return candidate
    if folder.name == SOURCES_DIR:
        return folder.parent
    return Path.cwd().resolve()


def inside(root: Path, relative: str) -> Path | None:
    """Resolve ``relative`` under ``root``; None when it escapes the workspace."""
    if os.path.isabs(relative) or "\x00" in relative:
        return None
    target = (root / relative).resolve()
    return target if target.is_relative_to(root.resolve()) else None


def display_path(path: Path) -> str:
    """Show a path relative to the current directory when it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def source_files(paths: list[Path]) -> list[Path]:
    """Expand folders into the ``*.yaml`` sources they hold, sorted, without repeats."""
    found: dict[Path, None] = {}
    for path in paths:
        items = (
            sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml")) if path.is_dir() else [path]
        )
        found.update((item, None) for item in items)
    return list(found)


def builtin_templates() -> Path:
    """Return the folder of built-in templates: inside the package, else the repository's."""
    packaged = Path(__file__).parent / "templates"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "templates"
