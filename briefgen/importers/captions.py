"""Caption cues (WebVTT, SRT) to turns: voices, "Name:" prefixes, unlabelled continuations."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from briefgen.importers.common import UNIDENTIFIED, RawTurn, SpeakerLabel
from briefgen.importers.labels import confirmed, find_label, label_for_name, plausible, roster_keys


@dataclass(frozen=True)
class CueLine:
    """One line of caption text with its cue's start time and voice, if tagged."""

    time: str | None
    voice: str | None
    text: str


def caption_turns(lines: list[CueLine]) -> list[RawTurn]:
    """Give each caption line a speaker; an unlabelled line continues the last one."""
    candidates = [None if line.voice else find_label(line.text) for line in lines]
    counts = Counter(c.surname for c in candidates if c)
    voices = roster_keys([label_for_name(line.voice).name for line in lines if line.voice])
    current: SpeakerLabel | None = None
    turns: list[RawTurn] = []
    for line, candidate in zip(lines, candidates, strict=True):
        label, text = current or UNIDENTIFIED, line.text
        if line.voice:
            label = label_for_name(line.voice)
        elif candidate and (
            confirmed(candidate, voices, counts[candidate.surname]) or plausible(candidate, False)
        ):
            label, text = candidate.label, candidate.rest
        current = label
        if text:
            turns.append(RawTurn(label, text, line.time))
    return turns
