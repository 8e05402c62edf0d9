"""A transcript as an Akoma Ntoso 3.0 ``debate``: who spoke, each turn a ``speech``.

The document's metadata names each speaker once as a ``TLCPerson`` (its ``eId`` the
speaker id), and each ``speech`` in the ``debateBody`` refers to one with ``by="#id"``,
its speaker's name in ``from`` and its text in paragraphs. Text goes through the XML
writer, which escapes it; nothing in a source can add markup.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from briefgen.errors import UsageError
from briefgen.render import markdown
from briefgen.source.model import Briefing

AKN = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
COUNTRY = "xx"  # no country: a seminar or panel belongs to no jurisdiction
_PARAGRAPHS = re.compile(r"\n\s*\n")


def _tag(local: str) -> str:
    """Return an element name in the Akoma Ntoso namespace."""
    return f"{{{AKN}}}{local}"


def _sub(
    parent: ET.Element, local: str, text: str | None = None, /, **attributes: str
) -> ET.Element:
    """Add a child element with attributes (and text)."""
    element = ET.SubElement(parent, _tag(local), attributes)
    if text is not None:
        element.text = text
    return element


_LEVELS = {  # each FRBR level's this and uri, after the work's uri
    "FRBRWork": ("/!main", ""),
    "FRBRExpression": ("/eng@/!main", "/eng@"),
    "FRBRManifestation": ("/eng@/!main.xml", "/eng@.akn"),
}


def _frbr(parent: ET.Element, level: str, uri: str, date: str) -> None:
    """Add one FRBR level (Work, Expression, Manifestation) of the identification."""
    this, same = _LEVELS[level]
    element = _sub(parent, level)
    _sub(element, "FRBRthis", value=uri + this)
    _sub(element, "FRBRuri", value=uri + same)
    _sub(element, "FRBRdate", date=date, name="event" if level == "FRBRWork" else "export")
    _sub(element, "FRBRauthor", href="#briefgen")
    if level == "FRBRWork":
        _sub(element, "FRBRcountry", value=COUNTRY)
    if level == "FRBRExpression":
        _sub(element, "FRBRlanguage", language="eng")


def akn_debate(b: Briefing, slug: str, exported: str) -> bytes:
    """Return the transcript of a briefing as an Akoma Ntoso debate (UTF-8 XML)."""
    if not b.transcript:
        raise UsageError(f"'{slug}' has no transcript to export as a debate")
    ET.register_namespace("", AKN)
    root = ET.Element(_tag("akomaNtoso"))
    debate = _sub(root, "debate", name=slug)
    meta = _sub(debate, "meta")
    identification = _sub(meta, "identification", source="#briefgen")
    day = b.event.date.isoformat()
    uri = f"/akn/{COUNTRY}/debate/{day}/{slug}"
    for level, date in zip(_LEVELS, (day, exported, exported), strict=True):
        _frbr(identification, level, uri, date)
    references = _sub(meta, "references", source="#briefgen")
    organisation = "/ontology/organization/briefgen"
    _sub(references, "TLCOrganization", eId="briefgen", href=organisation, showAs="briefgen")
    spoke = {turn.speaker for turn in b.transcript}
    for speaker in b.speakers:
        if speaker.id in spoke:
            href = f"/ontology/person/{speaker.id}"
            _sub(references, "TLCPerson", eId=speaker.id, href=href, showAs=speaker.name)
    preface = _sub(debate, "preface")
    _sub(_sub(preface, "p"), "docTitle", b.event.title)
    _sub(_sub(preface, "p"), "docDate", markdown.plain_text(b.event.location), date=day)
    body = _sub(debate, "debateBody")
    section = _sub(body, "debateSection", eId="dbsect_1", name="proceedings")
    _sub(section, "heading", b.event.title)
    names = {s.id: s.name for s in b.speakers}
    for n, turn in enumerate(b.transcript, 1):
        speech = _sub(section, "speech", eId=f"dbsect_1__speech_{n}", by=f"#{turn.speaker}")
        _sub(speech, "from", names.get(turn.speaker, turn.speaker))
        for paragraph in _PARAGRAPHS.split(turn.text.strip()):
            _sub(speech, "p", markdown.plain_text(paragraph))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
