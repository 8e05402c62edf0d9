"""Plain-text transcripts as think tanks publish them: a header block, then labelled turns."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from briefgen.importers.common import ParsedTranscript, RawTurn, SpeakerLabel, fail, squash
from briefgen.importers.header import is_header_line, read_header
from briefgen.importers.labels import (
    LabelCandidate,
    confirmed,
    find_label,
    plausible,
    roster_keys,
)
from briefgen.importers.layout import rewrite
from briefgen.importers.reporters import introduced_speakers, named_reporters

_END = re.compile(
    r"^[\s(\[#*\-\u2013\u2014]*(?:end(?:\s+of\s+(?:the\s+)?(?:transcript|event|recording|"
    r"proceedings|session))?|(?:whereupon|thereupon),?\s.{0,80}(?:adjourned|concluded)\.?|"
    r"(?:reporter's\s+|notary\s+)?certificate(?:\s+of\s+(?:notary\s+public|reporter|"
    r"transcriber))?)[\s.)\]#*\-\u2013\u2014]*$",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"^(?:[-_=~*#.\u2022\u00b7\u2013\u2014]\s*){3,}$")
_STAGE = re.compile(r"^[(\[][^()\[\]]{1,80}[)\]]\.?$")
_INLINE_STAGE = re.compile(
    r"\s*[(\[](?:applause|laughter|laughs|chuckles|crosstalk|cross-talk|cross talk|pause|"
    r"silence|music|break|recess|audio gap|no audio)[.!]?[)\]]",
    re.IGNORECASE,
)
# Past this many lines, the header is over even if no turn has been recognised yet.
_HEADER_SCAN = 400
NOT_A_TRANSCRIPT = (
    "no speaker turns found - not a transcript (expected paragraphs that start with a "
    "speaker label such as 'MR. KNAPPER:' or 'Marc Knapper:')"
)


def parse_text(text: str, path: Path) -> ParsedTranscript:
    """Parse a plain-text transcript into event facts and turns."""
    layout = rewrite(_before_end(text.split("\n")))
    lines = layout.lines
    candidates = [find_label(line) if line.strip() else None for line in lines]
    counts = Counter(c.surname for c in candidates if c)
    start = _first_turn(lines, candidates, counts)
    if start is None:
        raise fail(path, NOT_A_TRANSCRIPT)
    facts = read_header(lines[:start], frozenset(counts))
    names = [p.name for p in facts.participants]
    names += [p.native_name for p in facts.participants if p.native_name]
    builder = _TurnBuilder(roster_keys(names), bool(names), counts, layout.hearing)
    for line, candidate in zip(lines[start:], candidates[start:], strict=True):
        builder.feed(line, candidate)
    turns = builder.finish()
    if not turns:
        raise fail(path, NOT_A_TRANSCRIPT)
    turns, reporters = named_reporters(introduced_speakers(turns))
    facts.participants += [p for p in reporters if p.name not in names]
    return ParsedTranscript(turns, "\n\n", facts)


def _before_end(lines: list[str]) -> list[str]:
    """Drop an "(END)" marker and whatever follows it (credits, copyright)."""
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped and _END.match(stripped) and _clearly_end(stripped):
            return lines[:index]
    return lines


def _clearly_end(marker: str) -> bool:
    """Return whether an "end" line is a marker, not a one-word sentence ("End.")."""
    return marker.isupper() or marker[0] in "([-#*" or " of " in marker.lower()


def _first_turn(
    lines: list[str], candidates: list[LabelCandidate | None], counts: Counter[str]
) -> int | None:
    """Return the index of the line where the first speaker turn starts."""
    for index, (line, candidate) in enumerate(zip(lines, candidates, strict=True)):
        if candidate is None or is_header_line(line):
            continue
        count = counts[candidate.surname]
        if confirmed(candidate, frozenset(), count) or _listed(lines, index, candidate):
            return index
    return None


def _listed(lines: list[str], index: int, candidate: LabelCandidate) -> bool:
    """Return whether a label names someone in the participants list above it."""
    if index > _HEADER_SCAN:
        return False
    people = read_header(lines[:index]).participants
    return confirmed(candidate, roster_keys([p.name for p in people]), 0)


class _TurnBuilder:
    """Collects paragraphs into turns as lines arrive."""

    def __init__(
        self, roster: frozenset[str], has_roster: bool, counts: Counter[str], stages: bool
    ) -> None:
        self.roster, self.has_roster, self.counts = roster, has_roster, counts
        self.stages = stages  # keep bracketed notes ("[Recess.]") as stage directions
        self.turns: list[RawTurn] = []
        self.label: SpeakerLabel | None = None
        self.time: str | None = None
        self.paragraphs: list[str] = []
        self.lines: list[str] = []
        self.at_start = True

    def feed(self, line: str, candidate: LabelCandidate | None) -> None:
        """Read one line of the body."""
        text = squash(line)
        if text and self.stages and _STAGE.match(text) and self.label is not None:
            self._end_paragraph()
            self.paragraphs.append(f"*{text}*")  # a stage direction, shown in italics
            return
        if not text or _SEPARATOR.match(text) or _STAGE.match(text):
            self._end_paragraph()
            return
        if candidate and self._is_turn(candidate):
            self._end_turn()
            self.label, self.time = candidate.label, candidate.time
            text = squash(candidate.rest)
        elif self.at_start:
            self._end_paragraph()
        if text:
            self.lines.append(text)
        self.at_start = False

    def _is_turn(self, candidate: LabelCandidate) -> bool:
        """Decide whether a line's label starts a new turn."""
        if confirmed(candidate, self.roster, self.counts[candidate.surname]):
            return True
        return self.at_start and plausible(candidate, self.has_roster)

    def _end_paragraph(self) -> None:
        """Close the paragraph being read."""
        text = squash(_INLINE_STAGE.sub("", " ".join(self.lines)))
        if text:
            self.paragraphs.append(text)
        self.lines = []
        self.at_start = True

    def _end_turn(self) -> None:
        """Close the turn being read."""
        self._end_paragraph()
        if self.label is not None and self.paragraphs:
            text = "\n\n".join(self.paragraphs)
            self.turns.append(RawTurn(self.label, text, self.time, labelled=True))
        self.paragraphs = []

    def finish(self) -> list[RawTurn]:
        """Return every turn read."""
        self._end_turn()
        return self.turns
