"""House styles of text transcripts, rewritten to one shape before turns are read.

Court reporters interrupt turns with page footers and numbers; a PDF copy flattens
labels into mid-paragraph; the Congressional Record writes ``Mr. DOYLE.``; UK committees
put the speaker's name alone on a line; closed captions mark a new speaker with ``>>``.
Each rewrite gives the turn reader lines of ``Label: text`` and blank lines between
paragraphs. Every pattern here is linear in the length of a line.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from briefgen.importers.labels import COMMON_WORDS, HONORIFICS, is_name, strip_honorifics

PAGE = re.compile(r"^(?:\d{1,4}|page\s+\d+(?:\s+of\s+\d+)?|-\s*\d+\s*-)$", re.IGNORECASE)
# Page furniture: a reporting company's name, address, phone and fax lines.
_CONTACT = re.compile(
    r"\b(?:phone|tel|telephone|fax)\b[^a-z]{0,6}\(?\d{3}\)?[\s.\-]?\d{3}[\s.\-]?\d{4}|"
    r"^\(?\d{3}\)?[\s.\-]\d{3}[\s.\-]\d{4}$|"
    r"^\d{1,6}\s+(?:[A-Z][\w.']*\s+){1,4}(?:street|st\.?|avenue|ave\.?|road|rd\.?|boulevard|"
    r"blvd\.?|drive|lane|place|way)(?:,?\s+(?:suite|ste\.?|floor)\s+\w+)?$|"
    r"^[A-Z][A-Za-z.\s]{1,30},\s+[A-Z]{2}\s+\d{5}(?:-\d{4})?$|"
    r"\b(?:court\s+reporting|reporting\s+(?:company|services|inc)|transcription\s+services)\b",
    re.IGNORECASE,
)
_REPEATS_NEEDED = 2
_RUNNING_HEAD_SCAN = 40
# A label that a PDF copy ran into the paragraph before it: capitals, then a colon.
_FLAT_LABEL = re.compile(
    r"(?<=[.?!\"\u201d])[ ]+(?=(?:(?:THE\s+)?(?:MR|MS|MRS|MISS|DR|PROF|PROFESSOR|AMBASSADOR|"
    r"AMB|SENATOR|SEN|REPRESENTATIVE|REP|GENERAL|GEN|ADMIRAL|ADM|SECRETARY|CHAIRMAN|"
    r"CHAIRWOMAN|MINISTER)\.?\s+[A-Z][A-Z'\u2019\-]+(?:\s+[A-Z][A-Z'\u2019\-]+){0,2}|"
    r"QUESTION|MODERATOR|SPEAKER\s+\d{1,3}|P\sR\sO\sC\sE\sE\sD\sI\sN\sG\sS):)"
)
# The same footer, flattened into a paragraph: company, address, phone and fax, page number.
_INLINE_FOOTER = re.compile(
    r"\s*\b[A-Z][A-Z&.,'\- ]{0,60}\b(?:COURT\s+)?REPORTING(?:\s+(?:COMPANY|SERVICES|INC\.?))?"
    r"[^()]{0,160}?\b(?:Phone|Tel|Telephone)\.?:?\s*\(?\d{3}\)?[\s.\-]?\d{3}[\s.\-]\d{4}"
    r"(?:\s+Fax\.?:?\s*\(?\d{3}\)?[\s.\-]?\d{3}[\s.\-]\d{4})?(?:\s+\d{1,4}\b)?"
)
_HEARING_LABEL = re.compile(
    r"^(?P<label>(?:The\s+)?(?:CHAIRMAN|CHAIRWOMAN|CHAIR|SPEAKER|PRESIDENT|PRESIDING\s+OFFICER|"
    r"ACTING\s+CHAIR(?:MAN|WOMAN)?|CLERK)|(?:Mr|Mrs|Ms|Miss|Dr|Senator|Representative|Rep|"
    r"Chairman|Chairwoman|Secretary|Ambassador|General|Admiral|Governor|Judge)\.?"
    r"\s+[A-Z][A-Z'\u2019\-]+(?:\s+of\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)?)\.\s+(?P<rest>\S.*)$"
)
_HEARING_MIN = 2
_CAPTION_TURN = re.compile(r"^\s*>>+\s*(?P<rest>.*)$")
_CAPTION_MIN = 2
_BARE_ROLES = {"chair", "chairman", "chairwoman", "q", "question", "moderator", "host"}
_BARE_MIN = 2
_SPEECH_WORDS = 9  # a title line under a name is shorter, and ends with no full stop


@dataclass(frozen=True)
class Layout:
    """The lines rewritten to ``Label: text`` turns, and what the style was."""

    lines: list[str]
    hearing: bool = False
    captions: bool = False


def rewrite(lines: list[str]) -> Layout:
    """Rewrite a transcript's lines in whatever house style to labelled paragraphs.

    Runs of blank space are collapsed first: every pattern below then meets a space at a time.
    """
    lines = without_furniture([" ".join(line.split()) for line in lines])
    captions = caption_lines(lines)
    if captions is not None:
        return Layout(captions, captions=True)
    lines = unflattened(lines)
    hearing = hearing_lines(lines)
    if hearing is not None:
        return Layout(hearing, hearing=True)
    return Layout(bare_name_lines(lines))


def without_furniture(lines: list[str]) -> list[str]:
    """Drop page numbers and page footers, so a turn cut by a page break reads on.

    A footer is a line repeated on every page (the reporting company's name, address
    and phone), or a contact line next to a page number. A line repeated near the top
    is kept once there: it is the running head, which repeats the title.
    """
    stripped = [" ".join(line.split()) for line in lines]
    counts = Counter(s for s in stripped if s)
    near_page = _near_page_numbers(stripped)
    kept: list[str] = []
    seen_head: set[str] = set()
    for index, (line, text) in enumerate(zip(lines, stripped, strict=True)):
        if text and PAGE.match(text):
            continue
        repeated = counts[text] >= _REPEATS_NEEDED and _furniture_like(text)
        if repeated and not _CONTACT.search(text) and index < _RUNNING_HEAD_SCAN:
            if text not in seen_head:
                seen_head.add(text)
                kept.append(line)
            continue
        if repeated or (index in near_page and _CONTACT.search(text)):
            continue
        kept.append(line)
    return kept


def _near_page_numbers(stripped: list[str], reach: int = 5) -> set[int]:
    """Return the indexes of lines within ``reach`` lines of a bare page number."""
    near: set[int] = set()
    for index, text in enumerate(stripped):
        if text and PAGE.match(text):
            near.update(range(max(0, index - reach), index + reach + 1))
    return near


def _furniture_like(text: str) -> bool:
    """Return whether a repeated line can be page furniture (not a turn, not a short reply)."""
    if len(text) < 6 or ":" in text[:60]:
        return False
    return bool(_CONTACT.search(text)) or (text.upper() == text and any(c.isalpha() for c in text))


def unflattened(lines: list[str]) -> list[str]:
    """Split a paragraph where a PDF copy ran the next speaker's label into it."""
    result: list[str] = []
    for line in lines:
        parts = _FLAT_LABEL.split(_INLINE_FOOTER.sub("", line) if len(line) > 200 else line)
        if len(parts) == 1:
            result.append(line)
            continue
        for n, part in enumerate(parts):
            if n:
                result.append("")
            result.append(part)
    return result


def hearing_lines(lines: list[str]) -> list[str] | None:
    """Rewrite Congressional labels (``The CHAIRMAN.``, ``Mr. DOYLE.``); None if not that style."""
    matches = [_HEARING_LABEL.match(line.strip()) for line in lines]
    if sum(m is not None for m in matches) < _HEARING_MIN:
        return None
    return [
        f"{m['label']}: {m['rest']}" if m else line for line, m in zip(lines, matches, strict=True)
    ]


def caption_lines(lines: list[str]) -> list[str] | None:
    """Rewrite closed captions: each ``>>`` starts a turn of the next numbered speaker.

    Captions name no one: the staffer names ``Speaker 1``, ``Speaker 2``... afterwards
    (one person may have several numbers). None if the text is not in that style.
    """
    starts = [_CAPTION_TURN.match(line) for line in lines]
    if sum(m is not None for m in starts) < _CAPTION_MIN or _labelled(lines):
        return None
    result: list[str] = []
    number = 0
    for line, start in zip(lines, starts, strict=True):
        if start is None:
            result.append(line)
            continue
        number += 1
        result += ["", f"Speaker {number}: {start['rest']}"]
    return result


def _labelled(lines: list[str]) -> bool:
    """Return whether caption lines carry names after ``>>`` (then they are ordinary labels)."""
    named = 0
    for line in lines:
        start = _CAPTION_TURN.match(line)
        head = start["rest"].split(":", 1)[0] if start and ":" in start["rest"][:40] else ""
        named += bool(head) and is_name(" ".join(strip_honorifics(head.split())[0]))
    return named >= _CAPTION_MIN


def bare_name_lines(lines: list[str]) -> list[str]:
    """Join a speaker's name standing alone on a line to the paragraph under it (UK style)."""
    bare = [_bare_label(lines, index) for index in range(len(lines))]
    counts = Counter(label for label in bare if label)
    sure = [label for label in counts if counts[label] >= _BARE_MIN or _titled(label)]
    if sum(counts[label] for label in sure) < _BARE_MIN:
        return lines
    result: list[str] = []
    skip = False
    for index, (line, label) in enumerate(zip(lines, bare, strict=True)):
        if skip:
            skip = False
            continue
        if label:  # the style is the document's: a name seen once is a speaker too
            result.append(f"{label}: {lines[index + 1].strip()}")
            skip = True
        else:
            result.append(line)
    return result


def _bare_label(lines: list[str], index: int) -> str | None:
    """Return a line's text if it is a name alone, after a blank line and before speech."""
    text = " ".join(lines[index].split())
    if not text or index + 1 >= len(lines) or not _speech(lines[index + 1]):
        return None
    if index > 0 and lines[index - 1].strip():
        return None
    if text.lower() in _BARE_ROLES:
        return text
    if text[-1] in ".,;:?!" or len(text.split()) > 6:
        return None
    tokens, _ = strip_honorifics(text.split())
    words = [t.lower().strip(".") for t in tokens]
    if any(w in COMMON_WORDS for w in words):
        return None
    return text if is_name(" ".join(tokens)) else None


def _speech(line: str) -> bool:
    """Return whether a line reads as speech rather than a title line in a participants list."""
    text = " ".join(line.split())
    if not text or text.upper() == text:
        return False
    return len(text.split()) >= _SPEECH_WORDS or text[-1] in '.?!"\u201d\u2026'


def _titled(label: str) -> bool:
    """Return whether a bare name carries an honorific ("Professor Helen Carter")."""
    first = label.split()[0].lower().strip(".")
    return first in HONORIFICS or label.lower() in _BARE_ROLES
