"""Pydantic models of the source format: declared once, no I/O."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
TIME_PATTERN = r"^(?:\d{1,2}:)?\d{1,2}:\d{2}(?:\.\d{1,3})?$"

Id = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN, max_length=80),
    Field(description="Identifier: lower-case letters, digits, hyphens, underscores."),
]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def printable(value: str) -> str:
    """Refuse control characters (YAML escapes such as \\0, \\e, \\u0001): no page can show them."""
    found = _CONTROL.search(value)
    if found:
        raise ValueError(
            f"control character U+{ord(found.group()):04X} at position {found.start() + 1}; "
            "remove it (only tabs and line breaks are allowed)"
        )
    return value


Text = Annotated[str, StringConstraints(min_length=1, max_length=2_000), AfterValidator(printable)]
Markdown = Annotated[
    str,
    StringConstraints(max_length=50_000),
    AfterValidator(printable),
    Field(description="Markdown text; raw HTML is sanitised."),
]
Url = Annotated[
    str,
    StringConstraints(pattern=r"^https?://\S+$", max_length=2_000),
    Field(description="An http(s) address."),
]


def _date_text(value: object) -> object:
    """Accept only ISO date text (or a date), never a number."""
    if isinstance(value, (str, dt.date)):
        return value
    raise ValueError("expected an ISO date such as 2019-08-07")


Date = Annotated[dt.date, BeforeValidator(_date_text)]
Time = Annotated[
    str,
    StringConstraints(pattern=TIME_PATTERN),
    Field(description="A time into the recording, HH:MM:SS."),
]


class Strict(BaseModel):
    """Base for every source model: unknown keys are errors, text is never coerced."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Event(Strict):
    """The event the briefing covers."""

    title: Text
    headline: Text | None = Field(
        None, description="One line that states the news; the title is used without it."
    )
    subtitle: Text | None = None
    date: Date
    end_date: Date | None = Field(None, description="Last day of a multi-day event.")
    host: Text
    location: Text
    format: Text | None = Field(None, description="seminar, panel, hearing, ...")
    summary: Markdown = Field(description="Bottom line up front (Markdown).")
    background: Markdown | None = None
    url: Url | None = None


class Side(Strict):
    """A perspective the briefing compares."""

    id: Id
    name: Text
    summary: Markdown


class Speaker(Strict):
    """A person who spoke at the event or was referred to."""

    id: Id
    person: Id | None = Field(
        None,
        description=(
            "The person's id in people.yaml: the name, aliases and the title and affiliation "
            "held on the event's date come from there, unless given here."
        ),
    )
    name: Text
    native_name: Text | None = Field(None, description="Name in its own script.")
    aliases: list[Text] = Field(default_factory=list)
    title: Text = Field(description="Title as of the event.")
    affiliation: Text = Field(description="Affiliation as of the event.")
    side: Id | None = None
    present: bool = Field(description="true if the person spoke at the event.")
    bio: Markdown | None = None


class Topic(Strict):
    """An issue the sides take positions on."""

    id: Id
    title: Text
    description: Markdown | None = None


class PastStance(Strict):
    """An earlier stance of a side on a topic."""

    stance: Markdown
    as_of: Date
    speaker: Id | None = None
    sources: list[Id] = Field(default_factory=list)


class Position(Strict):
    """One side's position on one topic."""

    side: Id
    topic: Id
    stance: Markdown
    summary: Text | None = Field(
        None, description="The stance in one line of at most about 20 words, for the tables."
    )
    speaker: Id | None = Field(None, description="Who voiced it (a speaker id).")
    as_of: Date | None = None
    sources: list[Id] = Field(default_factory=list)
    history: list[PastStance] = Field(
        default_factory=list, description="Earlier stances, newest first."
    )


class Said(Strict):
    """Where and when a quote was said, when that was not at the event."""

    date: Date
    occasion: Text = Field(description="Where it was said: 'at an emergency cabinet meeting'.")
    source: Id | None = Field(None, description="A source that reports it being said then.")


class Quote(Strict):
    """A verbatim quote with its source."""

    id: Id | None = None
    speaker: Id
    text: Text
    topic: Id | None = None
    key: bool = Field(False, description="A quote the principal must see (at most 3 in the memo).")
    said: Said | None = Field(None, description="When and where, if not at the event.")
    context: Markdown | None = None
    source: Id
    locator: Text | None = Field(None, description="Paragraph number or timestamp.")


class Source(Strict):
    """A document the briefing cites."""

    id: Id
    kind: Text = Field(description="article, transcript, statement, report, ...")
    title: Text
    publisher: Text
    author: Text | None = None
    date: Date | None = None
    date_note: Text | None = Field(
        None, description="Why the date is not the publisher's: 'inferred: not printed'."
    )
    url: Url | None = None
    file: Text | None = Field(None, description="Workspace path of the full text.")
    quotes_complete: bool = Field(
        True,
        description="false: the file quotes the speakers more than the quotes list captures.",
    )


class Turn(Strict):
    """One speaker's turn in the transcript."""

    speaker: Id
    text: Markdown
    time: Time | None = None

    @field_validator("time")
    @classmethod
    def _plausible_time(cls, value: str | None) -> str | None:
        if value is not None and any(int(p) >= 60 for p in re.split(r"[:.]", value)[1:3]):
            raise ValueError(f"impossible time '{value}': minutes and seconds run 00-59")
        return value


class Briefing(Strict):
    """One event's curated source: the root of a ``sources/<slug>.yaml`` file."""

    event: Event
    sides: list[Side] = Field(min_length=1)
    speakers: list[Speaker] = Field(min_length=1)
    topics: list[Topic] = Field(default_factory=list)
    positions: list[Position] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    transcript: list[Turn] = Field(default_factory=list)
    takeaways: list[Markdown] = Field(default_factory=list)
    questions: list[Markdown] = Field(default_factory=list)

    def speaker(self, speaker_id: str) -> Speaker:
        """Return the speaker with this id."""
        return next(s for s in self.speakers if s.id == speaker_id)

    def position(self, side_id: str, topic_id: str) -> Position | None:
        """Return a side's position on a topic, if it states one."""
        return next((p for p in self.positions if p.side == side_id and p.topic == topic_id), None)

    def quote_ids(self) -> list[str]:
        """Return each quote's anchor id: its own id, else ``q<n>`` by position."""
        return [q.id or f"q{n}" for n, q in enumerate(self.quotes, 1)]


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema of a source file."""
    schema = Briefing.model_json_schema()
    speaker = schema["$defs"]["Speaker"]
    # a speaker names a person of people.yaml, or gives their id, name and titles itself
    named = [field for field in speaker["required"] if field != "present"]
    speaker["required"] = ["present"]
    speaker["anyOf"] = [{"required": named}, {"required": ["person"]}]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "briefgen source"
    return schema
