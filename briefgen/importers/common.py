"""Shared pieces of the transcript importers: reading files and the parsed shape."""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.errors import TranscriptImportError

# Characters YAML or readers treat as line breaks, and controls that are never text.
_BREAKS = re.compile(r"\r\n|\r|\u2028|\u2029|\x85")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f\ufeff]")
_TAG = re.compile(r"<[^<>\n]*>|\{\\[^{}\n]*\}")
# What captions say of sounds, not speech: [applause], (music), [sound of laughter], ♪.
_SOUND = re.compile(r"[\[(][^\[\]()\n]{1,40}[\])]|[\u266a\u266b]+")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Far beyond any seminar transcript; a bigger file is something else.
MAX_BYTES = 50_000_000


@dataclass(frozen=True)
class SpeakerLabel:
    """Who a turn belongs to, as the transcript names them."""

    name: str
    kind: str = "person"  # person, generic (audience), role (moderator...), unknown


UNIDENTIFIED = SpeakerLabel("Unidentified speaker", "unknown")


@dataclass(frozen=True)
class RawTurn:
    """One stretch of speech before speakers are resolved."""

    label: SpeakerLabel
    text: str
    time: str | None = None
    labelled: bool = False  # began at a label of its own: never merged with the turn before


@dataclass
class Participant:
    """A person listed in a transcript's header."""

    name: str
    title: str | None = None
    affiliation: str | None = None
    role: str | None = None
    native_name: str | None = None


@dataclass
class EventFacts:
    """What a transcript says about its event, where it says it."""

    title: str | None = None
    subtitle: str | None = None
    date: dt.date | None = None
    host: str | None = None
    location: str | None = None
    format: str | None = None
    participants: list[Participant] = field(default_factory=list)


@dataclass
class ParsedTranscript:
    """What a format parser found: event facts and turns, and how to join merged turns."""

    turns: list[RawTurn]
    joiner: str
    facts: EventFacts = field(default_factory=EventFacts)


def fail(path: Path, message: str) -> TranscriptImportError:
    """Return the one-line import error for this file."""
    return TranscriptImportError(f"{path}: {message}")


def read_transcript(path: Path) -> str:
    """Read a transcript as text: UTF-8 (BOM allowed) or UTF-16 with a BOM."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise fail(path, f"too large for a transcript (over {MAX_BYTES // 1_000_000} MB)")
        raw = path.read_bytes()
    except OSError as exc:
        raise fail(path, f"cannot read the file ({exc.strerror or exc})") from None
    if not raw:
        raise fail(path, "the file is empty")
    text = normalise_text(_decode(path, raw))
    if not text.strip():
        raise fail(path, "the file is empty (nothing but blank space)")
    return text


def _decode(path: Path, raw: bytes) -> str:
    """Decode bytes, refusing binary data and text that is not UTF-8."""
    if raw.startswith(_UTF16_BOMS):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise fail(path, "not a text file (broken UTF-16)") from None
    if b"\x00" in raw:
        raise fail(path, "binary file, not a text transcript")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(
            path, f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None


def normalise_text(text: str) -> str:
    """Unify line ends and drop control characters, keeping tabs as spaces."""
    text = _BREAKS.sub("\n", unicodedata.normalize("NFC", text))
    return _CONTROLS.sub("", text.replace("\t", " "))


def clean_cue_text(text: str) -> str:
    """Strip caption markup (tags, timestamps, entities, sound cues) and collapse spaces."""
    return squash(_SOUND.sub(" ", html.unescape(_TAG.sub("", text))))


def squash(text: str) -> str:
    """Collapse runs of spaces and trim."""
    return _SPACES.sub(" ", text).strip()


def clock(hours: int, minutes: int, seconds: int) -> str | None:
    """Write a time into the recording as HH:MM:SS (None past 99 hours)."""
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}" if hours < 100 else None


def clock_from_seconds(total: int) -> str | None:
    """Write a number of seconds as HH:MM:SS."""
    minutes, seconds = divmod(max(total, 0), 60)
    hours, minutes = divmod(minutes, 60)
    return clock(hours, minutes, seconds)


def slugify(text: str, limit: int = 60) -> str:
    """Return a lower-case ASCII slug of text ("" if it has no Latin letters or digits)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", re.sub(r"['\u2019]", "", folded.lower())).strip("-")
    if len(slug) <= limit:
        return slug
    cut = slug[: limit + 1]
    return (cut.rsplit("-", 1)[0] if "-" in cut else cut[:limit]).strip("-")
