"""briefgen: curated YAML about a policy event in, briefing notes (PDF and HTML) out."""

from __future__ import annotations

from typing import Any

from briefgen.errors import BriefgenError, Diagnostic, SourceError

__version__ = "0.1.0"
__all__ = ["BriefgenError", "Diagnostic", "SourceError", "__version__", "build", "check", "load"]


def __getattr__(name: str) -> Any:
    """Import the heavy stages only when asked for, so that ``check`` stays instant."""
    if name == "build":
        from briefgen.build.pipeline import build

        return build
    if name == "check":
        from briefgen.verify.check import check_paths

        return check_paths
    if name == "load":
        from briefgen.verify.check import load_sources

        return load_sources
    raise AttributeError(name)
