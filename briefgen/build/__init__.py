"""The build: the orchestrator and its memory (manifest, caches, revisions, search index)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from briefgen.build.pipeline import BuildResult, build

__all__ = ["BuildResult", "build"]


def __getattr__(name: str) -> Any:
    """Import the pipeline only when building: the CLI's reporter alone need not load it."""
    if name in __all__:
        from briefgen.build import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
