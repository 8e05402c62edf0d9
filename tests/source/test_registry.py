"""people.yaml: each person once, with memberships; sources name them with `person:`."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from _workspace import LATER, REPO, SAMPLE, VALID, line_of, replace, two_event_workspace, write

from briefgen.build import build
from briefgen.errors import Severity, SourceError
from briefgen.source.registry import json_schema, load_registry, registry_of
from briefgen.verify.check import check_paths, load_source

PEOPLE = """\
people:
  - id: knapper
    name: "Marc Knapper"
    aliases: ["Mr. Knapper"]
    links: ["https://www.state.gov/biographies/marc-knapper/"]
    memberships:
      - organisation: "Department of State"
        title: "Director for Japanese Affairs"
        start: 2015-06-01
        end: 2018-07-31
      - organisation: "Department of State"
        title: "Deputy Assistant Secretary"
        start: 2018-08-01
  - id: snyder
    name: "Scott Snyder"
    memberships:
      - organisation: "Council on Foreign Relations"
        title: "Senior Fellow"
"""

# VALID's Knapper and Snyder, named by `person:` alone (the side and presence stay here)
BY_REFERENCE = replace(
    """  - id: knapper
    name: "Marc Knapper"
    title: "Deputy Assistant Secretary"
    affiliation: "Department of State"
    side: us""",
    """  - person: knapper
    side: us""",
)


AUGUST_7 = dt.date(2019, 8, 7)  # the sample's seminar


def _workspace(root: Path, people: str = PEOPLE, source: str = BY_REFERENCE) -> Path:
    """Write people.yaml and one source; return the source's path."""
    (root / "people.yaml").write_text(people, encoding="utf-8")
    return write(root, source)


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI in ``cwd``."""
    command = [sys.executable, "-m", "briefgen", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_a_speaker_named_by_person_takes_the_title_held_on_the_day(tmp_path: Path) -> None:
    path = _workspace(tmp_path)
    source, diagnostics = load_source(path)
    assert source is not None, diagnostics
    knapper = source.briefing.speakers[0]
    assert (knapper.id, knapper.name, knapper.person) == ("knapper", "Marc Knapper", "knapper")
    assert knapper.title == "Deputy Assistant Secretary"  # held from 2018-08-01; event 2019
    assert knapper.affiliation == "Department of State"
    assert knapper.aliases == ["Mr. Knapper"] and knapper.side == "us"
    assert [d for d in diagnostics if d.severity is Severity.ERROR] == []


def test_the_title_held_follows_the_event_date(tmp_path: Path) -> None:
    earlier = replace("date: 2019-08-07", "date: 2017-03-02", BY_REFERENCE)
    source, diagnostics = load_source(_workspace(tmp_path, source=earlier))
    assert source is not None, diagnostics
    assert source.briefing.speakers[0].title == "Director for Japanese Affairs"


def test_a_title_in_the_source_wins_and_check_warns(tmp_path: Path) -> None:
    text = replace(
        "  - person: knapper\n", '  - person: knapper\n    title: "Envoy"\n', BY_REFERENCE
    )
    source, diagnostics = load_source(_workspace(tmp_path, source=text))
    assert source is not None and source.briefing.speakers[0].title == "Envoy"
    [warning] = [d for d in diagnostics if "people.yaml" in d.message]
    assert warning.severity is Severity.WARNING and warning.field == "speakers[0].title"
    assert warning.line == line_of('title: "Envoy"', text)
    assert (
        "'Deputy Assistant Secretary'" in warning.message and "'Envoy' is used" in warning.message
    )


def test_an_unknown_person_is_one_located_error(tmp_path: Path) -> None:
    text = replace("  - person: knapper", "  - person: knaper", BY_REFERENCE)
    source, diagnostics = load_source(_workspace(tmp_path, source=text))
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    assert source is None
    assert [(d.field, d.line) for d in errors] == [("speakers[0].person", line_of("knaper", text))]
    assert "did you mean 'knapper'" in errors[0].message


def test_no_membership_on_the_day_and_no_title_is_an_error(tmp_path: Path) -> None:
    people = PEOPLE.replace(
        "        start: 2018-08-01\n", "        start: 2018-08-01\n        end: 2019-01-01\n"
    )
    source, diagnostics = load_source(_workspace(tmp_path, people=people))
    assert source is None
    [error] = [d for d in diagnostics if d.severity is Severity.ERROR]
    assert error.field == "speakers[0].person" and "no membership" in error.message


def test_a_person_reference_without_a_registry_says_so(tmp_path: Path) -> None:
    path = write(tmp_path, BY_REFERENCE)
    _, diagnostics = load_source(path)
    assert any("the workspace has none" in d.message for d in diagnostics)


BROKEN = """\
people:
  - id: knapper
    nmae: "Marc Knapper"
    memberships: []
  - id: snyder
    name: "Scott Snyder"
    memberships:
      - organisation: "CFR"
        title: "Senior Fellow"
        start: 2012-01-01
        end: 2011-01-01
  - id: snyder
    name: "Someone Else"
"""

OVERLAPPING = """\
people:
  - id: snyder
    name: "Scott Snyder"
    memberships:
      - organisation: "CFR"
        title: "Senior Fellow"
        start: 2012-01-01
      - organisation: "cfr"
        title: "Director"
        start: 2015-01-01
"""


def test_registry_problems_are_located_all_at_once(tmp_path: Path) -> None:
    (tmp_path / "people.yaml").write_text(BROKEN, encoding="utf-8")
    registry = load_registry(tmp_path / "people.yaml")
    assert registry.broken
    assert [(d.line, d.field) for d in registry.diagnostics] == [
        (line_of("nmae", BROKEN), "people[0].nmae")
    ], "a schema error first: the other checks need a valid file"
    assert "did you mean 'name'" in registry.diagnostics[0].message
    fixed = BROKEN.replace("nmae", "name")
    (tmp_path / "people.yaml").write_text(fixed, encoding="utf-8")
    found = {(d.field, d.severity) for d in load_registry(tmp_path / "people.yaml").diagnostics}
    assert found == {
        ("people[1].memberships[0].end", Severity.ERROR),
        ("people[2].id", Severity.ERROR),
    }


def test_overlapping_memberships_of_one_organisation_warn(tmp_path: Path) -> None:
    (tmp_path / "people.yaml").write_text(OVERLAPPING, encoding="utf-8")
    [warning] = load_registry(tmp_path / "people.yaml").diagnostics
    assert warning.severity is Severity.WARNING and warning.field == "people[0].memberships[1]"
    assert warning.line == line_of('organisation: "cfr"', OVERLAPPING)


def test_check_reports_the_registry_and_the_build_refuses_it(tmp_path: Path) -> None:
    path = _workspace(tmp_path)
    build([path], pdf=False)
    page = tmp_path / "output" / "event" / "index.html"
    before = page.read_bytes()
    (tmp_path / "people.yaml").write_text(BROKEN, encoding="utf-8")
    done = _run("check", cwd=tmp_path)
    assert done.returncode == 1
    assert f"people.yaml:{line_of('nmae', BROKEN)}:5: error: people[0].nmae:" in done.stdout
    assert "Traceback" not in done.stderr
    with pytest.raises(SourceError) as raised:
        build([path], pdf=False)
    assert raised.value.diagnostics[0].path.endswith("people.yaml")
    assert page.read_bytes() == before, "the previous output is left as it was"


def test_an_edit_to_the_registry_rebuilds_the_briefing(tmp_path: Path) -> None:
    path = _workspace(tmp_path)
    build([path], pdf=False)
    page = tmp_path / "output" / "event" / "index.html"
    assert "Deputy Assistant Secretary" in page.read_text("utf-8")
    people = PEOPLE.replace('title: "Deputy Assistant Secretary"', 'title: "Principal Deputy"')
    (tmp_path / "people.yaml").write_text(people, encoding="utf-8")
    result = build([path], pdf=False)
    assert result.built == ["event"]
    assert "Principal Deputy" in page.read_text("utf-8")


def test_people_import_writes_a_registry_the_sources_can_use(tmp_path: Path) -> None:
    root = two_event_workspace(tmp_path)
    done = _run("people", "import", cwd=root)
    assert done.returncode == 0, done.stderr
    assert "people from 2 sources" in done.stdout
    registry = registry_of(root)
    assert registry.diagnostics == ()
    knapper = registry.people["knapper"]
    assert knapper.name == "Marc J. Knapper"  # the newest event's
    assert "Marc Knapper" in knapper.aliases
    held = [(m.title, m.start, m.end) for m in knapper.memberships]
    assert held == [
        ("Deputy Assistant Secretary of State for Korea and Japan", AUGUST_7, AUGUST_7),
        ("Acting Deputy Assistant Secretary of State", dt.date(2020, 2, 12), None),
    ]
    again = _run("people", "import", cwd=root)
    assert again.returncode == 2 and "never overwrites" in again.stderr
    later = root / "sources" / f"{LATER}.yaml"
    text = later.read_text("utf-8")
    cut = text[text.index("  - id: knapper") : text.index("    side: united-states")]
    later.write_text(text.replace(cut, "  - person: knapper\n"), encoding="utf-8")
    report = check_paths([root / "sources" / f"{SAMPLE}.yaml", later])
    assert report.errors == [], report.errors
    retitled = next(s for s in report.sources if s.slug == LATER).briefing.speakers[0]
    assert retitled.title == "Acting Deputy Assistant Secretary of State"


def test_the_speaker_page_shows_titles_over_time(tmp_path: Path) -> None:
    root = two_event_workspace(tmp_path)
    build([root / "sources"], pdf=False)
    page = (root / "output" / "speakers" / "knapper.html").read_text("utf-8")
    section = page[
        page.index('id="titles-h"') : page.index("</section>", page.index('id="titles-h"'))
    ]
    assert section.index("Acting Deputy Assistant Secretary") < section.index("for Korea and Japan")
    assert "In the people registry" not in section
    assert _run("people", "import", cwd=root).returncode == 0
    build([root / "sources"], pdf=False)
    page = (root / "output" / "speakers" / "knapper.html").read_text("utf-8")
    assert "In the people registry" in page and "from <time" in page


def test_the_committed_people_schema_is_current() -> None:
    committed = json.loads((REPO / "schema" / "briefgen-people.schema.json").read_text())
    assert committed == json_schema(), (
        "run: briefgen schema --people > schema/briefgen-people.schema.json"
    )
    assert "memberships" in json.dumps(committed)


def test_a_speaker_with_a_registry_id_but_another_name_warns(tmp_path: Path) -> None:
    text = VALID.replace('name: "Scott Snyder"', 'name: "Sam Snyders-Park"')
    source, diagnostics = load_source(_workspace(tmp_path, source=text))
    assert source is not None
    [warning] = [d for d in diagnostics if "people.yaml but" in d.message]
    assert warning.severity is Severity.WARNING and warning.field == "speakers[1].id"
    assert "'snyder' is Scott Snyder in people.yaml but Sam Snyders-Park here" in warning.message
    same, found = load_source(_workspace(tmp_path, source=VALID))
    assert same is not None and not any("people.yaml but" in d.message for d in found)
