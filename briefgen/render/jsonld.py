"""schema.org JSON-LD for a briefing page: the event, who spoke, and each quote with its source.

Other tools (search engines, reference managers, newsroom archives) read the page's
``<script type="application/ld+json">``. The context is inline (schema.org as the
vocabulary), so that a JSON-LD processor needs no network to read it, and the ids are
fragments of the page itself. The JSON is escaped for a script element: no text can
close it.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from briefgen.render import markdown
from briefgen.source.model import Briefing, Source, Speaker

CONTEXT = {"@vocab": "https://schema.org/"}
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def person_id(speaker_id: str) -> str:
    """Return the JSON-LD id of a speaker: a fragment of the briefing page."""
    return f"#person-{speaker_id}"


def _person(speaker: Speaker) -> dict[str, Any]:
    """Describe a speaker as a schema.org Person, as of the event."""
    node: dict[str, Any] = {
        "@type": "Person",
        "@id": person_id(speaker.id),
        "name": speaker.name,
        "jobTitle": speaker.title,
        "affiliation": {"@type": "Organization", "name": speaker.affiliation},
    }
    names = [n for n in [speaker.native_name, *speaker.aliases] if n]
    if names:
        node["alternateName"] = names
    return node


def _work(source: Source) -> dict[str, Any]:
    """Describe a cited source as a schema.org CreativeWork."""
    node: dict[str, Any] = {
        "@type": "CreativeWork",
        "@id": f"#source-{source.id}",
        "name": source.title,
        "genre": source.kind,
        "publisher": {"@type": "Organization", "name": source.publisher},
    }
    if source.author:
        node["author"] = {"@type": "Person", "name": source.author}
    if source.date:
        node["datePublished"] = source.date.isoformat()
    if source.url:
        node["url"] = source.url
    return node


def briefing_graph(b: Briefing, anchors: list[str]) -> dict[str, Any]:
    """Return the JSON-LD of a briefing: its Event, Persons, sources and Quotations."""
    event = b.event
    node: dict[str, Any] = {
        "@type": "Event",
        "@id": "#event",
        "name": event.title,
        "startDate": event.date.isoformat(),
        "location": {"@type": "Place", "name": event.location},
        "organizer": {"@type": "Organization", "name": event.host},
        "description": markdown.plain_text(event.summary),
        "performer": [{"@id": person_id(s.id)} for s in b.speakers if s.present],
        "about": [{"@type": "Thing", "name": t.title} for t in b.topics],
    }
    if event.end_date:
        node["endDate"] = event.end_date.isoformat()
    topics = {t.id: t.title for t in b.topics}
    quotes = []
    for anchor, quote in zip(anchors, b.quotes, strict=True):
        said: dict[str, Any] = {
            "@type": "Quotation",
            "@id": f"#quote-{anchor}",
            "text": quote.text,
            "spokenByCharacter": {"@id": person_id(quote.speaker)},
            "creator": {"@id": person_id(quote.speaker)},
            "isBasedOn": {"@id": f"#source-{quote.source}"},
            "isPartOf": {"@id": "#event"},
        }
        if quote.topic in topics:
            said["about"] = {"@type": "Thing", "name": topics[quote.topic]}
        quotes.append(said)
    graph = [node, *(_person(s) for s in b.speakers), *(_work(s) for s in b.sources), *quotes]
    return {"@context": CONTEXT, "@graph": graph}


def jsonld_script(b: Briefing) -> Markup:
    """Return the briefing's JSON-LD as the text of a script element, escaped for it."""
    data = briefing_graph(b, b.quote_ids())
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_SAFE)
    return Markup(text)
