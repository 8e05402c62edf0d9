"""People across sources: one id naming two people, and placeholders an import left."""

from __future__ import annotations

from pathlib import Path

from _workspace import VALID, line_of, replace, write
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.importers import import_transcript, speaker_names
from briefgen.importers.speakers import speaker_ids
from briefgen.verify.check import check_paths
from briefgen.verify.people import same_person


def test_one_id_naming_two_people_in_two_sources_is_a_located_warning(tmp_path: Path) -> None:
    write(tmp_path, VALID, "first")
    other = replace('name: "Scott Snyder"', 'name: "Moon Chung-in"')
    second = write(tmp_path, other, "second")
    report = check_paths(sorted((tmp_path / "sources").glob("*.yaml")))
    (clash,) = [d for d in report.diagnostics if "site would show them as one person" in d.message]
    assert clash.path.endswith("second.yaml")
    assert clash.line == line_of("- id: snyder", other)
    assert clash.field == "speakers[1].id"
    assert "'snyder' is Scott Snyder in" in clash.message and "Moon Chung-in here" in clash.message
    strict = check_paths([tmp_path / "sources" / "first.yaml", second], strict=True)
    assert strict.errors, "--strict fails on it"


def test_the_same_person_written_two_ways_is_no_clash() -> None:
    assert same_person("Marc Knapper", "Marc E. Knapper")
    assert same_person("Dr. Moon", "Moon Chung-in")  # shorter, so it may be him: no warning
    assert not same_person("Moon Jae-in", "Moon Chung-in")
    assert not same_person("Marc Knapper", "Scott Snyder")


def test_check_strict_fails_on_the_placeholders_an_import_leaves(tmp_path: Path) -> None:
    text = replace('title: "Deputy Assistant Secretary"', 'title: "Title to confirm"')
    text = replace('host: "Example Institute"', 'host: "Host to confirm"', text)
    path = write(tmp_path, text)
    lenient = CliRunner().invoke(main, ["check", str(path)])
    assert lenient.exit_code == 0, lenient.output
    assert "'Title to confirm' is a placeholder the import left: replace it" in lenient.output
    strict = CliRunner().invoke(main, ["check", "--strict", str(path)])
    assert strict.exit_code == 1
    assert f":{line_of('Host to confirm', text)}:" in strict.output
    assert f":{line_of('Title to confirm', text)}:" in strict.output


TRANSCRIPT = """Roundtable on the alliance
7 August 2019

DR. MOON: The alliance has weathered worse.

MR. KNAPPER: We agree.
"""


def test_an_imported_speaker_never_takes_an_id_that_names_someone_else(tmp_path: Path) -> None:
    president = replace('name: "Marc Knapper"', 'name: "Moon Jae-in"')
    write(tmp_path, replace("id: knapper", "id: moon", president), "earlier")
    write(tmp_path, VALID, "other")  # knapper is Marc Knapper: "MR. KNAPPER" may be someone else
    transcript = tmp_path / "roundtable.txt"
    transcript.write_text(TRANSCRIPT, encoding="utf-8")
    taken = speaker_names(tmp_path / "sources")
    assert taken["moon"] == "Moon Jae-in"
    imported = import_transcript(transcript, taken=taken)
    ids = [s["id"] for s in imported.data["speakers"]]
    assert ids == ["moon-2", "knapper-2"]  # a surname alone cannot tell two Moons apart
    assert [t["speaker"] for t in imported.data["transcript"]] == ["moon-2", "knapper-2"]
    assert speaker_ids(["Marc Knapper"], {"marc-knapper": "Marc E. Knapper"}) == ["marc-knapper"]
    assert import_transcript(transcript).data["speakers"][0]["id"] == "moon"  # alone: no clash
