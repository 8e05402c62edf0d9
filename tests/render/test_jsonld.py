"""Each briefing page carries schema.org JSON-LD that a JSON-LD processor reads, offline."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from _workspace import REPO, SAMPLE, replace, sample_workspace, write
from pyld import jsonld

from briefgen.build import build
from briefgen.verify.check import load_sources

SCHEMA = "https://schema.org/"
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _embedded(page: Path) -> Any:
    """Return the JSON-LD of a page: the one script element's JSON."""
    [text] = SCRIPT.findall(page.read_text("utf-8"))
    return json.loads(text)


def _expanded(data: Any, page: Path) -> list[dict[str, Any]]:
    """Expand JSON-LD against the page's own address, with no document loader (no network)."""

    def refuse(url: str, options: Any) -> Any:
        raise AssertionError(f"the JSON-LD asked to load {url}")

    return jsonld.expand(data, {"base": page.as_uri(), "documentLoader": refuse})


def test_the_briefing_page_describes_the_event_people_and_quotes(tmp_path: Path) -> None:
    root = sample_workspace(tmp_path)
    build([root / "sources"], pdf=False)
    page = root / "output" / SAMPLE / "index.html"
    nodes = {n["@id"]: n for n in _expanded(_embedded(page), page)}
    [source] = load_sources([REPO / "sources" / f"{SAMPLE}.yaml"])
    b = source.briefing
    event = nodes[f"{page.as_uri()}#event"]
    assert event["@type"] == [f"{SCHEMA}Event"]
    assert event[f"{SCHEMA}name"] == [{"@value": b.event.title}]
    assert event[f"{SCHEMA}startDate"] == [{"@value": b.event.date.isoformat()}]
    performers = {p["@id"].split("#person-")[1] for p in event[f"{SCHEMA}performer"]}
    assert performers == {s.id for s in b.speakers if s.present}
    people = {i: n for i, n in nodes.items() if n["@type"] == [f"{SCHEMA}Person"]}
    for speaker in b.speakers:
        node = people[f"{page.as_uri()}#person-{speaker.id}"]
        assert node[f"{SCHEMA}jobTitle"] == [{"@value": speaker.title}]
    quotes = [n for n in nodes.values() if n["@type"] == [f"{SCHEMA}Quotation"]]
    assert sorted(q[f"{SCHEMA}text"][0]["@value"] for q in quotes) == sorted(
        q.text for q in b.quotes
    )
    for quote in quotes:
        [speaker] = quote[f"{SCHEMA}spokenByCharacter"]
        assert speaker["@id"] in people, "every quote is attributed to a person on the page"
        [work] = quote[f"{SCHEMA}isBasedOn"]
        assert nodes[work["@id"]]["@type"] == [f"{SCHEMA}CreativeWork"]
    anchors = {q["@id"].split("#")[1] for q in quotes}
    text = page.read_text("utf-8")
    assert all(f'id="{anchor}"' in text for anchor in anchors), "ids are the page's anchors"


def test_no_text_can_close_the_script(tmp_path: Path) -> None:
    hostile = "Trade </script><script>alert(1)</script> & <!-- talks"
    path = write(tmp_path, replace('title: "Seminar on trade"', f"title: {json.dumps(hostile)}"))
    build([path], pdf=False)
    page = tmp_path / "output" / "event" / "index.html"
    text = page.read_text("utf-8")
    assert "</script><script>" not in text and "<!-- talks" not in text
    scripts = re.findall(r"<script\b[^>]*>", text)
    assert all('type="application/ld+json"' in s or " src=" in s for s in scripts), scripts
    event = next(n for n in _embedded(page)["@graph"] if n["@type"] == "Event")
    assert event["name"] == hostile, "the title reads back exactly"
