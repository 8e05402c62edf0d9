"""Semantic diffs of sources: matching by meaning, plain-English summaries, git revisions."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import _workspace
import pytest

from briefgen.diff.changes import Change, Changes, as_json, format_text
from briefgen.diff.compare import diff_briefings, diff_files, diff_since, load_briefing_bytes
from briefgen.errors import SourceError, UsageError
from briefgen.source.history import read_at_revision

# The shared valid source without its evidence file: diffs read no files. REORDERED below
# restates BASE by hand, so a change to _workspace.VALID must be made there too.
VALID = _workspace.VALID.replace("    file: sources/article.txt\n", "")
EXTRA = """\
  - speaker: snyder
    text: "Seoul doesn't lead, and Tokyo won't wait"
    source: article
takeaways:
  - "Watch the GSOMIA deadline."
  - "Expect no summit soon."
"""
BASE = VALID.replace("sources:\n", EXTRA.split("takeaways:")[0] + "sources:\n", 1)
BASE += "takeaways:" + EXTRA.split("takeaways:")[1]

# BASE with every list reordered, keys shuffled, quoting styles changed, Markdown
# reflowed and typographic apostrophes: the same meaning, so no change.
REORDERED = """\
takeaways:
  - Expect no summit soon.
  - 'Watch the GSOMIA deadline.'
event:
  date: 2019-08-07
  title: Seminar on trade
  host: 'Example Institute'
  location: "Washington, D.C."
  summary: >-
    Both sides
      want   calm.
sides:
  - id: analysts
    summary: |
      Leadership is
      lacking.
    name: Analysts
  - id: us
    name: United States
    summary: Calm words.
speakers:
  - id: snyder
    name: Scott Snyder
    title: Senior Fellow
    affiliation: Council on Foreign Relations
    side: analysts
    present: true
  - id: knapper
    name: "Marc Knapper"
    title: "Deputy Assistant Secretary"
    affiliation: "Department of State"
    side: us
    present: true
topics:
  - {id: trust, title: Bilateral trust}
positions:
  - side: analysts
    topic: trust
    stance: Seoul lacks leadership.
    speaker: snyder
  - topic: trust
    side: us
    stance: >
      Both should do
      some soul-searching.
    speaker: knapper
    sources:
      - article
quotes:
  - speaker: snyder
    text: "Seoul doesn’t lead, and Tokyo won’t wait"
    source: article
  - id: soul-searching
    speaker: knapper
    text: We believe that some soul-searching is in order
    topic: trust
    source: article
sources:
  - id: article
    kind: article
    title: Soul-searching needed
    publisher: The Korea Herald
"""

UPDATED_STANCE = """\
    stance: "Tokyo must lift the export controls first."
    as_of: 2019-09-12
    history:
      - stance: "Both should do some soul-searching."
        as_of: 2019-08-07
"""


def replace(old: str, new: str, text: str = VALID) -> str:
    """Return ``text`` with one occurrence of ``old`` replaced; fail if it is absent."""
    assert old in text, old
    return text.replace(old, new, 1)


def diff_texts(tmp_path: Path, old: str, new: str) -> Changes:
    """Write two versions of a source and compare them through the files."""
    (tmp_path / "old.yaml").write_text(old, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(new, encoding="utf-8")
    return diff_files(tmp_path / "old.yaml", tmp_path / "new.yaml")


def only(changes: Changes) -> Change:
    """Return the one change in ``changes``."""
    assert len(changes.changes) == 1, changes.changes
    return changes.changes[0]


def test_identical_sources_have_no_changes(tmp_path: Path) -> None:
    changes = diff_texts(tmp_path, BASE, BASE)
    assert not changes
    assert changes.changes == []


def test_reordering_reflowing_and_requoting_is_no_change(tmp_path: Path) -> None:
    assert load_briefing_bytes(REORDERED.encode(), "r") != load_briefing_bytes(BASE.encode(), "b")
    changes = diff_texts(tmp_path, BASE, REORDERED)
    assert not changes, [c.summary for c in changes]


def test_stance_moved_into_history_is_a_change_with_dates(tmp_path: Path) -> None:
    new = replace('    stance: "Both should do some soul-searching."\n', UPDATED_STANCE, BASE)
    change = only(diff_texts(tmp_path, BASE, new))
    assert change.kind == "position-changed"
    assert change.subject == "position:us/trust"
    assert (change.side, change.topic) == ("us", "trust")
    assert change.old == "Both should do some soul-searching."
    assert change.new == "Tokyo must lift the export controls first."
    assert change.summary == (
        'United States on Bilateral trust: as of 12 September 2019, now "Tokyo must lift the'
        ' export controls first." (was "Both should do some soul-searching.",'
        " as of 7 August 2019)."
    )


def test_stance_edited_in_place_names_old_and_new(tmp_path: Path) -> None:
    new = replace("Seoul lacks leadership.", "Seoul *still* lacks [leadership](https://x.org).")
    change = only(diff_texts(tmp_path, VALID, new))
    assert change.summary == (
        'Analysts on Bilateral trust: now "Seoul still lacks leadership."'
        ' (was "Seoul lacks leadership.").'
    )


def test_rewritten_history_is_reported(tmp_path: Path) -> None:
    old = replace('    stance: "Both should do some soul-searching."\n', UPDATED_STANCE, BASE)
    new = replace("        as_of: 2019-08-07", "        as_of: 2019-08-01", old)
    change = only(diff_texts(tmp_path, old, new))
    assert change.kind == "position-changed"
    assert change.summary == "United States on Bilateral trust: earlier stances revised."


def test_restated_stance_with_new_date(tmp_path: Path) -> None:
    new = replace(
        "    speaker: snyder\nquotes:", "    speaker: knapper\n    as_of: 2019-09-01\nquotes:"
    )
    change = only(diff_texts(tmp_path, VALID, new))
    assert change.summary == (
        "Analysts on Bilateral trust: stance unchanged, now as of 1 September 2019"
        " (was undated); now voiced by Marc Knapper (was Scott Snyder)."
    )


def test_position_added_and_removed(tmp_path: Path) -> None:
    old = replace("  - side: analysts\n    topic: trust\n", "  - side: analysts\n    topic: gone\n")
    old = replace("topics:\n", "topics:\n  - id: gone\n    title: Gone topic\n", old)
    changes = diff_texts(tmp_path, old, VALID).by_subject()
    assert changes["position:analysts/trust"].kind == "position-added"
    assert changes["position:analysts/trust"].summary == (
        'Analysts on Bilateral trust: new position: "Seoul lacks leadership.".'
    )
    assert changes["position:analysts/gone"].kind == "position-removed"
    assert changes["position:analysts/gone"].summary == (
        'Analysts on Gone topic: position removed (was "Seoul lacks leadership.").'
    )
    assert changes["topic:gone"].summary == "Topic removed: Gone topic."


def test_removed_quote(tmp_path: Path) -> None:
    new = BASE.replace(EXTRA.split("takeaways:")[0], "")
    change = only(diff_texts(tmp_path, BASE, new))
    assert change.kind == "quote-removed"
    assert change.summary == (
        "Quote from Scott Snyder removed: \"Seoul doesn't lead, and Tokyo won't wait\"."
    )
    assert change.old == "Seoul doesn't lead, and Tokyo won't wait"
    assert change.side == "analysts"


def test_added_quote_without_id(tmp_path: Path) -> None:
    new = BASE.replace(EXTRA.split("takeaways:")[0], "")
    change = only(diff_texts(tmp_path, new, BASE))
    assert change.kind == "quote-added"
    assert change.subject == "quote:seoul-doesn-t-lead-and-tokyo-won-t"
    assert change.new == "Seoul doesn't lead, and Tokyo won't wait"
    assert change.summary.startswith('New quote from Scott Snyder: "Seoul doesn')


def test_reattributed_quote_names_both_speakers(tmp_path: Path) -> None:
    before = "  - speaker: snyder\n    text: \"Seoul doesn't"
    new = replace(before, '  - speaker: knapper\n    text: "Seoul doesn’t', BASE)
    change = only(diff_texts(tmp_path, BASE, new))
    assert change.kind == "quote-reattributed"
    assert (change.old, change.new) == ("Scott Snyder", "Marc Knapper")
    assert change.summary == (
        'Quote "Seoul doesn’t lead, and Tokyo won\'t wait": re-attributed from Scott Snyder'
        " to Marc Knapper."
    )


def test_quote_with_same_id_and_new_text_is_changed(tmp_path: Path) -> None:
    new = replace("some soul-searching is in order", "soul-searching is needed on both sides")
    change = only(diff_texts(tmp_path, VALID, new))
    assert change.kind == "quote-changed"
    assert change.subject == "quote:soul-searching"
    assert change.summary == (
        'Quote from Marc Knapper: now reads "We believe that soul-searching is needed on both'
        ' sides" (was "We believe that some soul-searching is in order").'
    )


def test_renamed_speaker_title(tmp_path: Path) -> None:
    new = replace('title: "Deputy Assistant Secretary"', 'title: "Assistant Secretary"')
    change = only(diff_texts(tmp_path, VALID, new))
    assert change.kind == "speaker-retitled"
    assert change.subject == "speaker:knapper"
    assert change.old == "Deputy Assistant Secretary, Department of State"
    assert change.new == "Assistant Secretary, Department of State"
    assert change.summary == (
        "Marc Knapper: now Assistant Secretary, Department of State"
        " (was Deputy Assistant Secretary, Department of State)."
    )


def test_speaker_added_and_removed(tmp_path: Path) -> None:
    extra = (
        "  - id: tatsumi\n    name: Yuki Tatsumi\n    title: Senior Fellow\n"
        "    affiliation: Stimson Center\n    present: false\n"
    )
    new = replace("topics:\n", extra + "topics:\n")
    assert only(diff_texts(tmp_path, VALID, new)).summary == (
        "New speaker: Yuki Tatsumi, Senior Fellow, Stimson Center."
    )
    change = only(diff_texts(tmp_path, new, VALID))
    assert (change.kind, change.subject) == ("speaker-removed", "speaker:tatsumi")


def test_side_summary_change(tmp_path: Path) -> None:
    new = replace('summary: "Calm words."', 'summary: "Firm words."')
    change = only(diff_texts(tmp_path, VALID, new))
    assert change.kind == "side-summary-changed"
    assert change.side == "us"
    assert change.summary == 'Summary for United States: now "Firm words." (was "Calm words.").'


def test_bottom_line_change(tmp_path: Path) -> None:
    new = replace('summary: "Both sides want calm."', 'summary: "Calm has **run out**."')
    change = only(diff_texts(tmp_path, VALID, new))
    assert (change.kind, change.subject) == ("summary-changed", "summary")
    assert change.summary == 'Bottom line: now "Calm has run out." (was "Both sides want calm.").'


def test_event_details_and_takeaways(tmp_path: Path) -> None:
    new = replace("date: 2019-08-07", "date: 2019-08-08", BASE)
    new = replace('  - "Expect no summit soon."\n', "  - Ask about GSOMIA.\n", new)
    changes = diff_texts(tmp_path, BASE, new).by_subject()
    assert changes["event:date"].summary == "Event date: now 8 August 2019 (was 7 August 2019)."
    assert changes["takeaways"].summary == (
        'Takeaways: added "Ask about GSOMIA."; removed "Expect no summit soon.".'
    )
    assert len(changes) == 2


def test_format_text_is_readable(tmp_path: Path) -> None:
    new = replace('    stance: "Both should do some soul-searching."\n', UPDATED_STANCE)
    new = replace('title: "Senior Fellow"', 'title: "Senior Vice President"', new)
    new = replace('summary: "Both sides want calm."', 'summary: "Calm is over."', new)
    text = format_text(diff_texts(tmp_path, VALID, new), title="Seminar on trade")
    assert text == (
        "What changed: Seminar on trade\n"
        "\n"
        "Bottom line and event\n"
        '- Bottom line: now "Calm is over." (was "Both sides want calm.").\n'
        "\n"
        "Positions\n"
        '- United States on Bilateral trust: as of 12 September 2019, now "Tokyo must lift the'
        ' export controls first." (was "Both should do some soul-searching.",'
        " as of 7 August 2019).\n"
        "\n"
        "Speakers\n"
        "- Scott Snyder: now Senior Vice President, Council on Foreign Relations"
        " (was Senior Fellow, Council on Foreign Relations).\n"
    )


def test_format_text_when_nothing_changed(tmp_path: Path) -> None:
    text = format_text(diff_texts(tmp_path, VALID, VALID))
    assert text == "What changed\n\nNo changes in meaning.\n"


def test_as_json_round_trips(tmp_path: Path) -> None:
    new = replace('title: "Deputy Assistant Secretary"', 'title: "Assistant Secretary"')
    new = replace("Seoul lacks leadership.", "Seoul lacks a plan.", new)
    changes = diff_texts(tmp_path, VALID, new)
    data = json.loads(as_json(changes))
    assert [Change(**item) for item in data] == changes.changes
    assert data[0]["subject"] == "position:analysts/trust"
    assert set(data[0]) == {"kind", "subject", "summary", "old", "new", "side", "topic", "label"}


def test_invalid_source_raises_located_source_error() -> None:
    bad = replace('  title: "Seminar on trade"\n', "")
    with pytest.raises(SourceError) as caught:
        load_briefing_bytes(bad.encode(), "bad.yaml")
    assert [d.format() for d in caught.value.diagnostics] == [
        "bad.yaml:2:3: error: event.title: missing required field 'title'"
    ]


def test_duplicate_ids_are_refused() -> None:
    dup = replace("  - id: analysts\n", "  - id: us\n")
    with pytest.raises(SourceError, match="duplicate id 'us'"):
        load_briefing_bytes(dup.encode(), "dup.yaml")


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "old.yaml").write_text(VALID, encoding="utf-8")
    with pytest.raises(UsageError, match=r"nope\.yaml: no such file"):
        diff_files(tmp_path / "old.yaml", tmp_path / "nope.yaml")


def test_diff_briefings_directly() -> None:
    old = load_briefing_bytes(VALID.encode(), "a")
    new = load_briefing_bytes(replace("Calm words.", "Calmer words.").encode(), "b")
    assert only(diff_briefings(old, new)).subject == "side-summary:us"


# --- git mode ---------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository with one committed source, isolated from any user config."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    root = tmp_path / "repo"
    (root / "sources").mkdir(parents=True)
    git(root, "init", "-q")
    (root / "sources" / "event.yaml").write_text(VALID, encoding="utf-8")
    git(root, "add", "sources/event.yaml")
    git(root, "commit", "-q", "-m", "first")
    return root


def git(root: Path, *args: str) -> str:
    """Run git in ``root`` and return its output."""
    identity = ["-c", "user.name=Test", "-c", "user.email=test@example.org"]
    done = subprocess.run(
        ["git", *identity, *args], cwd=root, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_diff_since_reports_an_edit_and_touches_nothing(repo: Path) -> None:
    source = repo / "sources" / "event.yaml"
    edited = replace('title: "Deputy Assistant Secretary"', 'title: "Assistant Secretary"')
    source.write_text(edited, encoding="utf-8")
    status = git(repo, "status", "--porcelain")
    index = (repo / ".git" / "index").read_bytes()
    results = diff_since("HEAD", [source])
    assert [(path, only(changes).kind) for path, changes in results] == [
        (source, "speaker-retitled")
    ]
    assert source.read_text(encoding="utf-8") == edited
    assert (repo / ".git" / "index").read_bytes() == index
    assert git(repo, "status", "--porcelain") == status == " M sources/event.yaml\n"


def test_read_at_revision_returns_committed_bytes(repo: Path) -> None:
    source = repo / "sources" / "event.yaml"
    source.write_text("changed", encoding="utf-8")
    assert read_at_revision(source, "HEAD") == VALID.encode()


def test_diff_since_walks_folders_and_new_files(repo: Path) -> None:
    (repo / "sources" / "fresh.yaml").write_text(VALID, encoding="utf-8")
    results = dict(diff_since("HEAD", [repo / "sources"]))
    assert not results[repo / "sources" / "event.yaml"]
    fresh = results[repo / "sources" / "fresh.yaml"]
    kinds = {c.kind for c in fresh}
    assert {"summary-changed", "side-added", "speaker-added", "position-added"} <= kinds
    assert {"quote-added", "topic-added", "source-added"} <= kinds
    assert not any(k.endswith(("removed", "retitled")) for k in kinds)


def test_file_deleted_since_revision_is_all_removed(repo: Path) -> None:
    source = repo / "sources" / "event.yaml"
    source.unlink()
    [(_, changes)] = diff_since("HEAD", [source])
    assert changes.by_subject()["position:us/trust"].kind == "position-removed"
    assert changes.by_subject()["speaker:knapper"].kind == "speaker-removed"


def test_unknown_revision(repo: Path) -> None:
    with pytest.raises(UsageError, match="unknown revision 'no-such-tag'"):
        diff_since("no-such-tag", [repo / "sources" / "event.yaml"])
    with pytest.raises(UsageError, match="unknown revision '--all'"):
        read_at_revision(repo / "sources" / "event.yaml", "--all")


def test_file_missing_at_revision(repo: Path) -> None:
    fresh = repo / "sources" / "fresh.yaml"
    fresh.write_text(VALID, encoding="utf-8")
    with pytest.raises(UsageError, match=r"fresh\.yaml did not exist at HEAD"):
        read_at_revision(fresh, "HEAD")


def test_missing_everywhere_is_a_usage_error(repo: Path) -> None:
    with pytest.raises(UsageError, match=r"ghost\.yaml: no such file"):
        diff_since("HEAD", [repo / "sources" / "ghost.yaml"])


def test_not_a_repository(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "plain" / "event.yaml"
    outside.parent.mkdir()
    outside.write_text(VALID, encoding="utf-8")
    with pytest.raises(UsageError, match="is not in a git repository"):
        diff_since("HEAD", [outside])
