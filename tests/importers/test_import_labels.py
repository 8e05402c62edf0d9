"""Speaker labels and header dates, read on their own."""

from __future__ import annotations

import datetime as dt

import pytest

from briefgen.importers.dates import find_date
from briefgen.importers.labels import find_label
from briefgen.importers.speakers import speaker_ids


@pytest.mark.parametrize(
    ("line", "name", "kind"),
    [
        ("MR. KNAPPER: Thank you.", "KNAPPER", "person"),
        ("DR. SNYDER: Thanks.", "SNYDER", "person"),
        ("MS. TATSUMI: Yes.", "TATSUMI", "person"),
        ("ADM. (RET.) OKAFOR: Indeed.", "OKAFOR", "person"),
        ("AMB. LEE: One note.", "LEE", "person"),
        ("SEN. SMITH: A question.", "SMITH", "person"),
        ("Marc Knapper: Thank you.", "Marc Knapper", "person"),
        ("Knapper: Thank you.", "Knapper", "person"),
        ("辰巳由紀: はい。", "辰巳由紀", "person"),
        ("辰巳由紀：はい。", "辰巳由紀", "person"),
        ("QUESTIONER: Hello.", "Questioner", "generic"),
        ("AUDIENCE MEMBER: Hello.", "Audience member", "generic"),
        ("QUESTION: Hello.", "Questioner", "generic"),
        ("SPEAKER: Hello.", "Speaker", "generic"),
        ("MODERATOR: Welcome.", "Moderator", "role"),
    ],
)
def test_labels(line: str, name: str, kind: str) -> None:
    found = find_label(line)
    assert found is not None
    assert (found.label.name, found.label.kind) == (name, kind)
    assert found.rest == line.split(":", 1)[-1].split("\uff1a", 1)[-1].strip()


@pytest.mark.parametrize(
    "line",
    [
        "The point is this: we must not let challengers drive a wedge.",
        "In short: no.",
        "Bottom line: the alliance holds.",
        "At 10:30 we met again.",
        "See https://example.org for details.",
        "Japan, South Korea and the whitelist: what next",
        "Ladies and gentlemen: welcome.",
    ],
)
def test_sentences_are_not_labels(line: str) -> None:
    assert find_label(line) is None


def test_honorific_is_noted() -> None:
    assert find_label("AMB. LEE: Yes.").honorific
    assert not find_label("LEE: Yes.").honorific


@pytest.mark.parametrize(
    "line",
    [
        "Wednesday, August 7, 2019",
        "7 August 2019",
        "2019-08-07",
        "Aug. 7th, 2019, 10:00 a.m. - 11:30 a.m. EDT",
        "2019년 8월 7일",
        "2019年8月7日",
    ],
)
def test_header_dates(line: str) -> None:
    found = find_date(line)
    assert found is not None and found.date == dt.date(2019, 8, 7)
    assert found.rest == ""


def test_impossible_dates_are_not_dates() -> None:
    assert find_date("February 30, 2019") is None
    assert find_date("2019-13-45") is None


def test_speaker_ids_are_slugs_unique_and_numbered_for_non_latin_names() -> None:
    names = ["Marc Knapper", "Marc Knapper", "김소현", "辰巳由紀", "Speaker 1", "José Ñúñez"]
    assert speaker_ids(names) == [
        "marc-knapper",
        "marc-knapper-2",
        "speaker-1",
        "speaker-2",
        "speaker-1-2",
        "jose-nunez",
    ]
