"""What changed in meaning between two versions of a briefing source.

Items are matched by key (positions by side and topic, quotes by id or text,
everything else by id), so reordering lists, YAML quoting style and reflowed
Markdown are no change.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar

from .errors import Severity, SourceError, UsageError
from .history import blob_at, read_at_revision
from .loader import load_bytes, read_bytes
from .model import Briefing, Event, PastStance, Position, Quote, Side, Source, Speaker, Topic
from .schema import validate_document
from .validate import check_unique
from .workspace import display_path, source_files

__all__ = [
    "Change",
    "Changes",
    "as_json",
    "diff_briefings",
    "diff_files",
    "diff_since",
    "format_text",
    "load_briefing_bytes",
    "read_at_revision",
]

T = TypeVar("T")
Pairs = list[tuple[T | None, T | None]]


@dataclass(frozen=True)
class Change:
    """One change in meaning, with a sentence a staffer can paste into an email."""

    kind: str
    subject: str
    summary: str
    old: str | None = None
    new: str | None = None
    side: str | None = None
    topic: str | None = None
    label: str = ""  # what changed, in words ("United States on Trade"), for structured display


@dataclass(frozen=True)
class Changes:
    """Every change between two versions of one source, in reading order."""

    changes: list[Change]

    def __bool__(self) -> bool:
        """Return True when anything changed."""
        return bool(self.changes)

    def __iter__(self) -> Iterator[Change]:
        """Iterate over the changes."""
        return iter(self.changes)

    def by_subject(self) -> dict[str, Change]:
        """Return the changes keyed by subject (``position:us/trust``...)."""
        return {c.subject: c for c in self.changes}


# --- text -------------------------------------------------------------------

_MONTHS = [
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
]
_TYPOGRAPHY = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"', "…": "..."}
)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"\*\*?|`+")


def _squash(text: str | None) -> str:
    """Collapse all whitespace, so that reflowing text is no change."""
    return " ".join((text or "").split())


def _plain(text: str | None) -> str:
    """Render Markdown as one line of plain text."""
    return _squash(_MARKUP.sub("", _LINK.sub(r"\1", text or "")))


def _quote_key(text: str) -> str:
    """Return a quote's text insensitive to whitespace and quote-mark typography."""
    return _squash(text.translate(_TYPOGRAPHY))


def _day(date: dt.date) -> str:
    """Write a date the way a briefing does: 12 September 2019."""
    return f"{date.day} {_MONTHS[date.month - 1]} {date.year}"


def _show(value: Any) -> str | None:
    """Return a field's value as plain text."""
    if value is None or isinstance(value, str):
        return _plain(value) or None
    if isinstance(value, dt.date):
        return _day(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _said(value: Any) -> str:
    """Return a value for a sentence: text in quotation marks, dates as they are."""
    return f'"{_show(value)}"' if isinstance(value, str) else str(_show(value))


def _same(old: Any, new: Any) -> bool:
    """Compare two field values, ignoring whitespace in text."""
    if isinstance(old, str) or isinstance(new, str):
        return _squash(old) == _squash(new)
    return bool(old == new)


def _now_was(old: Any, new: Any) -> str:
    """Describe a value's change: ``now "x" (was "y")``."""
    if old is None or old == "":
        return f"set to {_said(new)}"
    if new is None or new == "":
        return f"removed (was {_said(old)})"
    return f"now {_said(new)} (was {_said(old)})"


def _slug(text: str) -> str:
    """Return a short readable key for a text: its first words, hyphenated."""
    words = re.findall(r"[a-z0-9]+", _quote_key(text).lower())
    return "-".join(words[:8]) or "untitled"


# --- matching ---------------------------------------------------------------


def _pair(old: Sequence[T], new: Sequence[T], key: Callable[[T], Hashable]) -> Pairs[T]:
    """Match items by key: (old, new) in the new order, then the removed in the old order."""
    waiting: dict[Hashable, list[T]] = {}
    for item in old:
        waiting.setdefault(key(item), []).append(item)
    pairs: Pairs[T] = []
    for item in new:
        queue = waiting.get(key(item))
        pairs.append((queue.pop(0) if queue else None, item))
    left = {id(item) for queue in waiting.values() for item in queue}
    return pairs + [(item, None) for item in old if id(item) in left]


def _match_quotes(old: list[Quote], new: list[Quote]) -> Pairs[Quote]:
    """Match quotes by id where both have one, the rest by normalised text."""
    by_id = _pair([q for q in old if q.id], [q for q in new if q.id], lambda q: q.id)
    matched = [(o, n) for o, n in by_id if o is not None and n is not None]
    taken = {id(q) for pair in matched for q in pair}
    rest_old = [q for q in old if id(q) not in taken]
    rest_new = [q for q in new if id(q) not in taken]
    pairs = matched + _pair(rest_old, rest_new, lambda q: _quote_key(q.text))
    where = {id(q): i for i, q in enumerate(new)} | {
        id(q): len(new) + i for i, q in enumerate(old) if id(q) not in taken
    }
    return sorted(pairs, key=lambda p: where[id(p[1] if p[1] is not None else p[0])])


def _each(pairs: Pairs[T], make: Callable[[T | None, T | None], list[Change]]) -> list[Change]:
    """Collect the changes ``make`` finds in each matched pair."""
    return [change for old, new in pairs for change in make(old, new)]


class _Names:
    """Display names for ids, preferring the newer version's."""

    def __init__(self, old: Briefing, new: Briefing) -> None:
        both = (old, new)
        self.sides = {s.id: s.name for b in both for s in b.sides}
        self.topics = {t.id: t.title for b in both for t in b.topics}
        self.speakers = {s.id: s.name for b in both for s in b.speakers}
        self.sources = {s.id: f'"{s.title}"' for b in both for s in b.sources}
        self.allegiance = {s.id: s.side for b in both for s in b.speakers}

    def side(self, ident: str | None) -> str:
        """Return a side's name."""
        return self.sides.get(ident, ident) if ident else "no side"

    def topic(self, ident: str | None) -> str:
        """Return a topic's title."""
        return self.topics.get(ident, ident) if ident else "no topic"

    def speaker(self, ident: str | None) -> str:
        """Return a speaker's name."""
        return self.speakers.get(ident, ident) if ident else "no named speaker"

    def source(self, ident: str) -> str:
        """Return a source's title, quoted."""
        return self.sources.get(ident, ident)


# --- event, takeaways, questions, transcript --------------------------------

_EVENT_FIELDS = {
    "title": "title",
    "subtitle": "subtitle",
    "date": "date",
    "end_date": "end date",
    "host": "host",
    "location": "location",
    "format": "format",
    "background": "background",
    "url": "web address",
}


def _event_changes(old: Briefing, new: Briefing, names: _Names) -> list[Change]:
    """Find changes in the bottom line and the event's details."""
    changes = []
    before, after = old.event.summary, new.event.summary
    if not _same(before, after):
        summary = f"Bottom line: {_now_was(before, after)}."
        changes.append(Change("summary-changed", "summary", summary, _show(before), _show(after)))
    for name, label in _EVENT_FIELDS.items():
        before, after = getattr(old.event, name), getattr(new.event, name)
        if not _same(before, after):
            summary = f"Event {label}: {_now_was(before, after)}."
            changes.append(
                Change("event-changed", f"event:{name}", summary, _show(before), _show(after))
            )
    return changes


def _bullets(name: str, label: str, old: list[str], new: list[str]) -> list[Change]:
    """Find takeaways or questions added and removed (their order is no change)."""
    before, after = Counter(map(_squash, old)), Counter(map(_squash, new))
    if before == after:
        return []
    clauses = [f'added "{_plain(t)}"' for t in (after - before).elements()]
    clauses += [f'removed "{_plain(t)}"' for t in (before - after).elements()]
    was, now = ("\n".join(map(_plain, items)) or None for items in (old, new))
    summary = f"{label}: {'; '.join(clauses)}."
    return [Change(f"{name}-changed", name, summary, was, now)]


def _list_changes(old: Briefing, new: Briefing, names: _Names) -> list[Change]:
    """Find changes in the takeaways and the questions to ask."""
    takeaways = _bullets("takeaways", "Takeaways", old.takeaways, new.takeaways)
    return takeaways + _bullets("questions", "Questions to ask", old.questions, new.questions)


def _turn_counts(old: list[Any], new: list[Any]) -> dict[str, int]:
    """Count transcript turns changed, added and removed."""
    counts = {"changed": 0, "added": 0, "removed": 0}
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            counts["changed"] += min(i2 - i1, j2 - j1)
            counts["added"] += max(0, (j2 - j1) - (i2 - i1))
            counts["removed"] += max(0, (i2 - i1) - (j2 - j1))
    return counts


def _transcript_changes(old: Briefing, new: Briefing, names: _Names) -> list[Change]:
    """Summarise edits to the transcript (whose order does matter)."""
    before = [(t.speaker, _squash(t.text), t.time) for t in old.transcript]
    after = [(t.speaker, _squash(t.text), t.time) for t in new.transcript]
    if before == after:
        return []
    counts = _turn_counts(before, after)
    parts = [f"{n} turn{'' if n == 1 else 's'} {what}" for what, n in counts.items() if n]
    return [Change("transcript-changed", "transcript", f"Transcript edited: {', '.join(parts)}.")]


# --- sides, topics, speakers, sources ---------------------------------------


def _side_change(old: Side | None, new: Side | None) -> list[Change]:
    """Describe a side added, removed, renamed or summarised anew."""
    side = new or old
    assert side is not None
    subject = f"side:{side.id}"
    if old is None:
        summary = f'New side: {side.name} ("{_plain(side.summary)}").'
        return [Change("side-added", subject, summary, None, side.name, side.id)]
    if new is None:
        return [
            Change("side-removed", subject, f"Side removed: {side.name}.", side.name, None, side.id)
        ]
    changes = []
    if not _same(old.name, new.name):
        summary = f'Side "{old.name}" is now called "{new.name}".'
        changes.append(Change("side-renamed", subject, summary, old.name, new.name, new.id))
    if not _same(old.summary, new.summary):
        summary = f"Summary for {new.name}: {_now_was(old.summary, new.summary)}."
        before, after = _show(old.summary), _show(new.summary)
        subject = f"side-summary:{new.id}"
        changes.append(Change("side-summary-changed", subject, summary, before, after, new.id))
    return changes


def _topic_change(old: Topic | None, new: Topic | None) -> list[Change]:
    """Describe a topic added, removed, renamed or redescribed."""
    topic = new or old
    assert topic is not None
    subject = f"topic:{topic.id}"
    if old is None:
        summary = f"New topic: {topic.title}."
        return [Change("topic-added", subject, summary, new=topic.title, topic=topic.id)]
    if new is None:
        summary = f"Topic removed: {topic.title}."
        return [Change("topic-removed", subject, summary, old=topic.title, topic=topic.id)]
    clauses = [] if _same(old.title, new.title) else [f'renamed from "{old.title}"']
    clauses += [] if _same(old.description, new.description) else ["description revised"]
    if not clauses:
        return []
    summary = f'Topic "{new.title}": {"; ".join(clauses)}.'
    return [Change("topic-changed", subject, summary, old.title, new.title, topic=new.id)]


def _role(speaker: Speaker) -> str:
    """Return a speaker's title and affiliation."""
    return f"{_squash(speaker.title)}, {_squash(speaker.affiliation)}"


def _speaker_details(old: Speaker, new: Speaker, names: _Names) -> list[str]:
    """Describe changes to a speaker other than title and affiliation."""
    clauses = [] if _same(old.name, new.name) else [f'formerly listed as "{old.name}"']
    if old.side != new.side:
        clauses.append(f"now speaks for {names.side(new.side)} (was {names.side(old.side)})")
    if old.present != new.present:
        clauses.append("now listed as present" if new.present else "now listed as not present")
    if not _same(old.bio, new.bio):
        clauses.append("biography revised")
    if old.native_name != new.native_name or sorted(old.aliases) != sorted(new.aliases):
        clauses.append("other names revised")
    return clauses


def _speaker_change(old: Speaker | None, new: Speaker | None, names: _Names) -> list[Change]:
    """Describe a speaker added, removed, retitled or otherwise changed."""
    person = new or old
    assert person is not None
    base: dict[str, Any] = {"subject": f"speaker:{person.id}", "side": person.side}
    role = _role(person)
    if old is None:
        summary = f"New speaker: {person.name}, {role}."
        return [Change("speaker-added", summary=summary, new=role, **base)]
    if new is None:
        summary = f"Speaker removed: {person.name}, {role}."
        return [Change("speaker-removed", summary=summary, old=role, **base)]
    retitled = _role(old) != _role(new)
    clauses = [f"now {_role(new)} (was {_role(old)})"] if retitled else []
    clauses += _speaker_details(old, new, names)
    if not clauses:
        return []
    kind = "speaker-retitled" if retitled else "speaker-changed"
    summary = f"{new.name}: {'; '.join(clauses)}."
    return [Change(kind, summary=summary, old=_role(old), new=_role(new), **base)]


_SOURCE_FIELDS = ("kind", "title", "publisher", "author", "date", "url", "file")


def _source_change(old: Source | None, new: Source | None) -> list[Change]:
    """Describe a cited source added, removed or changed."""
    source = new or old
    assert source is not None
    subject, named = f"source:{source.id}", f'"{source.title}" ({source.publisher})'
    if old is None:
        return [Change("source-added", subject, f"New source: {named}.", None, named)]
    if new is None:
        return [Change("source-removed", subject, f"Source removed: {named}.", named)]
    clauses = [
        f"{name} {_now_was(getattr(old, name), getattr(new, name))}"
        for name in _SOURCE_FIELDS
        if not _same(getattr(old, name), getattr(new, name))
    ]
    summary = f'Source "{new.title}": {"; ".join(clauses)}.'
    return [Change("source-changed", subject, summary)] if clauses else []


def _side_changes(old: Briefing, new: Briefing, names: _Names) -> list[Change]:
    """Find sides added, removed, renamed and summarised anew."""
    return _each(_pair(old.sides, new.sides, lambda s: s.id), _side_change)


def _people_changes(old: Briefing, new: Briefing, names: _Names) -> list[Change]:
    """Find changes in speakers, topics and sources."""
    speakers = _pair(old.speakers, new.speakers, lambda s: s.id)
    changes = _each(speakers, lambda o, n: _speaker_change(o, n, names))
    changes += _each(_pair(old.topics, new.topics, lambda t: t.id), _topic_change)
    return changes + _each(_pair(old.sources, new.sources, lambda s: s.id), _source_change)


# --- positions --------------------------------------------------------------


def _past(history: list[PastStance]) -> list[tuple[str, dt.date]]:
    """Return earlier stances in comparable form."""
    return [(_squash(p.stance), p.as_of) for p in history]


def _history_as_expected(old: Position, new: Position, moved: bool) -> bool:
    """True if history is unchanged, or gained just the previous stance on top."""
    before, after = _past(old.history), _past(new.history)
    if after == before:
        return True
    return moved and after[1:] == before and after[:1] != [] and after[0][0] == _squash(old.stance)


def _stance_clause(old: Position, new: Position) -> str:
    """Describe a new stance and the one it replaced, with their dates."""
    recorded = [p.as_of for p in new.history if _same(p.stance, old.stance)]
    was_date = old.as_of or (recorded[0] if recorded else None)
    now = f'now "{_plain(new.stance)}"'
    now = f"as of {_day(new.as_of)}, {now}" if new.as_of else now
    was = f'was "{_plain(old.stance)}"' + (f", as of {_day(was_date)}" if was_date else "")
    return f"{now} ({was})"


def _position_clauses(old: Position, new: Position, names: _Names) -> list[str]:
    """Describe how one side's position on one topic changed."""
    moved = not _same(old.stance, new.stance)
    clauses = [_stance_clause(old, new)] if moved else []
    if not moved and old.as_of != new.as_of:
        dated = [f"as of {_day(d)}" if d else "undated" for d in (new.as_of, old.as_of)]
        clauses.append(f"stance unchanged, now {dated[0]} (was {dated[1]})")
    if old.speaker != new.speaker:
        who = names.speaker(new.speaker), names.speaker(old.speaker)
        clauses.append(f"now voiced by {who[0]} (was {who[1]})")
    if sorted(old.sources) != sorted(new.sources):
        clauses.append("sources revised")
    if not _history_as_expected(old, new, moved):
        clauses.append("earlier stances revised")
    return clauses


def _position_change(old: Position | None, new: Position | None, names: _Names) -> list[Change]:
    """Describe a position added, removed or changed."""
    position = new or old
    assert position is not None
    where = f"{names.side(position.side)} on {names.topic(position.topic)}"
    base = {"subject": f"position:{position.side}/{position.topic}", "label": where}
    base |= {"side": position.side, "topic": position.topic}
    before, after = (_plain(p.stance) if p else None for p in (old, new))
    if old is None or new is None:
        dated = f" as of {_day(position.as_of)}" if position.as_of else ""
        summary = (
            f'{where}: new position{dated}: "{after}".'
            if new
            else f'{where}: position removed (was "{before}").'
        )
        kind = "position-added" if new else "position-removed"
        return [Change(kind, summary=summary, old=before, new=after, **base)]
    clauses = _position_clauses(old, new, names)
    if not clauses:
        return []
    summary = f"{where}: {'; '.join(clauses)}."
    return [Change("position-changed", summary=summary, old=before, new=after, **base)]


def _position_changes(old: Briefing, new: Briefing, names: _Names) -> list[Change]:
    """Find positions added, removed and changed, keyed by (side, topic)."""
    pairs = _pair(old.positions, new.positions, lambda p: (p.side, p.topic))
    return _each(pairs, lambda o, n: _position_change(o, n, names))


# --- quotes -----------------------------------------------------------------


def _quote_details(old: Quote, new: Quote, names: _Names) -> list[str]:
    """Describe changes to a quote's citation, topic and context."""
    clauses = []
    if old.source != new.source:
        clauses.append(f"now cited to {names.source(new.source)} (was {names.source(old.source)})")
    if old.topic != new.topic:
        clauses.append(f"now under {names.topic(new.topic)} (was {names.topic(old.topic)})")
    if not _same(old.locator, new.locator):
        clauses.append(f"locator {_now_was(old.locator, new.locator)}")
    if not _same(old.context, new.context):
        clauses.append("context revised")
    return clauses


def _quote_edit(old: Quote, new: Quote, base: dict[str, Any], names: _Names) -> list[Change]:
    """Describe a matched quote whose text, speaker or citation changed."""
    reworded = _quote_key(old.text) != _quote_key(new.text)
    moved = old.speaker != new.speaker
    was, now = names.speaker(old.speaker), names.speaker(new.speaker)
    clauses = [f'now reads "{_squash(new.text)}" (was "{_squash(old.text)}")'] if reworded else []
    clauses += [f"re-attributed from {was} to {now}"] if moved else []
    clauses += _quote_details(old, new, names)
    if not clauses:
        return []
    head = f'Quote "{_squash(new.text)}"' + ("" if moved else f" ({now})")
    head = f"Quote from {now}" if reworded else head
    summary = f"{head}: {'; '.join(clauses)}."
    if reworded or not moved:
        before, after = _squash(old.text), _squash(new.text)
        return [Change("quote-changed", summary=summary, old=before, new=after, **base)]
    return [Change("quote-reattributed", summary=summary, old=was, new=now, **base)]


def _quote_change(
    old: Quote | None, new: Quote | None, subject: str, names: _Names
) -> list[Change]:
    """Describe a quote added, removed, reworded or re-attributed."""
    quote = new or old
    assert quote is not None
    who, text = names.speaker(quote.speaker), _squash(quote.text)
    base: dict[str, Any] = {"subject": subject, "topic": quote.topic}
    base["side"] = names.allegiance.get(quote.speaker)
    if old is None:
        return [Change("quote-added", summary=f'New quote from {who}: "{text}".', new=text, **base)]
    if new is None:
        summary = f'Quote from {who} removed: "{text}".'
        return [Change("quote-removed", summary=summary, old=text, **base)]
    return _quote_edit(old, new, base, names)


def _unique(subject: str, used: set[str]) -> str:
    """Return ``subject``, numbered if already taken, and mark it taken."""
    candidate, n = subject, 1
    while candidate in used:
        n += 1
        candidate = f"{subject}-{n}"
    used.add(candidate)
    return candidate


def _quote_changes(old: Briefing, new: Briefing, names: _Names) -> list[Change]:
    """Find quotes added, removed, reworded and re-attributed."""
    changes: list[Change] = []
    used: set[str] = set()
    for before, after in _match_quotes(old.quotes, new.quotes):
        quote = after or before
        assert quote is not None
        ident = (after.id if after else None) or (before.id if before else None)
        subject = _unique(f"quote:{ident or _slug(quote.text)}", used)
        changes += _quote_change(before, after, subject, names)
    return changes


# --- public API -------------------------------------------------------------

_SECTIONS = (
    _event_changes,
    _side_changes,
    _position_changes,
    _quote_changes,
    _people_changes,
    _list_changes,
    _transcript_changes,
)


def diff_briefings(old: Briefing, new: Briefing) -> Changes:
    """Return every change in meaning from ``old`` to ``new``."""
    names = _Names(old, new)
    return Changes([change for section in _SECTIONS for change in section(old, new, names)])


_GROUPS = {
    "summary": "Bottom line and event",
    "event": "Bottom line and event",
    "side": "Sides",
    "position": "Positions",
    "quote": "Quotes",
    "speaker": "Speakers",
    "topic": "Topics",
    "source": "Sources",
    "takeaways": "Takeaways and questions",
    "questions": "Takeaways and questions",
    "transcript": "Transcript",
}
_GROUP_ORDER = list(dict.fromkeys(_GROUPS.values()))


def format_text(changes: Changes, *, title: str = "") -> str:
    """Render changes as plain text: a heading, then one bullet per change, grouped."""
    lines = [f"What changed: {title}" if title else "What changed", ""]
    if not changes:
        return "\n".join([*lines, "No changes in meaning.", ""])
    grouped: dict[str, list[str]] = {group: [] for group in _GROUP_ORDER}
    for change in changes:
        grouped[_GROUPS.get(change.kind.split("-")[0], "Other")].append(f"- {change.summary}")
    for group, bullets in grouped.items():
        lines += [group, *bullets, ""] if bullets else []
    return "\n".join(lines)


def as_json(changes: Changes) -> str:
    """Serialise changes as a JSON list of change objects."""
    return json.dumps([asdict(c) for c in changes], ensure_ascii=False, indent=2)


def load_briefing_bytes(raw: bytes, display: str) -> Briefing:
    """Parse and schema-validate a source; SourceError lists every located problem.

    Cross-references are not checked: an old revision with a dangling id can
    still be compared (names fall back to ids). Ids must be unique, though,
    because matching relies on them.
    """
    document = load_bytes(raw, display)
    briefing, diagnostics = validate_document(document, Briefing)
    diagnostics += check_unique(document)
    errors = sorted(d for d in diagnostics if d.severity is Severity.ERROR)
    if briefing is None or errors:
        raise SourceError(errors)
    return briefing


def _load_path(path: Path) -> Briefing:
    """Read and load one source file; UsageError if there is none."""
    display = display_path(path)
    if not path.is_file():
        raise UsageError(f"{display}: no such file")
    return load_briefing_bytes(read_bytes(path, display), display)


def diff_files(old: Path, new: Path) -> Changes:
    """Compare two source files by meaning."""
    before, after = _load_path(old), _load_path(new)
    return diff_briefings(before, after)


def _blank() -> Briefing:
    """Return an empty briefing, so that a new (or deleted) file is all added (or removed)."""
    event = Event.model_construct(**dict.fromkeys(Event.model_fields))
    return Briefing.model_construct(event=event, sides=[], speakers=[])


def _diff_one_since(rev: str, path: Path) -> Changes:
    """Compare one source with its version at ``rev``."""
    display = display_path(path)
    raw = blob_at(path, rev)
    if raw is None and not path.is_file():
        raise UsageError(f"{display}: no such file")
    old = _blank() if raw is None else load_briefing_bytes(raw, f"{rev}:{display}")
    new = _load_path(path) if path.exists() else _blank()
    return diff_briefings(old, new)


def diff_since(rev: str, paths: list[Path]) -> list[tuple[Path, Changes]]:
    """Compare each source file (folders give their ``*.yaml``) with its version at ``rev``."""
    return [(path, _diff_one_since(rev, path)) for path in source_files(paths)]
