"""The written skeleton: valid source data, YAML that reads back exactly, safe quoting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from _transcripts import fixture

from briefgen.importers import import_transcript
from briefgen.source.model import Briefing

GOOD = [
    "heritage_allcaps.txt",
    "cfr_name_style.txt",
    "brookings_multiline.txt",
    "bom_crlf.txt",
    "yaml_traps.txt",
    "keyed_header.txt",
    "seminar.vtt",
    "bom_crlf.vtt",
    "seminar.srt",
    "unlabelled.srt",
    "bom_crlf.srt",
]
_TEXT_STYLES = {'"', ">", "|"}


def _scalars(node: yaml.Node, key: str = ""):
    """Yield (key, value node) for every value scalar under node."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            assert key_node.style is None, f"quoted key {key_node.value!r}"
            yield from _scalars(value, key_node.value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item, key)
    else:
        yield key, node


@pytest.mark.parametrize("name", GOOD)
def test_yaml_reads_back_as_the_data_and_validates(name: str) -> None:
    source = import_transcript(fixture(name))
    assert yaml.safe_load(source.yaml_text) == source.data
    briefing = Briefing.model_validate(source.data)
    assert briefing.sides[0].id == "unassigned"
    assert briefing.sources[0].id == "transcript"
    assert len(briefing.transcript) >= 1
    ids = [s["id"] for s in source.data["speakers"]]
    assert len(ids) == len(set(ids))
    assert {t["speaker"] for t in source.data["transcript"]} <= set(ids)


@pytest.mark.parametrize("name", GOOD)
def test_every_text_is_quoted_or_a_block_and_only_dates_are_plain(name: str) -> None:
    source = import_transcript(fixture(name))
    for key, node in _scalars(yaml.compose(source.yaml_text)):
        if key == "date":
            assert node.style is None and isinstance(yaml.safe_load(node.value), dt.date)
        elif key == "present":
            assert node.value == "true"
        else:
            assert node.style in _TEXT_STYLES, f"{key}: {node.value!r} is plain"
    for event in yaml.parse(source.yaml_text):
        assert not isinstance(event, yaml.AliasEvent)
        assert getattr(event, "anchor", None) is None
        assert getattr(event, "tag", None) is None, f"explicit tag {event.tag}"


@pytest.mark.parametrize("name", GOOD)
def test_yaml_has_guidance_and_todo_markers(name: str) -> None:
    text = import_transcript(fixture(name)).yaml_text
    assert text.startswith("# briefgen source skeleton, imported from ")
    assert "briefgen check" in text.split("\n\n")[0]
    assert 'summary: ""  # TODO: the bottom line up front' in text
    assert "# TODO: replace this placeholder with the sides" in text
    assert max(len(line) for line in text.splitlines()) <= 100


def test_yaml_1_1_traps_stay_text() -> None:
    source = import_transcript(fixture("yaml_traps.txt"))
    loaded = yaml.safe_load(source.yaml_text)
    assert loaded["event"]["title"] == "No"
    texts = [t["text"] for t in loaded["transcript"]]
    assert texts[:7] == ["no", "1.10", "10:05:30", "null", "~", "true", "- not a list item"]
    assert texts[9] == "2019-08-07"
    assert texts[10] == ">- not a block"
    assert "backslash \\ in a long sentence" in texts[8]


def test_placeholders_are_marked_todo() -> None:
    text = import_transcript(fixture("seminar.srt")).yaml_text
    assert '  host: "Host to confirm"  # TODO:' in text
    assert '  location: "Location to confirm"  # TODO:' in text
    assert '  title: "Title to confirm"  # TODO:' in text
    assert '  affiliation: "Affiliation to confirm"  # TODO:' in text
    assert f"  date: {dt.date.today().isoformat()}  # TODO: no date in the transcript" in text
    assert '  title: "Seminar"  # TODO: no title in the transcript' in text


def test_slug_from_option_title_or_file_name(tmp_path: Path) -> None:
    assert import_transcript(fixture("seminar.srt"), slug="korea-2019").slug == "korea-2019"
    assert import_transcript(fixture("cfr_name_style.txt")).slug == (
        "korea-and-japan-at-odds-what-washington-can-do"
    )
    assert import_transcript(fixture("seminar.srt")).slug == "seminar"
    korean = tmp_path / "한국 세미나 2019.txt"
    korean.write_text("한일 무역 분쟁\n\nMR. KNAPPER: Hello.\n\nDR. SNYDER: Hi.\n", "utf-8")
    source = import_transcript(korean)
    assert source.data["event"]["title"] == "한일 무역 분쟁"
    assert source.slug == "2019"


def test_overlong_speech_is_split_into_valid_turns(tmp_path: Path) -> None:
    words = " ".join(f"word{n}" for n in range(12_000))
    path = tmp_path / "long.txt"
    path.write_text(f"MR. KNAPPER: {words}\n\nDR. SNYDER: Short.\n", encoding="utf-8")
    source = import_transcript(path)
    turns = source.data["transcript"]
    assert [t["speaker"] for t in turns][-1] == "snyder"
    assert all(len(t["text"]) <= 20_000 for t in turns)
    assert " ".join(t["text"] for t in turns[:-1]) == words
    Briefing.model_validate(source.data)
