"""SRT subtitles, read with the srt package: "Name:" prefixes become speakers."""

from __future__ import annotations

from pathlib import Path

import srt

from briefgen.importers.captions import CueLine, caption_turns
from briefgen.importers.common import ParsedTranscript, clean_cue_text, clock_from_seconds, fail


def parse_srt(text: str, path: Path) -> ParsedTranscript:
    """Parse SRT subtitles into turns, one line of subtitle text at a time."""
    try:
        subtitles = list(srt.parse(text))
    except (srt.SRTParseError, ValueError) as exc:
        reason = str(exc).strip().split("\n", 1)[0][:120]
        raise fail(path, f"not a valid SRT file ({reason})") from None
    lines = [
        CueLine(clock_from_seconds(int(sub.start.total_seconds())), None, clean_cue_text(line))
        for sub in subtitles
        for line in sub.content.split("\n")
    ]
    turns = caption_turns([line for line in lines if line.text])
    if not turns:
        raise fail(path, "no subtitle text found - not a transcript")
    return ParsedTranscript(turns, " ")
