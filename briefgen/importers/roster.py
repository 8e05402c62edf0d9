"""Participant lists in transcript headers: "NAME, Title, Affiliation" and its variants."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefgen.importers.common import Participant, squash
from briefgen.importers.labels import display_name, has_cjk, is_cjk, is_name, strip_honorifics

INSTITUTION = re.compile(
    r"\b(?:foundation|institution|institute|center|centre|council|endowment|society|"
    r"association|forum|university|college|school|program|programme|department|ministry|"
    r"embassy|agency|office|corporation|inc|ltd|llc|group|press|herald|times|news|post|"
    r"journal|chamber|commission|committee|congress|parliament|assembly|bank|fund|trust|"
    r"academy|initiative|project|network|alliance|federation|league|laborator(?:y|ies)|"
    r"CSIS|RAND|AEI|CFR|KEI|CNAS|IISS|RUSI|NBR)\b",
    re.IGNORECASE,
)
ROLE_WORDS = {
    "moderator": "Moderator",
    "chair": "Chair",
    "host": "Host",
    "presider": "Moderator",
    "discussant": "Discussant",
    "keynote": "Keynote speaker",
    "keynote speaker": "Keynote speaker",
}
_ENTRY = re.compile(
    r"^(?P<name>[^,|\u2013\u2014]+?)(?P<sep>\s+[-\u2013\u2014]\s+|\s*[\u2013\u2014|]\s*|,\s*)"
    r"(?P<rest>\S.*)$"
)
# "Department Spokesperson" is a title, though "Department" names institutions.
_TITLE_END = re.compile(
    r"\b(?:spokes(?:person|man|woman)|secretary|director|fellow|president|chair(?:man|woman)?|"
    r"officer|adviser|advisor|counsel|minister|ambassador|professor|editor|correspondent|"
    r"reporter|analyst|manager|head|chief|member|representative|envoy|coordinator)$",
    re.IGNORECASE,
)
_NOTE = re.compile(r"\(([^)]*)\)")
_SUFFIX = re.compile(r"^(?:Jr|Sr|II|III|IV)\.?(?:,\s*|$)")


@dataclass
class Draft:
    """A participant being read, possibly over several lines."""

    name: str
    role: str | None
    native_name: str | None = None
    details: list[str] = field(default_factory=list)
    inline: bool = False

    def finish(self) -> Participant:
        """Turn the collected detail lines into title and affiliation."""
        details = [d.strip(" ,;") for d in self.details if d.strip(" ,;")]
        if len(details) == 1:
            title, affiliation = split_details(details[0])
        else:
            title = details[0] if details else None
            affiliation = ", ".join(details[1:]) or None
        name = display_name(self.name)
        return Participant(name, title or self.role, affiliation, self.role, self.native_name)


def parse_entry(line: str, role: str | None, strict: bool) -> Draft | None:
    """Read a one-line entry such as "MARC KNAPPER, Deputy ..., U.S. Department of State".

    Strict reading (outside a participants section) wants a capitalised name before a
    mixed-case title, or a dash between name and title, so that titles are not misread.
    """
    match = _ENTRY.match(squash(line))
    if not match:
        return None
    draft = name_draft(match["name"], role)
    rest, extra_role = _role_note(_suffix(draft, match["rest"]) if draft else "")
    if draft is None or not rest:
        return None
    dashed = match["sep"].strip() not in ("", ",")
    if strict and not (dashed or (draft.name.isupper() and any(c.islower() for c in rest))):
        return None
    draft.role = extra_role or draft.role
    draft.details, draft.inline = [rest], True
    return draft


def name_draft(text: str, role: str | None) -> Draft | None:
    """Read a name, perhaps with honorific and a note in brackets ("(Moderator)", "(김소현)")."""
    notes = [squash(n) for n in _NOTE.findall(text)]
    tokens, _ = strip_honorifics(squash(_NOTE.sub(" ", text)).rstrip(".;, ").split())
    name = " ".join(tokens)
    if not is_name(name) or INSTITUTION.search(name):  # "The Lantern Institution" is no one
        return None
    draft = Draft(name, role)
    for note in notes:
        _apply_note(draft, note)
    return draft


def _apply_note(draft: Draft, note: str) -> None:
    """Use a bracketed note as a role or as the name in the other script."""
    if note.lower() in ROLE_WORDS:
        draft.role = ROLE_WORDS[note.lower()]
    elif is_cjk(draft.name) and is_name(note) and not has_cjk(note):
        draft.native_name, draft.name = draft.name, note
    elif is_cjk(note) and not has_cjk(draft.name):
        draft.native_name = note


def _suffix(draft: Draft, rest: str) -> str:
    """Move a name suffix ("Jr.") from the details back onto the name."""
    match = _SUFFIX.match(rest)
    if match:
        draft.name = f"{draft.name} {match[0].strip(' ,')}"
        return rest[match.end() :]
    return rest


def _role_note(rest: str) -> tuple[str, str | None]:
    """Take a trailing "(Moderator)" off the details."""
    for note in _NOTE.findall(rest):
        if note.strip().lower() in ROLE_WORDS:
            rest = rest.replace(f"({note})", " ")
            return squash(rest).strip(" ,;"), ROLE_WORDS[note.strip().lower()]
    return rest.strip(" ,;"), None


def split_details(text: str) -> tuple[str | None, str | None]:
    """Split "Senior Fellow, Council on Foreign Relations" into title and affiliation."""
    text = text.strip(" ,;")
    if ", " in text:
        title, affiliation = text.rsplit(", ", 1)
        return title.strip(" ,;"), affiliation
    if " at " in text:
        title, affiliation = text.split(" at ", 1)
        return title.strip(), re.sub(r"^the\s+", "", affiliation.strip(), flags=re.IGNORECASE)
    if INSTITUTION.search(text) and not _TITLE_END.search(text):
        return None, text
    return text, None


class RosterReader:
    """Reads the lines of a participants section into participants."""

    def __init__(self) -> None:
        self.participants: list[Participant] = []
        self.role: str | None = None
        self._draft: Draft | None = None

    def heading(self, role: str | None) -> None:
        """Start a section of people with this role ("Moderator", or None for panelists)."""
        self.end_group()
        self.role = role

    def entries(self, text: str) -> bool:
        """Read a heading's value ("Moderator: Scott Snyder, CFR"); report if it held any."""
        parts = [p for p in re.split(r"\s*;\s*", text) if p.strip()]
        drafts = [
            parse_entry(p, self.role, strict=False) or name_draft(p, self.role) for p in parts
        ]
        found = [d for d in drafts if d is not None]
        if not found or len(found) < len(drafts):
            return False
        for draft in found:
            self._start(draft)
        self.end_group()
        return True

    def line(self, line: str) -> None:
        """Read one line of the section."""
        draft = self._draft
        wrapped = line[:1].islower()
        if draft and draft.details and (draft.details[-1].endswith(",") or wrapped):
            draft.details[-1] += " " + line  # a title line the PDF wrapped ("to the United States")
            return
        entry = parse_entry(line, self.role, strict=False)
        bare = None if entry else name_draft(line, self.role)
        if entry:
            self._start(entry)
        elif bare and self._starts_person(line):
            self._start(bare)
        elif draft:
            draft.details.append(line)

    def _starts_person(self, line: str) -> bool:
        """Return whether a name-like line is a new person rather than a title line."""
        draft = self._draft
        return draft is None or draft.inline or len(draft.details) >= 2 or line.isupper()

    def _start(self, draft: Draft) -> None:
        """Finish the person being read and begin another."""
        self.end_group()
        self._draft = draft

    def end_group(self) -> None:
        """Finish the person being read (a blank line or heading ends them)."""
        if self._draft is not None:
            self._add(self._draft.finish())
            self._draft = None

    def _add(self, person: Participant) -> None:
        """Add a participant unless the same name is already listed."""
        if all(p.name.casefold() != person.name.casefold() for p in self.participants):
            self.participants.append(person)
