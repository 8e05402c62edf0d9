"""Speakers who name themselves: a reporter ("QUESTION: Said Arikat, Al Quds."), "Speaker 1"."""

from __future__ import annotations

import re
from dataclasses import replace

from briefgen.importers.common import Participant, RawTurn, SpeakerLabel
from briefgen.importers.labels import name_key

REPORTER = "Reporter"
_OPENING = r"(?:(?:hi|hello|yes|thanks|thank\s+you|sure|okay|ok)[,.!]?\s+)*"
_NAME = r"(?P<name>[A-Z][\w'\u2019\-]+(?:\s+[A-Z][\w'\u2019\-]+){1,3})"
# "Said Arikat, Al Quds." / "Said Arikat from Al Quds." / "This is Said Arikat with Al Quds."
_INTRODUCED = re.compile(
    rf"^{_OPENING}(?:(?:this\s+is|it's|i'm|i\s+am)\s+)?{_NAME}"
    r"(?:,\s*|\s+(?:from|with|of)\s+)(?P<outlet>[A-Z][^.?!;:]{1,60}?)[.?!;:]\s+",
    re.IGNORECASE,
)
_OPENERS = frozenset(
    [
        "this",
        "it",
        "i",
        "we",
        "you",
        "thank",
        "thanks",
        "hi",
        "hello",
        "yes",
        "so",
        "well",
        "and",
        "but",
        "the",
        "a",
    ]
)
_SELF = re.compile(
    r"\b(?:I\s+am|I'm|I\u2019m|my\s+name\s+is|this\s+is)\s+"
    r"(?P<name>[A-Z][\w'\u2019\-]+(?:\s+[A-Z][\w'\u2019\-]+){1,2})(?=[.,;!?]|\s+(?:and|from|with|of)\b)"
)
# "Said Arikat again." / "Said again."
_AGAIN = re.compile(rf"^{_OPENING}{_NAME}\s+again[.,!]\s*", re.IGNORECASE)


def named_reporters(turns: list[RawTurn]) -> tuple[list[RawTurn], list[Participant]]:
    """Give a questioner's turn to the reporter it names; return turns and those reporters."""
    known: dict[str, Participant] = {}
    result: list[RawTurn] = []
    for turn in turns:
        person = _introduced(turn.text, known) if turn.label.kind == "generic" else None
        if person is None:
            result.append(turn)
            continue
        known.setdefault(name_key(person.name), person)
        result.append(replace(turn, label=SpeakerLabel(person.name)))
    return result, list(known.values())


def _introduced(text: str, known: dict[str, Participant]) -> Participant | None:
    """Return the reporter a question opens by naming, if it does."""
    match = _INTRODUCED.match(text)
    if match and _person_like(match["name"]):
        outlet = " ".join(match["outlet"].split())
        return known.get(name_key(match["name"])) or Participant(match["name"], REPORTER, outlet)
    again = _AGAIN.match(text)
    if again:
        return known.get(name_key(again["name"]))
    return None


def _person_like(name: str) -> bool:
    """Return whether words read as a person's name: capitalised, not a sentence's opening.

    Not ``is_name``: a name such as "Said Arikat" has a word that also opens prose.
    """
    words = name.split()
    capitalised = all(word[:1].isupper() for word in words)
    return 2 <= len(words) <= 4 and capitalised and words[0].lower() not in _OPENERS


def introduced_speakers(turns: list[RawTurn]) -> list[RawTurn]:
    """Give a numbered speaker's turns the name they introduce themself by ("I am Dana Lee")."""
    names: dict[str, str] = {}
    for turn in turns:
        if turn.label.kind == "unknown" and turn.label.name not in names:
            found = _SELF.search(turn.text)
            if found and _person_like(found["name"]):
                names[turn.label.name] = found["name"]
    return [
        replace(turn, label=SpeakerLabel(names[turn.label.name]))
        if turn.label.kind == "unknown" and turn.label.name in names
        else turn
        for turn in turns
    ]
