"""The sources a briefing cites as CSL-JSON, the format reference managers import.

Each source becomes one item, its id ``<slug>/<source id>``, typed by its ``kind``; the
event it was cited for goes in ``note``. Zotero, Mendeley and every citeproc read it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from briefgen.source.model import Briefing, Source

# a source's kind (free text in the source format) to the nearest CSL type
TYPES = {
    "article": "article-newspaper",
    "news": "article-newspaper",
    "transcript": "speech",
    "speech": "speech",
    "statement": "document",
    "press release": "document",
    "report": "report",
    "paper": "report",
    "video": "motion_picture",
    "broadcast": "broadcast",
    "interview": "interview",
    "webpage": "webpage",
    "book": "book",
    "journal": "article-journal",
    "law": "legislation",
    "bill": "bill",
    "hearing": "hearing",
}


def csl_type(kind: str) -> str:
    """Return the CSL type of a source's kind ("document" when none is near)."""
    return TYPES.get(kind.strip().casefold(), "document")


def _item(slug: str, b: Briefing, source: Source) -> dict[str, Any]:
    """Describe one cited source as a CSL-JSON item."""
    item: dict[str, Any] = {
        "id": f"{slug}/{source.id}",
        "type": csl_type(source.kind),
        "title": source.title,
        "publisher": source.publisher,
        "note": f"Cited in the briefing on {b.event.title} ({b.event.date.isoformat()})",
    }
    if source.kind.strip().casefold() in ("article", "news"):
        item["container-title"] = source.publisher
    if source.author:
        item["author"] = [{"literal": source.author}]
    if source.date:
        item["issued"] = {"date-parts": [[source.date.year, source.date.month, source.date.day]]}
    if source.url:
        item["URL"] = source.url
    return item


def csl_items(briefings: Sequence[tuple[str, Briefing]]) -> list[dict[str, Any]]:
    """Return every source the briefings cite as CSL-JSON items, by briefing then source."""
    return [_item(slug, b, source) for slug, b in briefings for source in b.sources]
