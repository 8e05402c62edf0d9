"""Watching a workspace for edits: sources, templates and config, as folders come and go."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Generator, Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import watchfiles

from briefgen.paths import CONFIG_NAME, SOURCES_DIR

logger = logging.getLogger(__name__)

WATCH_TIMEOUT_MS = 500
WATCH_STEP_MS = 30

Batch = set[tuple[watchfiles.Change, str]]


@dataclass(frozen=True)
class WatchPlan:
    """Folders for one watcher, and the only paths it reports (None: everything below them)."""

    folders: tuple[Path, ...]
    recursive: bool
    only: frozenset[Path] | None = None


class Watcher:
    """Report the paths edited in a workspace (never in its output) until stopped."""

    def __init__(
        self,
        root: Path,
        paths: list[Path],
        output: Path,
        stopping: threading.Event,
        changed: Callable[[Iterable[str]], None],
    ) -> None:
        self.root = root
        self.paths = paths
        self.output = output
        self._stopping = stopping
        self._changed = changed

    def deep(self) -> WatchPlan:
        """Watch sources/, templates/ and folders given, with everything below them."""
        folders = [self.root / SOURCES_DIR, self.root / "templates"]
        folders += [p for p in self.paths if p.is_dir()]
        existing = {f.resolve() for f in folders if f.is_dir()}
        kept = [f for f in existing if not any(f != o and f.is_relative_to(o) for o in existing)]
        return WatchPlan(tuple(sorted(kept)), recursive=True)

    def shallow(self) -> WatchPlan:
        """Watch briefgen.yaml, files given, and sources/ or templates/ coming or going.

        Their folders are watched rather than the files, since an editor that saves by
        renaming a new file over the old one would end a watch on the file itself.
        """
        deep = self.deep().folders
        wanted = {self.root / CONFIG_NAME, self.root / SOURCES_DIR, self.root / "templates"}
        wanted |= {p for p in self.paths if not p.is_dir()}
        only = {p.resolve() for p in wanted}
        only = {p for p in only if not any(p.is_relative_to(d) for d in deep)}
        folders = {p.parent for p in only if p.parent.is_dir()}
        return WatchPlan(tuple(sorted(folders)), recursive=False, only=frozenset(only))

    def watch(self, plan: Callable[[], WatchPlan], armed: threading.Event) -> None:
        """Report changes below a plan's folders; re-plan when folders come or go.

        A watch is known to be armed at its first report (a change, or none by the
        timeout); after a re-plan that report also triggers a rebuild, for the changes
        that fell between the old watch and the new one.
        """
        rearmed = False
        while not self._stopping.is_set():
            watch = plan()
            try:
                with closing(self._batches(watch)) as batches:
                    for changes in batches:
                        armed.set()
                        if rearmed or changes:
                            self._changed(path for _, path in changes)
                            rearmed = False
                        if plan() != watch:
                            rearmed = True
                            break
            except (OSError, RuntimeError) as exc:
                armed.set()
                logger.warning("cannot watch %s: %s", ", ".join(map(str, watch.folders)), exc)
                self._stopping.wait(1.0)

    def _batches(self, watch: WatchPlan) -> Generator[Batch, None, None]:
        """Yield sets of changes, or one empty set per timeout while there is nothing to watch."""
        if not watch.folders:
            yield set()
            self._stopping.wait(WATCH_TIMEOUT_MS / 1000)
            return
        with closing(self._changes(watch)) as batches:
            yield from batches

    def _changes(self, watch: WatchPlan) -> Generator[Batch, None, None]:
        """Yield sets of changes (empty every half second) until stopped."""
        default = watchfiles.DefaultFilter()

        def relevant(change: watchfiles.Change, path: str) -> bool:
            real = Path(path)
            if real.is_relative_to(self.output) or not default(change, _below(real, watch)):
                return False
            return watch.only is None or real in watch.only

        return watchfiles.watch(
            *watch.folders,
            watch_filter=relevant,
            recursive=watch.recursive,
            stop_event=self._stopping,
            rust_timeout=WATCH_TIMEOUT_MS,
            yield_on_timeout=True,
            step=WATCH_STEP_MS,
            raise_interrupt=False,
        )


def _below(path: Path, watch: WatchPlan) -> str:
    """Return the part of a changed path below its watched folder, for watchfiles' filter.

    The filter skips any path with a part such as ``node_modules``, ``.git`` or ``.venv``:
    given the whole path, it would skip every change in a workspace kept below one.
    """
    for folder in watch.folders:
        if path.is_relative_to(folder):
            return str(path.relative_to(folder))
    return path.name
