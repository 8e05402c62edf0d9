"""Speakers: turn labels matched to the participants list, with unique ids."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from briefgen.importers.common import Participant, SpeakerLabel, slugify
from briefgen.importers.labels import display_name, is_cjk, name_key
from briefgen.source.placeholders import (
    AFFILIATION_TO_CONFIRM,
    SPEAKER_TO_IDENTIFY,
    TITLE_TO_CONFIRM,
)
from briefgen.verify.people import same_person

_TITLES = {"generic": "Audience member", "unknown": SPEAKER_TO_IDENTIFY}
MAX_TEXT = 2_000


@dataclass
class _Person:
    """A speaker being assembled from the participants list and labels."""

    name: str
    kind: str = "person"
    title: str | None = None
    affiliation: str | None = None
    role: str | None = None
    native_name: str | None = None

    def record(self, speaker_id: str) -> dict[str, Any]:
        """Return the speaker entry of the source format."""
        entry: dict[str, Any] = {"id": speaker_id, "name": self.name[:MAX_TEXT]}
        if self.native_name:
            entry["native_name"] = self.native_name[:MAX_TEXT]
        entry["title"] = (self.title or TITLE_TO_CONFIRM)[:MAX_TEXT]
        entry["affiliation"] = (self.affiliation or AFFILIATION_TO_CONFIRM)[:MAX_TEXT]
        entry["present"] = True
        return entry


class SpeakerBook:
    """Everyone who speaks: listed participants first, then others as they appear."""

    def __init__(self, participants: list[Participant]) -> None:
        self.people = [
            _Person(
                p.name, "person", p.title, p.affiliation, p.role, p.native_name or _native(p.name)
            )
            for p in participants
        ]

    def resolve(self, label: SpeakerLabel) -> int:
        """Return the index of the person a label names, adding them if new."""
        index = self._match(label)
        if index is None:
            self.people.append(_new_person(label))
            return len(self.people) - 1
        person = self.people[index]
        if person.kind == "person" and len(person.name.split()) < len(label.name.split()):
            person.name = display_name(label.name)
        return index

    def _match(self, label: SpeakerLabel) -> int | None:
        """Find the person a label names, by full name, surname or role."""
        if label.kind == "role":
            holders = [i for i, p in enumerate(self.people) if p.role == label.name]
            if len(holders) == 1:
                return holders[0]
        if label.kind != "person":
            key = name_key(label.name)
            same = (i for i, p in enumerate(self.people) if p.kind == label.kind)
            return next((i for i in same if name_key(self.people[i].name) == key), None)
        return self._match_name(name_key(label.name))

    def _match_name(self, key: str) -> int | None:
        """Match a folded name to one person: whole name, then surname, then given name."""
        people = [(i, p) for i, p in enumerate(self.people) if p.kind == "person"]
        for i, person in people:
            if key in (name_key(person.name), name_key(person.native_name or "")):
                return i
        words = key.split()
        for position in (-1, 0):
            found = [i for i, p in people if _shares(words, name_key(p.name).split(), position)]
            if len(found) == 1:
                return found[0]
        return None

    def kind(self, index: int) -> str:
        """Return what kind of speaker a person is (person, generic, role, unknown)."""
        return self.people[index].kind

    def records(self, taken: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
        """Return the speaker entries, with ids unique and derived from names.

        ``taken``: the ids other sources of the workspace use, and whom they name. An id
        naming someone else there is not reused (the site would merge the two).
        """
        ids = speaker_ids([p.name for p in self.people], taken or {})
        return [p.record(i) for p, i in zip(self.people, ids, strict=True)]


def _shares(label: list[str], person: list[str], position: int) -> bool:
    """Return whether a label and a name agree on the word at this end (surname/given)."""
    if not label or not person:
        return False
    if len(label) == 1 or len(person) == 1:
        short, full = (label, person) if len(label) <= len(person) else (person, label)
        return short[0] == full[position]
    return label[-1] == person[-1] and label[0][0] == person[0][0] and position == -1


def _native(name: str) -> str | None:
    """Return the name itself as its native form when written in CJK script."""
    return name if is_cjk(name) else None


def _new_person(label: SpeakerLabel) -> _Person:
    """Make a speaker for a label no listed participant answers to."""
    if label.kind == "person":
        return _Person(display_name(label.name), native_name=_native(label.name))
    title = label.name if label.kind == "role" else _TITLES[label.kind]
    return _Person(label.name, label.kind, title=title, role=label.name)


def speaker_ids(names: list[str], elsewhere: Mapping[str, str] | None = None) -> list[str]:
    """Derive unique ids from names ("Marc Knapper" -> marc-knapper; non-Latin -> speaker-N).

    An id that ``elsewhere`` (other sources: id -> name) gives to a different person is
    skipped; one it gives to the same person is kept, so the site links the two events.
    """
    others = elsewhere or {}
    taken: set[str] = set()
    ids: list[str] = []
    unnamed = 0
    for name in names:
        base = slugify(name)
        if not base:
            unnamed += 1
            base = f"speaker-{unnamed}"
        speaker_id, n = base, 2
        while speaker_id in taken or _someone_else(others.get(speaker_id), name):
            speaker_id, n = f"{base}-{n}", n + 1
        taken.add(speaker_id)
        ids.append(speaker_id)
    return ids


def _someone_else(known: str | None, name: str) -> bool:
    """Tell whether an id's holder elsewhere may be another person than ``name``.

    A surname alone ("DR. MOON:") cannot tell Moon Chung-in from Moon Jae-in: only a
    full name that agrees keeps the id.
    """
    if known is None or name_key(known) == name_key(name):
        return False
    return len(name.split()) < 2 or not same_person(known, name)
