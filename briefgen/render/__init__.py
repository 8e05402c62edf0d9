"""HTML strings from templates: the Jinja environment, Markdown made safe, and view models of a
briefing, its transcript and its evidence. Renders; never writes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from briefgen.render.meta import BriefingMeta, Revision

if TYPE_CHECKING:
    from briefgen.render.environment import Renderer

__all__ = ["BriefingMeta", "Renderer", "Revision"]


def __getattr__(name: str) -> Any:
    """Load Jinja2 only for what renders: the build's memory needs only BriefingMeta."""
    if name == "Renderer":
        from briefgen.render.environment import Renderer

        return Renderer
    raise AttributeError(name)
