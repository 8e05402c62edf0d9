"""The title page of a Congressional hearing: title, committee, room and who presided."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefgen.importers.common import EventFacts, Participant, squash
from briefgen.importers.labels import is_name, strip_honorifics

_HEARING = re.compile(r"^(?:joint\s+)?(?:hearing|markup|business\s+meeting)s?$", re.IGNORECASE)
_CONGRESS = re.compile(
    r"^(?:(?:one\s+hundred|[a-z]+)[\w\s-]*congress|(?:first|second)\s+session|"
    r"serial\s+no\.?.*|printed\s+for\s+the\s+use\s+of.*|u\.s\.\s+government.*)$",
    re.IGNORECASE,
)
_CHAMBER = re.compile(r"^(?:house\s+of\s+representatives|united\s+states\s+senate)$", re.IGNORECASE)
_MET = re.compile(r"\bmet,?\s+pursuant\s+to\b", re.IGNORECASE)
_ROOM = re.compile(
    r"\bin\s+(?:room\s+)?(?P<room>[\w\-]+)?,?\s*(?P<building>(?:[A-Z][\w.'\-]*\s+){1,5}"
    r"(?:Building|Hall|Center))",
)
_PRESIDING = re.compile(
    r"(?:Hon\.\s+)?(?P<name>[A-Z][\w.'\u2019\-]*(?:\s+[A-Z][\w.'\u2019\-]*){1,3})\s*,?\s*"
    r"\((?P<role>chair(?:man|woman|person)?|ranking\s+member)\s+of\s+the\s+(?P<body>[^)]{1,80})\)"
    r",?\s+presiding",
    re.IGNORECASE,
)
_SMALL = {"a", "an", "and", "the", "of", "on", "for", "in", "to", "at", "by", "with"}
_MAX_BLOCK = 8


@dataclass
class Hearing:
    """What a hearing's title page says, and the header lines it did not use."""

    rest: list[str]
    title: str | None = None
    host: str | None = None
    location: str | None = None
    chairs: list[Participant] = field(default_factory=list)

    def fill(self, facts: EventFacts) -> None:
        """Put the hearing's facts into the event's, before what the other lines said."""
        facts.title = self.title or facts.title
        facts.host = self.host or facts.host
        facts.location = self.location or facts.location
        facts.format = "hearing"
        known = {p.name.casefold() for p in facts.participants}
        facts.participants[:0] = [p for p in self.chairs if p.name.casefold() not in known]


def read_hearing(lines: list[str]) -> Hearing | None:
    """Read a hearing's title page from header lines; None if they are not one."""
    texts = [squash(line) for line in lines]
    marker = next((i for i, t in enumerate(texts) if _HEARING.match(t)), None)
    if marker is None:
        return None
    used = {marker}
    title_lines = [i for i in range(marker) if texts[i] and not _CONGRESS.match(texts[i])]
    used.update(range(marker))
    block = _committee_block(texts, marker)
    used.update(block)
    hearing = Hearing([], title=" ".join(texts[i] for i in title_lines)[:200] or None)
    hearing.host = _committee([texts[i] for i in block]) or None
    for index, text in enumerate(texts):
        if _MET.search(text) or _PRESIDING.search(text):
            used.add(index)
            hearing.location = hearing.location or _room(text)
            hearing.chairs += _chairs(text, hearing.host)
        elif _CONGRESS.match(text):
            used.add(index)
    hearing.rest = [line for i, line in enumerate(lines) if i not in used]
    return hearing


def _committee_block(texts: list[str], marker: int) -> list[int]:
    """Return the lines after HEARING that name the committee ("BEFORE THE ...")."""
    block: list[int] = []
    for index in range(marker + 1, min(len(texts), marker + 1 + _MAX_BLOCK)):
        text = texts[index]
        if not text:
            if block:
                break
            continue
        if not (text.upper() == text or text.lower().startswith(("before", "of the"))):
            break
        block.append(index)
    return block


def _committee(lines: list[str]) -> str:
    """Write the committee block as one name ("Subcommittee on ..., House of Representatives")."""
    parts: list[str] = []
    for line in lines:
        words = re.sub(r"^before\s+the\s*", "", line, flags=re.IGNORECASE).strip()
        if not words or _CONGRESS.match(words):
            continue
        if _CHAMBER.match(words) and parts:
            parts[-1] += ","
        parts.append(words)
    return _title_case(" ".join(parts))


def _title_case(text: str) -> str:
    """Capitalise a line in capitals as a name: small words lower-case but the first."""
    words = text.lower().split()
    return " ".join(
        w if (n and w in _SMALL) else w[:1].upper() + w[1:] for n, w in enumerate(words)
    )


def _room(text: str) -> str | None:
    """Return the room and building the "met, pursuant to notice" sentence gives."""
    match = _ROOM.search(text)
    if not match:
        return None
    building = " ".join(match["building"].split())
    return f"Room {match['room']}, {building}" if match["room"] else building


def _chairs(text: str, host: str | None) -> list[Participant]:
    """Return who presided, as the sentence names them, with their chair as title."""
    people = []
    for match in _PRESIDING.finditer(text):
        tokens, _ = strip_honorifics(match["name"].split())
        name = " ".join(tokens)
        if not is_name(name):
            continue
        role = "Chair" if match["role"].lower().startswith("chair") else "Ranking Member"
        body = " ".join(match["body"].split())
        title = role if body.lower() in ("committee", "subcommittee") else f"{role}, {body}"
        people.append(Participant(name, title, host, "Chair" if role == "Chair" else None))
    return people
