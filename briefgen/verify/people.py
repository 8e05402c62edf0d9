"""People across a workspace: placeholders an import left, and one id naming two people."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

from briefgen.errors import Diagnostic, Severity
from briefgen.source.loader import Document, Loc
from briefgen.source.model import Briefing
from briefgen.source.placeholders import PLACEHOLDERS
from briefgen.source.registry import RegisteredPerson

_HONORIFIC = re.compile(
    r"^(?:mr|mrs|ms|miss|dr|prof|professor|amb|ambassador|sen|senator|rep|gen|adm|hon|sir)\.?$"
)


def placeholder_diagnostics(document: Document, briefing: Briefing) -> Iterator[Diagnostic]:
    """Warn at every value an import left to replace ("Title to confirm", "Host to confirm")."""
    event = briefing.event
    fields: list[tuple[Loc, str]] = [
        (("event", "host"), event.host),
        (("event", "location"), event.location),
    ]
    for n, person in enumerate(briefing.speakers):
        fields += [(("speakers", n, "title"), person.title)]
        fields += [(("speakers", n, "affiliation"), person.affiliation)]
    for loc, value in fields:
        if value in PLACEHOLDERS:
            message = f"'{value}' is a placeholder the import left: replace it"
            yield document.diagnostic(loc, message, Severity.WARNING)


def _tokens(name: str) -> frozenset[str]:
    """Return a name's words, folded, without honorifics and initials."""
    words = re.split(r"[\s.\-]+", name.casefold())
    return frozenset(w for w in words if len(w) > 1 and not _HONORIFIC.match(w))


def same_person(one: str, other: str) -> bool:
    """Tell whether two names can be one person: one's words all among the other's."""
    a, b = _tokens(one), _tokens(other)
    return a <= b or b <= a


def shared_ids(sources: Sequence[tuple[Briefing, Document]]) -> list[Diagnostic]:
    """Warn where an id names different people in different sources (the site would merge them)."""
    first: dict[str, tuple[str, str]] = {}
    found = []
    for briefing, document in sources:
        for n, person in enumerate(briefing.speakers):
            seen = first.setdefault(person.id, (person.name, document.display))
            if same_person(seen[0], person.name):
                continue
            message = (
                f"'{person.id}' is {seen[0]} in {seen[1]} but {person.name} here; the site "
                "would show them as one person: give one of them another id"
            )
            loc = ("speakers", n, "id")
            found.append(document.diagnostic(loc, message, Severity.WARNING))
    return found


def registry_clashes(
    document: Document, briefing: Briefing, people: Mapping[str, RegisteredPerson]
) -> Iterator[Diagnostic]:
    """Warn where a speaker written out in full has the id of another person in people.yaml."""
    for n, speaker in enumerate(briefing.speakers):
        known = people.get(speaker.id)
        if speaker.person is not None or known is None:
            continue
        names = [known.name, *known.aliases]
        if not any(same_person(name, speaker.name) for name in names):
            message = (
                f"'{speaker.id}' is {known.name} in people.yaml but {speaker.name} here; the "
                "site would show them as one person: give this speaker another id"
            )
            yield document.diagnostic(("speakers", n, "id"), message, Severity.WARNING)
