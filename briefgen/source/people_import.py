"""A first people.yaml, built from the workspace's sources: one entry per speaker id.

Each person takes the name and native name of the newest event that gives them (not its
biography: a source's describes the person at that event), the other names as aliases,
and a membership per run of events with one title at one organisation: from the first of
those events to the last, the newest left open. The staffer then corrects the dates (an
event shows a title was held, not when it began).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from briefgen.errors import UsageError
from briefgen.paths import display_path
from briefgen.source.model import Briefing, Speaker
from briefgen.source.placeholders import PLACEHOLDERS
from briefgen.source.registry import PEOPLE_FILE

HEADER = """\
# The workspace's people: each once, with the titles held over time (briefgen people import).
# A source's speaker may now say only `person: <id>` (with side and present): the name and
# the title held on the event's date come from here. The dates below are those of the
# events that showed each title: correct them to when the title was taken up and left.
"""


def people_data(briefings: Sequence[Briefing]) -> dict[str, Any]:
    """Return the registry the briefings' speakers make, as people.yaml's data."""
    dated = sorted(briefings, key=lambda b: b.event.date)
    seen: dict[str, list[tuple[dt.date, Speaker]]] = {}
    for briefing in dated:
        for speaker in briefing.speakers:
            seen.setdefault(speaker.id, []).append((briefing.event.date, speaker))
    return {"people": [_person(ident, seen[ident]) for ident in sorted(seen)]}


def _person(ident: str, appearances: list[tuple[dt.date, Speaker]]) -> dict[str, Any]:
    """Describe one person from their appearances, oldest first."""
    newest = appearances[-1][1]
    entry: dict[str, Any] = {"id": ident, "name": newest.name}
    native = next((s.native_name for _, s in reversed(appearances) if s.native_name), None)
    if native:
        entry["native_name"] = native
    names = [s.name for _, s in appearances] + [a for _, s in appearances for a in s.aliases]
    aliases = [n for n in dict.fromkeys(names) if n != newest.name]
    if aliases:
        entry["aliases"] = aliases
    entry["memberships"] = _memberships(appearances)
    return entry


def _memberships(appearances: list[tuple[dt.date, Speaker]]) -> list[dict[str, Any]]:
    """Return a membership per run of events with one title at one organisation."""
    runs: list[dict[str, Any]] = []
    for day, speaker in appearances:
        if speaker.title in PLACEHOLDERS or speaker.affiliation in PLACEHOLDERS:
            continue  # an import's placeholder is not a title anyone held
        held = {"organisation": speaker.affiliation, "title": speaker.title}
        if runs and {k: runs[-1][k] for k in held} == held:
            runs[-1]["end"] = day
        else:
            runs.append({**held, "start": day, "end": day})
    if runs:
        del runs[-1]["end"]  # the newest title may still be held
    return runs


class _Dumper(yaml.SafeDumper):
    """Write every value in place: a date shared by two memberships is no YAML anchor."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def write_people(root: Path, briefings: Sequence[Briefing]) -> tuple[Path, int]:
    """Write root/people.yaml from the briefings, never over one; return it and how many."""
    path = root / PEOPLE_FILE
    data = people_data(briefings)
    text = HEADER + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    try:
        with path.open("x", encoding="utf-8") as stream:
            stream.write(text)
    except FileExistsError:
        raise UsageError(
            f"{display_path(path)} exists; people import never overwrites it "
            "(move it away to build a new one)"
        ) from None
    return path, len(data["people"])
