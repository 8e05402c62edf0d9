"""The people registry: ``people.yaml`` at the workspace root, each person once (after Popolo).

A person has a name, other names, a biography, links, and memberships: the titles they
held at organisations, from and to a date. A source's speaker may then say only
``person: knapper`` (with ``side`` and ``present``): the name, aliases and the title and
affiliation held on the event's date come from here. A title written in the source
still wins; ``check`` warns when it disagrees with the registry for that date.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import Field

from briefgen.errors import Diagnostic, Severity, SourceError
from briefgen.paths import display_path
from briefgen.source.loader import Document, Loc, load_yaml
from briefgen.source.model import Date, Id, Markdown, Strict, Text, Url
from briefgen.source.placeholders import AFFILIATION_TO_CONFIRM, TITLE_TO_CONFIRM
from briefgen.source.schema import did_you_mean, validate_document

PEOPLE_FILE = "people.yaml"


class Membership(Strict):
    """A title a person held at an organisation, from ``start`` to ``end`` (open if absent)."""

    organisation: Text
    title: Text
    start: Date | None = None
    end: Date | None = None

    def holds_on(self, day: dt.date) -> bool:
        """Tell whether the membership was held on ``day``."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


class RegisteredPerson(Strict):
    """One person across every event: names, biography, links, and memberships over time."""

    id: Id
    name: Text
    native_name: Text | None = Field(None, description="Name in its own script.")
    aliases: list[Text] = Field(default_factory=list)
    bio: Markdown | None = None
    links: list[Url] = Field(default_factory=list)
    memberships: list[Membership] = Field(default_factory=list)

    def held_on(self, day: dt.date) -> Membership | None:
        """Return the membership held on ``day`` (the latest begun, if several are)."""
        held = [m for m in self.memberships if m.holds_on(day)]
        return max(held, key=lambda m: m.start or dt.date.min, default=None)


class People(Strict):
    """The workspace's people registry."""

    people: list[RegisteredPerson] = Field(default_factory=list)


@dataclass(frozen=True)
class Registry:
    """The registry as loaded: each person by id, the file's document and its problems."""

    path: Path | None = None
    people: Mapping[str, RegisteredPerson] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def broken(self) -> bool:
        """Tell whether the registry has errors (sources cannot take people from it)."""
        return any(d.severity is Severity.ERROR for d in self.diagnostics)


_loaded: dict[Path, tuple[tuple[int, int], Registry]] = {}


def registry_of(root: Path) -> Registry:
    """Return the workspace's registry (empty without people.yaml); read again when it changes."""
    path = root / PEOPLE_FILE
    try:
        info = path.stat()
    except OSError:
        return Registry()
    stamp = (info.st_mtime_ns, info.st_size)
    known = _loaded.get(path)
    if known is not None and known[0] == stamp:
        return known[1]
    registry = load_registry(path)
    _loaded[path] = (stamp, registry)
    return registry


def load_registry(path: Path) -> Registry:
    """Load and check people.yaml: every problem located, none raised."""
    display = display_path(path)
    try:
        document = load_yaml(path, display)
    except SourceError as exc:
        return Registry(path, {}, tuple(exc.diagnostics))
    if document.data is None:
        return Registry(path)
    people, problems = validate_document(document, People)
    if people is None:
        return Registry(path, {}, tuple(problems))
    problems = list(registry_problems(document, people))
    by_id: dict[str, RegisteredPerson] = {}
    for person in people.people:
        by_id.setdefault(person.id, person)
    return Registry(path, by_id, tuple(sorted(problems)))


def registry_problems(document: Document, people: People) -> Iterator[Diagnostic]:
    """Find what the schema cannot: an id twice, memberships backwards or overlapping."""
    first: dict[str, int] = {}
    for n, person in enumerate(people.people):
        seen = first.setdefault(person.id, n)
        if seen != n:
            name = people.people[seen].name
            message = f"'{person.id}' is already people[{seen}] ({name}); one id is one person"
            yield document.diagnostic(("people", n, "id"), message)
        yield from membership_problems(document, n, person.memberships)


def membership_problems(
    document: Document, n: int, memberships: Sequence[Membership]
) -> Iterator[Diagnostic]:
    """Report memberships that end before they start, and those that overlap at one organisation."""
    for m, membership in enumerate(memberships):
        loc: Loc = ("people", n, "memberships", m)
        if membership.start and membership.end and membership.end < membership.start:
            yield document.diagnostic((*loc, "end"), "the membership ends before it starts")
            continue
        for k, other in enumerate(memberships[:m]):
            if other.organisation.casefold() == membership.organisation.casefold() and _overlap(
                membership, other
            ):
                message = (
                    f"overlaps memberships[{k}] at {other.organisation} ({other.title}); "
                    "give the earlier one an end before this one starts"
                )
                yield document.diagnostic(loc, message, Severity.WARNING)


def _overlap(one: Membership, other: Membership) -> bool:
    """Tell whether two memberships share a day."""
    start = max(one.start or dt.date.min, other.start or dt.date.min)
    end = min(one.end or dt.date.max, other.end or dt.date.max)
    return start <= end


def resolve_speakers(document: Document, registry: Registry) -> list[Diagnostic]:
    """Fill each ``person:`` speaker of a parsed source from the registry, before validation.

    Name, native name, aliases and biography come from the registry unless the source
    gives them; the title and affiliation from the membership held on the event's date.
    Return the problems: an unknown person, no title known for the date, and (warnings) a
    title or affiliation the source gives that the registry has otherwise on that date.
    """
    data = document.data
    if not isinstance(data, dict) or not isinstance(data.get("speakers"), list):
        return []
    day = _event_date(data)
    found: list[Diagnostic] = []
    for n, speaker in enumerate(data["speakers"]):
        if isinstance(speaker, dict) and isinstance(speaker.get("person"), str):
            found += _resolve(document, n, speaker, registry, day)
    return found


def _resolve(
    document: Document, n: int, speaker: dict[str, Any], registry: Registry, day: dt.date | None
) -> list[Diagnostic]:
    """Fill one speaker from the registry person it names; return its problems."""
    ident = speaker["person"]
    loc: Loc = ("speakers", n, "person")
    person = registry.people.get(ident)
    if person is None:
        # the error below says what is wrong: no echoes of it (a missing name, or the
        # source's other mentions of the id it meant) as further errors
        close = difflib.get_close_matches(ident, list(registry.people), n=1, cutoff=0.6)
        speaker.setdefault("id", close[0] if close else ident)
        for key in ("name", "title", "affiliation"):
            speaker.setdefault(key, ident)
        if registry.broken:
            message = (
                f"{PEOPLE_FILE} has errors, so '{ident}' cannot be looked up (run briefgen check)"
            )
        elif registry.path is None:
            message = f"'{ident}' names a person in {PEOPLE_FILE}, and the workspace has none"
        else:
            message = f"no person '{ident}' in {PEOPLE_FILE}{did_you_mean(ident, registry.people)}"
        return [document.diagnostic(loc, message)]
    speaker.setdefault("id", person.id)
    speaker.setdefault("name", person.name)
    for key in ("native_name", "bio"):
        if getattr(person, key) is not None:
            speaker.setdefault(key, getattr(person, key))
    if person.aliases:
        speaker.setdefault("aliases", list(person.aliases))
    held = person.held_on(day) if day else None
    return _titles(document, n, speaker, person, held, day)


def _titles(
    document: Document,
    n: int,
    speaker: dict[str, Any],
    person: RegisteredPerson,
    held: Membership | None,
    day: dt.date | None,
) -> list[Diagnostic]:
    """Take the title held on the day unless the source gives one; warn where they differ."""
    found = []
    when = day.isoformat() if day else "the event's date"
    missing = []
    for key, known in (("title", held and held.title), ("affiliation", held and held.organisation)):
        given = speaker.get(key)
        if given is None and known:
            speaker[key] = known
        elif given is None:
            speaker[key] = TITLE_TO_CONFIRM if key == "title" else AFFILIATION_TO_CONFIRM
            missing.append(key)
        elif known and str(given).strip() != known:
            message = (
                f"{PEOPLE_FILE} has {person.name}'s {key} on {when} as '{known}'; "
                f"this source's '{given}' is used"
            )
            found.append(document.diagnostic(("speakers", n, key), message, Severity.WARNING))
    if missing:
        message = (
            f"{PEOPLE_FILE} has no membership of {person.name} on {when}: give this speaker "
            f"a {' and '.join(missing)}, or add the membership"
        )
        found.insert(0, document.diagnostic(("speakers", n, "person"), message))
    return found


def _event_date(data: Mapping[str, Any]) -> dt.date | None:
    """Return the event's date as the source writes it, if it is one."""
    event = data.get("event")
    value = event.get("date") if isinstance(event, dict) else None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema of people.yaml."""
    schema = People.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "briefgen people registry"
    return schema
