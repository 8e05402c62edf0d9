"""The header block of a text transcript: title, date, host, place, participants."""

from __future__ import annotations

import re

from briefgen.importers.common import EventFacts, squash
from briefgen.importers.dates import find_date, is_clock_line
from briefgen.importers.hearing import read_hearing
from briefgen.importers.labels import display_name, name_key
from briefgen.importers.roster import INSTITUTION, RosterReader, name_draft, parse_entry

# kind: the keys that introduce it. A kind in capitals is the role of the people listed.
_KEY_TABLE = """
date: date | when | event date
location: location | venue | place | where
host: host | hosts | hosted by | organizer | organiser | organized by | organised by
host: presented by | sponsored by | institution
title: title | event | event title | subject | topic
format: format | event type | type
list: participants | panelists | panellists | panel | speakers | featuring | with | guests
list: members present | witnesses | witness | also present | in attendance | attendees
list: discussants | presenters | introduction | introductions | welcome | opening remarks
list: welcome remarks | introductory remarks | closing remarks
Moderator: moderator | moderated by | presider | welcome and moderator
Moderator: introduction and moderator | opening remarks and moderator | moderators
Chair: chair | chaired by
Keynote speaker: keynote | keynote speaker | keynote remarks
skip: time | start time | end time | transcribed by | transcript by | transcription
skip: transcriber | prepared by | source | copyright | recorded | recording | language
skip: duration | running time | url | link | contact | media contact | rsvp | note | notes
skip: audio | video | inquiries | media inquiries | press inquiries | contact us | email
skip: phone | website | web | twitter | registration | livestream
"""
_KEYS = {
    key.strip(): kind
    for kind, keys in (row.split(": ", 1) for row in _KEY_TABLE.strip().splitlines())
    for key in keys.split("|")
}
_KEYED = re.compile(r"^(?P<key>[A-Za-z][A-Za-z .&/'-]{0,30}?)\s*[:\uff1a]\s*(?P<value>.*)$")
_BY = re.compile(
    r"^(?P<key>(?:hosted|moderated|presented|organi[sz]ed|chaired|sponsored) by)\s+(?P<value>.+)$",
    re.IGNORECASE,
)
_MARK = re.compile(
    r"^[\[(]?(?:\w+\s+){0,2}transcript(?:\s+of\s+(?:proceedings|the\s+event))?[.:\])]*$",
    re.IGNORECASE,
)
_PLACE = re.compile(
    r"^[A-Z][A-Za-z .'-]{1,30}, (?:D\.? ?C\.?|[A-Z]{2}|[A-Z][a-z]+(?: [A-Z][a-z]+)?)$|"
    r"\b(?:auditorium|hall|room|hotel|building|ballroom|floor|suite)\b|"
    r"^(?:online|virtual(?: event)?|via zoom|zoom webinar)$",
    re.IGNORECASE,
)
_FORMATS = (
    ("panel discussion", "panel"),
    ("fireside chat", "fireside chat"),
    ("roundtable", "roundtable"),
    ("round table", "roundtable"),
    ("hearing", "hearing"),
    ("webinar", "webinar"),
    ("symposium", "symposium"),
    ("conference", "conference"),
    ("lecture", "lecture"),
    ("press briefing", "press briefing"),
    ("briefing", "briefing"),
    ("oral evidence", "hearing"),
    ("evidence session", "hearing"),
    ("workshop", "workshop"),
    ("interview", "interview"),
    ("podcast", "podcast"),
    ("episode", "podcast"),
    ("panel", "panel"),
    ("seminar", "seminar"),
)
MAX_TITLE = 200
_ROLE_KINDS = {"list", "Moderator", "Chair", "Keynote speaker"}


def header_key(line: str) -> tuple[str, str] | None:
    """Return (kind, value) for a keyed header line such as "Date: 7 August 2019"."""
    match = _KEYED.match(line) or _BY.match(line)
    if not match:
        return None
    kind = _KEYS.get(" ".join(match["key"].lower().split()))
    return (kind, squash(match["value"])) if kind else None


def is_header_line(line: str) -> bool:
    """Return whether a line is header matter even though it looks like "Label: text"."""
    if _MARK.match(line.strip()):
        return True
    keyed = header_key(line.strip())
    if keyed is None:
        return False
    kind, value = keyed
    if kind == "host":
        return _names_host(value)
    return kind not in _ROLE_KINDS or not value or RosterReader().entries(value)


def _names_host(value: str) -> bool:
    """Return whether a "Host:" value names a host rather than being the host's speech."""
    if not value or INSTITUTION.search(value) or RosterReader().entries(value):
        return True
    return len(value.split()) <= 6 and not value.endswith((".", "?", "!"))


def read_header(lines: list[str], labelled: frozenset[str] = frozenset()) -> EventFacts:
    """Read the event facts from the lines before the first turn ('' marks a blank line).

    ``labelled``: the folded surnames the turns' labels use, so that "Ned Price,
    Spokesperson" is read as a participant when "MR PRICE:" speaks below.
    """
    hearing = read_hearing(lines)
    reader = _HeaderReader(labelled)
    for line in hearing.rest if hearing else lines:
        reader.feed(squash(line))
    reader.roster.end_group()
    facts = reader.facts
    facts.participants = reader.roster.participants
    if hearing:
        hearing.fill(facts)
    return facts


def format_of(*texts: str | None) -> str | None:
    """Return the event format a title makes obvious ("... Panel Discussion" -> panel)."""
    words = " ".join(t for t in texts if t).lower()
    return next((fmt for key, fmt in _FORMATS if re.search(rf"\b{key}\b", words)), None)


class _HeaderReader:
    """Classifies header lines one by one."""

    def __init__(self, labelled: frozenset[str] = frozenset()) -> None:
        self.facts = EventFacts()
        self.roster = RosterReader()
        self.in_list = False
        self.last = ""
        self.labelled = labelled

    def feed(self, line: str) -> None:
        """Read one header line (empty for a blank line)."""
        if not line:
            self.roster.end_group()
            return
        if _MARK.match(line) or set(line) <= set("-_=*#~. "):
            self.roster.end_group()
            return
        keyed = header_key(line)
        if keyed:
            self._keyed(*keyed)
        elif self.in_list:
            self.roster.line(line)
        elif not self._fact(line):
            self._title(line)

    def _keyed(self, kind: str, value: str) -> None:
        """Read a "Key: value" line."""
        self.last = kind
        if kind in _ROLE_KINDS:
            self.in_list = True
            self.roster.heading(None if kind == "list" else kind)
            if value:
                # "Moderator: Name, Title": the role is that person's, not the next lines'.
                self.roster.entries(value)
                self.roster.heading(None)
        elif kind == "host":
            self._host(value)
        elif kind == "date":
            found = find_date(value)
            self.facts.date = self.facts.date or (found.date if found else None)
        elif kind in ("title", "location", "format") and value:
            value = value[:MAX_TITLE]
            setattr(self.facts, kind, value.lower() if kind == "format" else value)

    def _host(self, value: str) -> None:
        """Read a host: an institution, or a person whose affiliation is the host."""
        person = parse_entry(value, "Host", strict=False)
        if person is None and name_draft(value, "Host") is not None:  # "Host: Dana Lee"
            self.roster.heading("Host")
            self.roster.entries(value)
            self.roster.heading(None)
            return
        if person is None:
            self.facts.host = self.facts.host or (value[:1].upper() + value[1:MAX_TITLE]) or None
            return
        self.roster.heading("Host")
        self.roster.entries(value)
        self.roster.heading(None)
        self.facts.host = self.facts.host or self.roster.participants[-1].affiliation

    def _fact(self, line: str) -> bool:
        """Read a date, time, participant, host or place line; report if it was one."""
        found = find_date(line)
        if found and len(found.rest) <= 60:
            self.facts.date = self.facts.date or found.date
            if found.rest:
                self._place_or_host(found.rest)
        elif is_clock_line(line):
            pass
        elif parse_entry(line, None, strict=True):
            self.in_list = True
            self.roster.line(line)
        elif self._speaks_below(line):  # one person named by the header, not a list
            self.roster.entries(line)
        elif not self._place_or_host(line):
            return False
        self.last = "fact"
        return True

    def _speaks_below(self, line: str) -> bool:
        """Return whether a "Name, Title" line names someone whose label the turns use."""
        entry = parse_entry(line, None, strict=False)
        return entry is not None and name_key(entry.name).split()[-1] in self.labelled

    def _place_or_host(self, text: str) -> bool:
        """Take a short institution name as host, or a place as location."""
        facts = self.facts
        if len(text.split()) > 7 or re.search(r"[:?\u2013\u2014]", text):
            return False
        if facts.title is None and format_of(text):  # "Department Press Briefing"
            return False
        if INSTITUTION.search(text):
            facts.host = facts.host or display_name(text)
        elif _PLACE.search(text):
            place = display_name(text)
            facts.location = f"{facts.location}, {place}" if facts.location else place
        else:
            return False
        return True

    def _title(self, line: str) -> None:
        """Take the first free line as the title, a line right after it as subtitle."""
        facts = self.facts
        if facts.title is None:
            facts.title = line[:MAX_TITLE]
        elif self.last == "title" and facts.title.endswith(":"):
            facts.title = f"{facts.title} {line}"[:MAX_TITLE]
        elif self.last == "title" and facts.subtitle is None:
            facts.subtitle = line[:MAX_TITLE]
        self.last = "title"
