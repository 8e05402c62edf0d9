"""The source skeleton: parsed transcript -> plain data in the source format, with TODOs."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.importers.common import ParsedTranscript
from briefgen.importers.header import format_of
from briefgen.importers.speakers import SpeakerBook
from briefgen.source.placeholders import HOST_TO_CONFIRM, LOCATION_TO_CONFIRM

DEFAULT_FORMAT = "seminar"
PLACEHOLDER_SIDE = {"id": "unassigned", "name": "Unassigned", "summary": ""}
# A merged turn stays well under the 50,000-character limit of a Markdown field.
MAX_TURN = 20_000


@dataclass
class Skeleton:
    """The data of a new source file and the notes its YAML should carry."""

    data: dict[str, Any]
    notes: dict[str, str] = field(default_factory=dict)
    title_found: bool = False


def build_skeleton(
    parsed: ParsedTranscript,
    path: Path,
    today: dt.date,
    taken: Mapping[str, str] | None = None,
) -> Skeleton:
    """Build the source data for a parsed transcript (``taken``: ids in use, see records)."""
    book = SpeakerBook(parsed.facts.participants)
    spoken = [(book.resolve(turn.label), turn) for turn in parsed.turns]
    speakers = book.records(taken)
    turns = merge_turns(
        [
            (speakers[i]["id"], turn.text, turn.time, turn.labelled and book.kind(i) == "generic")
            for i, turn in spoken
        ],
        parsed.joiner,
    )
    event, notes = _event(parsed, path, today)
    data: dict[str, Any] = {
        "event": event,
        "sides": [dict(PLACEHOLDER_SIDE)],
        "speakers": speakers,
        "topics": [],
        "positions": [],
        "quotes": [],
        "sources": [_transcript_source(event, parsed.facts.date)],
        "transcript": turns,
    }
    return Skeleton(data, notes, parsed.facts.title is not None)


def _event(parsed: ParsedTranscript, path: Path, today: dt.date) -> tuple[dict[str, Any], dict]:
    """Return the event entry and notes on the values that were guessed."""
    facts = parsed.facts
    facts.format = facts.format or format_of(facts.title, facts.subtitle)
    notes: dict[str, str] = {}
    if facts.title is None:
        notes["title"] = "no title in the transcript; made from the file name"
    if facts.date is None:
        notes["date"] = "no date in the transcript; today's date used"
    if facts.format is None:
        notes["format"] = "the kind of event (seminar, panel, hearing, ...)"
    event: dict[str, Any] = {"title": facts.title or title_from_path(path)}
    if facts.subtitle:
        event["subtitle"] = facts.subtitle
    event.update(
        date=facts.date or today,
        host=facts.host or HOST_TO_CONFIRM,
        location=facts.location or LOCATION_TO_CONFIRM,
        format=facts.format or DEFAULT_FORMAT,
        summary="",
    )
    return event, notes


def _transcript_source(event: dict[str, Any], date: dt.date | None) -> dict[str, Any]:
    """Return the sources entry for the transcript itself."""
    source: dict[str, Any] = {
        "id": "transcript",
        "kind": "transcript",
        "title": f"Transcript: {event['title']}",
        "publisher": event["host"],
    }
    if date is not None:
        source["date"] = date
    return source


def title_from_path(path: Path) -> str:
    """Make a title from a file name ("korea_japan-seminar.txt" -> "Korea japan seminar")."""
    words = " ".join(re.split(r"[\s_\-.]+", path.stem)).strip()
    return (words[:1].upper() + words[1:]) if words else "Imported transcript"


def merge_turns(
    items: list[tuple[str, str, str | None, bool]], joiner: str
) -> list[dict[str, Any]]:
    """Merge consecutive turns of one speaker, unless marked separate; keep the first time.

    Two questions from the floor, each after its own label, are two people's.
    """
    turns: list[dict[str, Any]] = []
    for speaker, text, time, separate in items:
        for n, piece in enumerate(_pieces(text)):
            last = turns[-1] if turns else None
            fits = last is not None and len(last["text"]) + len(piece) < MAX_TURN
            if last and last["speaker"] == speaker and fits and not (separate and n == 0):
                last["text"] += joiner + piece
                continue
            turn: dict[str, Any] = {"speaker": speaker}
            if time is not None:
                turn["time"] = time
            turn["text"] = piece
            turns.append(turn)
    return turns


def _pieces(text: str) -> list[str]:
    """Cut an overlong text at spaces into pieces that fit one turn."""
    pieces: list[str] = []
    while len(text) > MAX_TURN:
        cut = text.rfind(" ", 0, MAX_TURN)
        cut = cut if cut > 0 else MAX_TURN
        pieces.append(text[:cut].strip())
        text = text[cut:].strip()
    return [*pieces, text] if text else pieces
