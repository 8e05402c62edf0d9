"""Which transcript format a file is in."""

from __future__ import annotations

import re

FORMATS = ("auto", "text", "vtt", "srt")
_ALIASES = {"txt": "text", "webvtt": "vtt", "subrip": "srt"}
_SRT_TIMING = re.compile(r"^\d+:\d{2}:\d{2}[,.]\d{1,3}\s*-->\s*\d+:\d{2}:\d{2}[,.]\d{1,3}")


def format_name(name: str) -> str | None:
    """Return the canonical format name (auto, text, vtt, srt), or None if unknown."""
    folded = name.strip().lower()
    folded = _ALIASES.get(folded, folded)
    return folded if folded in FORMATS else None


def detect_format(text: str) -> str:
    """Detect vtt (a WEBVTT first line), srt (index and timing lines) or text."""
    lines = [line.strip() for line in text.split("\n") if line.strip()][:2]
    if not lines:
        return "text"
    if lines[0].startswith("WEBVTT"):
        return "vtt"
    if _SRT_TIMING.match(lines[0]):
        return "srt"
    if lines[0].isdigit() and len(lines) > 1 and _SRT_TIMING.match(lines[1]):
        return "srt"
    return "text"
