"""Sentences for changes in the event, lists, transcript, sides, topics, speakers and sources."""

from __future__ import annotations

import difflib
from collections import Counter
from typing import Any

from briefgen.diff.changes import Change
from briefgen.diff.match import each_pair, pair_up
from briefgen.diff.wording import Labels, now_was, plain, same, show, squash
from briefgen.source.model import Briefing, Side, Source, Speaker, Topic

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


def event_changes(old: Briefing, new: Briefing, names: Labels) -> list[Change]:
    """Find changes in the bottom line and the event's details."""
    changes = []
    before, after = old.event.summary, new.event.summary
    if not same(before, after):
        summary = f"Bottom line: {now_was(before, after)}."
        changes.append(Change("summary-changed", "summary", summary, show(before), show(after)))
    for name, label in _EVENT_FIELDS.items():
        before, after = getattr(old.event, name), getattr(new.event, name)
        if not same(before, after):
            summary = f"Event {label}: {now_was(before, after)}."
            changes.append(
                Change("event-changed", f"event:{name}", summary, show(before), show(after))
            )
    return changes


def _bullets(name: str, label: str, old: list[str], new: list[str]) -> list[Change]:
    """Find takeaways or questions added and removed (their order is no change)."""
    before, after = Counter(map(squash, old)), Counter(map(squash, new))
    if before == after:
        return []
    clauses = [f'added "{plain(t)}"' for t in (after - before).elements()]
    clauses += [f'removed "{plain(t)}"' for t in (before - after).elements()]
    was, now = ("\n".join(map(plain, items)) or None for items in (old, new))
    summary = f"{label}: {'; '.join(clauses)}."
    return [Change(f"{name}-changed", name, summary, was, now)]


def list_changes(old: Briefing, new: Briefing, names: Labels) -> list[Change]:
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


def transcript_changes(old: Briefing, new: Briefing, names: Labels) -> list[Change]:
    """Summarise edits to the transcript (whose order does matter)."""
    before = [(t.speaker, squash(t.text), t.time) for t in old.transcript]
    after = [(t.speaker, squash(t.text), t.time) for t in new.transcript]
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
        summary = f'New side: {side.name} ("{plain(side.summary)}").'
        return [Change("side-added", subject, summary, None, side.name, side.id)]
    if new is None:
        return [
            Change("side-removed", subject, f"Side removed: {side.name}.", side.name, None, side.id)
        ]
    changes = []
    if not same(old.name, new.name):
        summary = f'Side "{old.name}" is now called "{new.name}".'
        changes.append(Change("side-renamed", subject, summary, old.name, new.name, new.id))
    if not same(old.summary, new.summary):
        summary = f"Summary for {new.name}: {now_was(old.summary, new.summary)}."
        before, after = show(old.summary), show(new.summary)
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
    clauses = [] if same(old.title, new.title) else [f'renamed from "{old.title}"']
    clauses += [] if same(old.description, new.description) else ["description revised"]
    if not clauses:
        return []
    summary = f'Topic "{new.title}": {"; ".join(clauses)}.'
    return [Change("topic-changed", subject, summary, old.title, new.title, topic=new.id)]


def _role(speaker: Speaker) -> str:
    """Return a speaker's title and affiliation."""
    return f"{squash(speaker.title)}, {squash(speaker.affiliation)}"


def _speaker_details(old: Speaker, new: Speaker, names: Labels) -> list[str]:
    """Describe changes to a speaker other than title and affiliation."""
    clauses = [] if same(old.name, new.name) else [f'formerly listed as "{old.name}"']
    if old.side != new.side:
        clauses.append(f"now speaks for {names.side(new.side)} (was {names.side(old.side)})")
    if old.present != new.present:
        clauses.append("now listed as present" if new.present else "now listed as not present")
    if not same(old.bio, new.bio):
        clauses.append("biography revised")
    if old.native_name != new.native_name or sorted(old.aliases) != sorted(new.aliases):
        clauses.append("other names revised")
    return clauses


def _speaker_change(old: Speaker | None, new: Speaker | None, names: Labels) -> list[Change]:
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
        f"{name} {now_was(getattr(old, name), getattr(new, name))}"
        for name in _SOURCE_FIELDS
        if not same(getattr(old, name), getattr(new, name))
    ]
    summary = f'Source "{new.title}": {"; ".join(clauses)}.'
    return [Change("source-changed", subject, summary)] if clauses else []


def side_changes(old: Briefing, new: Briefing, names: Labels) -> list[Change]:
    """Find sides added, removed, renamed and summarised anew."""
    return each_pair(pair_up(old.sides, new.sides, lambda s: s.id), _side_change)


def people_changes(old: Briefing, new: Briefing, names: Labels) -> list[Change]:
    """Find changes in speakers, topics and sources."""
    speakers = pair_up(old.speakers, new.speakers, lambda s: s.id)
    changes = each_pair(speakers, lambda o, n: _speaker_change(o, n, names))
    changes += each_pair(pair_up(old.topics, new.topics, lambda t: t.id), _topic_change)
    return changes + each_pair(pair_up(old.sources, new.sources, lambda s: s.id), _source_change)
