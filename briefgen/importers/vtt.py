"""WebVTT captions, read with webvtt-py: voice tags or "Name:" prefixes become speakers."""

from __future__ import annotations

import re
from pathlib import Path

import webvtt

from briefgen.importers.captions import CueLine, caption_turns
from briefgen.importers.common import (
    EventFacts,
    ParsedTranscript,
    clean_cue_text,
    clock,
    fail,
    squash,
)
from briefgen.importers.dates import find_date
from briefgen.importers.header import MAX_TITLE, header_key

_VOICE = re.compile(r"<v(?:\.[\w-]+)*(?:\s(?P<name>[^<>]*))?>|</v\s*>")
_NOTE = re.compile(r"^NOTE(?:[ \t]+(?P<inline>[^\n]*))?\n(?P<body>(?:[^\n]+\n?)*)", re.MULTILINE)


def parse_vtt(text: str, path: Path) -> ParsedTranscript:
    """Parse WebVTT captions into turns, one line of cue text at a time."""
    body = text.lstrip("\n ")
    if not body.startswith("WEBVTT"):
        raise fail(path, "not a WebVTT file (its first line must be 'WEBVTT')")
    try:
        captions = webvtt.from_string(body)
    except Exception as exc:  # webvtt-py raises assorted errors on malformed input
        raise fail(path, f"cannot parse the WebVTT captions ({_first_line(exc)})") from None
    lines = [line for caption in captions.captions for line in _cue_lines(caption)]
    turns = caption_turns(lines)
    if not turns:
        raise fail(path, "no caption text found - not a transcript")
    return ParsedTranscript(turns, " ", _facts(captions, body))


def _first_line(exc: Exception) -> str:
    """Return the first line of an error message, shortened."""
    message = str(exc).strip().split("\n", 1)[0] or type(exc).__name__
    return message[:120]


def _cue_lines(caption: webvtt.Caption) -> list[CueLine]:
    """Split a cue into lines, each with the voice open at its start."""
    start = caption.start_time
    time = clock(start.hours, start.minutes, start.seconds)
    voice: str | None = None
    lines: list[CueLine] = []
    for raw in caption.raw_text.split("\n"):
        position = 0
        for match in _VOICE.finditer(raw):
            lines.append(CueLine(time, voice, clean_cue_text(raw[position : match.start()])))
            voice, position = _voice_name(match), match.end()
        lines.append(CueLine(time, voice, clean_cue_text(raw[position:])))
    return [line for line in lines if line.text]


def _voice_name(match: re.Match[str]) -> str | None:
    """Return the speaker a voice tag opens (None for a closing tag)."""
    if match["name"] is None:
        return None
    return squash(match["name"]) or None


def _notes(text: str) -> list[str]:
    """Return the NOTE blocks of a file (webvtt-py keeps only some of them)."""
    return [f"{m['inline'] or ''}\n{m['body']}".strip() for m in _NOTE.finditer(text)]


def _facts(captions: webvtt.WebVTT, text: str) -> EventFacts:
    """Read a title and date from the WEBVTT line, header metadata and NOTE blocks."""
    facts = EventFacts(title=squash(captions.header_text).strip("-:\u2013\u2014 ") or None)
    notes = [line for note in captions.header_comments for line in note.split("\n")]
    notes += [line for note in _notes(text) for line in note.split("\n")]
    for line in [*captions.metadata, *notes]:
        keyed = header_key(line.strip())
        if keyed and keyed[0] in ("title", "host", "location") and keyed[1]:
            setattr(facts, keyed[0], getattr(facts, keyed[0]) or keyed[1][:MAX_TITLE])
        found = find_date(line)
        facts.date = facts.date or (found.date if found else None)
    return facts
