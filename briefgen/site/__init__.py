"""The site's cross-event pages: people, topics and sides gathered, their keys, the feed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from briefgen.site.views import EventView, Site

if TYPE_CHECKING:
    from briefgen.site.pages import Kept, Listed, SitePlan, site_plan

__all__ = ["EventView", "Kept", "Listed", "Site", "SitePlan", "site_plan"]


def __getattr__(name: str) -> Any:
    """Load the page renderer (and Jinja2) only for what renders: the views need neither."""
    if name in __all__:
        from briefgen.site import pages

        return getattr(pages, name)
    raise AttributeError(name)
