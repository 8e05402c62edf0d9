"""Pictures over time: a person's titles and events, and each side's stances on a topic."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from briefgen.render import markdown
from briefgen.render.charts import Mark, day, timeline
from briefgen.site.views import Person, TopicView
from briefgen.source.registry import Membership, registry_of


@dataclass(frozen=True)
class TitleSpan:
    """One title a person held at a run of consecutive events, first to last."""

    title: str
    affiliation: str
    first: dt.date
    last: dt.date
    events: int


def titles_of(person: Person) -> list[TitleSpan]:
    """Return the titles a person held at the events, newest first, a run of one title merged."""
    spans: list[TitleSpan] = []
    for a in person.appearances:  # newest first
        title, affiliation, day = a.speaker.title, a.speaker.affiliation, a.event.date
        last = spans[-1] if spans else None
        if last is not None and (last.title, last.affiliation) == (title, affiliation):
            spans[-1] = TitleSpan(title, affiliation, day, last.last, last.events + 1)
        else:
            spans.append(TitleSpan(title, affiliation, day, day, 1))
    return spans


def memberships_of(root: Path, person_id: str) -> list[Membership]:
    """Return the person's memberships in the workspace's people.yaml, newest first."""
    person = registry_of(root).people.get(person_id)
    if person is None:
        return []
    return sorted(person.memberships, key=lambda m: m.start or dt.date.min, reverse=True)


def person_timeline(person: Person) -> Markup:
    """Draw a person's events on a timeline, a row per title held (this page's events).

    Titles are long: the rows are numbered, and the caption says which title each is.
    """
    events = list(reversed(person.appearances))  # oldest first
    held = list(dict.fromkeys((a.speaker.title, a.speaker.affiliation) for a in events))
    marks = [
        Mark(
            f"Title {held.index((a.speaker.title, a.speaker.affiliation)) + 1}",
            a.event.date,
            f"{a.event.event.title} (as {a.speaker.title}, {a.speaker.affiliation})",
        )
        for a in events
    ]
    legend = "; ".join(f"title {n}: {t}, {org}" for n, (t, org) in enumerate(held, 1))
    said = (
        f"{person.name} at {len(marks)} event{'' if len(marks) == 1 else 's'}, "
        f"{day(marks[0].date)} to {day(marks[-1].date)}; {legend}."
    )
    title = f"{person.name}'s events over time"
    return timeline(f"timeline-{person.id}", title, said, marks, "Title")


def topic_timeline(topic: TopicView) -> Markup:
    """Draw each side's stances on a topic over time, a row per side (this page's events)."""
    marks = [
        Mark(
            track.side.name,
            stance.date,
            stance_line(stance.text) + (" (earlier stance)" if stance.earlier else ""),
        )
        for track in topic.tracks
        for stance in track.stances
    ]
    if not marks:
        return Markup("")
    first, last = min(m.date for m in marks), max(m.date for m in marks)
    said = (
        f"{len(marks)} stance{'' if len(marks) == 1 else 's'} of {len(topic.tracks)} "
        f"side{'' if len(topic.tracks) == 1 else 's'} on {topic.topic.title}, "
        f"{day(first)} to {day(last)}."
    )
    return timeline(
        f"timeline-{topic.id}", f"Stances on {topic.topic.title} over time", said, marks, "Side"
    )


def stance_line(text: str) -> str:
    """Return a stance in one line: its first sentence, as plain text."""
    return markdown.first_sentence(markdown.plain_text(text))
