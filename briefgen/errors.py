"""The one error hierarchy: every problem briefgen reports to a user."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How serious a diagnostic is."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One located problem in a source or configuration file."""

    path: str
    line: int
    column: int
    severity: Severity
    field: str
    message: str

    def format(self) -> str:
        """Render compiler style: ``path:line:col: severity: field: message``."""
        where = f"{self.path}:{self.line}:{self.column}"
        field = f"{self.field}: " if self.field else ""
        return f"{where}: {self.severity.value}: {field}{self.message}"

    def as_dict(self) -> dict[str, object]:
        """Return a JSON-ready mapping."""
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    def promoted(self) -> Diagnostic:
        """Return this diagnostic as an error (for ``--strict``)."""
        return Diagnostic(
            self.path, self.line, self.column, Severity.ERROR, self.field, self.message
        )


def diagnostics_json(diagnostics: Iterable[Diagnostic]) -> str:
    """Serialise diagnostics as a JSON array."""
    return json.dumps([d.as_dict() for d in diagnostics], ensure_ascii=False, indent=2)


class BriefgenError(Exception):
    """Base of every error briefgen reports to a user."""


class SourceError(BriefgenError):
    """One or more located problems in source or configuration files."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))

    def __reduce__(self) -> tuple[type[SourceError], tuple[list[Diagnostic]]]:
        """Pickle with the diagnostics (a page worker's error reaches the build whole)."""
        return type(self), (self.diagnostics,)


class ConfigError(SourceError):
    """Problems in ``briefgen.yaml``."""


class TemplateError(BriefgenError):
    """A template is missing or failed to render."""


class RenderError(BriefgenError):
    """A briefing could not be rendered (HTML or PDF); ``failed`` names the briefings, if known."""

    def __init__(self, message: str = "", failed: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.failed = list(failed)

    def __reduce__(self) -> tuple[type[RenderError], tuple[str, list[str]]]:
        """Pickle with the briefings named (a page worker's error reaches the build whole)."""
        return type(self), (str(self), self.failed)


class SearchError(RenderError):
    """The search index failed after the pages were written; ``built`` names their briefings."""

    def __init__(self, message: str, built: Sequence[str]) -> None:
        super().__init__(message)
        self.built = list(built)

    def __reduce__(self) -> tuple[type[SearchError], tuple[str, list[str]]]:
        """Pickle with the briefings built."""
        return type(self), (str(self), self.built)


class WriteError(BriefgenError):
    """Output could not be written safely."""


class TranscriptImportError(BriefgenError):
    """A transcript file could not be imported."""


class UsageError(BriefgenError):
    """The command was called wrongly (missing path, bad revision...)."""
