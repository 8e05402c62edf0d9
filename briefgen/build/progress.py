"""Progress of a build, kept out of the build logic: a reporter object the build calls.

The library's default reporter is silent. The command line passes a ``RichReporter`` when
standard error is a terminal: a progress bar per stage, cleared when the build ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any


@dataclass(frozen=True)
class Summary:
    """What a build did, counted in briefings."""

    built: int
    unchanged: int
    failed: int
    elapsed: float
    removed: int = 0

    def line(self) -> str:
        """Return the one-line summary the command line prints."""
        removed = f", removed {self.removed}" if self.removed else ""
        return (
            f"built {self.built}, unchanged {self.unchanged}, failed {self.failed}{removed} "
            f"in {self.elapsed:.1f} s"
        )


class Reporter:
    """Hears what a build is doing, and prints nothing."""

    def __init__(self) -> None:
        self.summary: Summary | None = None

    def stage(self, name: str, total: int | None) -> None:
        """A stage of ``total`` steps begins: 0 when it has nothing to do, None if unknown."""

    def advance(self, steps: int = 1) -> None:
        """The current stage took ``steps`` more steps."""

    def finished(self, summary: Summary) -> None:
        """The build ended, well or not; remember its summary."""
        self.summary = summary


class RichReporter(Reporter):
    """Draw one progress bar per stage with rich; cleared when the build ends."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        super().__init__()
        from rich.console import Console  # only the command line pays for rich
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        self.console = Console(file=stream, stderr=stream is None)
        self.progress = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        )
        self.task: Any = None

    def stage(self, name: str, total: int | None) -> None:
        """Start a bar for the stage (none for a stage with nothing to do; pulsing if unknown)."""
        if self.summary is not None:  # a thread of a failed build may still be reporting
            return
        for task in self.progress.tasks:
            if task.id == self.task:  # the previous stage is done: show it full
                self.progress.update(task.id, total=task.total or 1, completed=task.total or 1)
        self.task = None
        if total == 0:
            return
        if not self.progress.live.is_started:
            self.progress.start()
        self.task = self.progress.add_task(name, total=total)

    def advance(self, steps: int = 1) -> None:
        """Move the current bar on."""
        if self.task is not None and self.summary is None:
            self.progress.advance(self.task, steps)

    def finished(self, summary: Summary) -> None:
        """Clear the bars."""
        super().finished(summary)
        self.progress.stop()


def reporter_for(stream: IO[str]) -> Reporter:
    """Return a progress bar on ``stream`` if it is a terminal, else a silent reporter."""
    isatty = getattr(stream, "isatty", None)
    return RichReporter(stream) if isatty is not None and isatty() else Reporter()
