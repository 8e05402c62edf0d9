"""A source removed from the workspace takes its pages, PDFs and search entries with it."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

from _workspace import REPO, sample_workspace
from click.testing import CliRunner

from briefgen.build import build
from briefgen.cli import main

SAMPLE = "korea-japan-trade-2019"


def test_a_removed_source_leaves_nothing_behind(tmp_path: Path) -> None:
    root = sample_workspace(tmp_path)
    second = root / "sources" / "second-event.yaml"
    shutil.copy(REPO / "sources" / f"{SAMPLE}.yaml", second)
    build([root / "sources"], pdf=True)
    out = root / "output"
    assert (out / "second-event" / "second-event.pdf").is_file()
    second.unlink()
    result = CliRunner().invoke(main, ["build", str(root / "sources")])
    assert result.exit_code == 0, result.output
    assert "unchanged 1, failed 0, removed 1 in" in result.output
    assert not (out / "second-event").exists()
    assert (out / SAMPLE / f"{SAMPLE}.pdf").is_file()
    manifest = json.loads((out / ".briefgen" / "manifest.json").read_text())
    assert "second-event" not in json.dumps(manifest)
    for page in [*out.glob("*.html"), *out.glob("*/*.html"), out / "feed.xml"]:
        assert "second-event" not in page.read_text(encoding="utf-8"), page
    shards = (out / "pagefind").rglob("*.json")
    assert not any("second-event" in p.read_text(encoding="utf-8") for p in shards)


def test_building_one_file_removes_nothing_else(tmp_path: Path) -> None:
    root = sample_workspace(tmp_path)
    second = root / "sources" / "second-event.yaml"
    shutil.copy(REPO / "sources" / f"{SAMPLE}.yaml", second)
    build([root / "sources"], pdf=False)
    result = build([second], pdf=False)
    assert result.removed == []
    assert (root / "output" / SAMPLE / "index.html").is_file()


def test_a_planted_manifest_is_ignored_and_deletes_nothing(tmp_path: Path) -> None:
    root = sample_workspace(tmp_path)
    build([root / "sources"], pdf=False)
    path = root / "output" / ".briefgen" / "manifest.json"
    manifest = json.loads(path.read_text())
    planted = json.loads(json.dumps(manifest["briefings"][SAMPLE]))
    for group in planted["made"].values():
        group["files"] = [f"{SAMPLE}/index.html", "index.html", "../outside.txt"]
    manifest["briefings"]["planted"] = planted
    path.write_text(json.dumps(manifest))  # its seal no longer matches what it says
    (root / "outside.txt").write_text("keep me")
    result = build([root / "sources"], pdf=False)
    assert result.removed == []
    assert result.built == [SAMPLE], "an untrusted manifest saves no work: all is rebuilt"
    assert (root / "output" / SAMPLE / "index.html").is_file()
    assert (root / "output" / "index.html").is_file()
    assert (root / "outside.txt").read_text() == "keep me"
    assert "planted" not in json.loads(path.read_text())["briefings"]


def test_a_sealed_entry_removes_only_its_own_folders_files(tmp_path: Path) -> None:
    """Even a manifest this user's build wrote cannot lead removal out of a briefing's folder."""
    from briefgen.build.manifest import Made, read_manifest

    root = sample_workspace(tmp_path)
    build([root / "sources"], pdf=False)
    out = root / "output"
    manifest = read_manifest(out)
    entry = manifest.briefings[SAMPLE]
    files = (f"{SAMPLE}/index.html", "index.html", "../outside.txt")
    made = {group: Made(m.key, files) for group, m in entry.made.items()}
    manifest.briefings["planted"] = dataclasses.replace(entry, made=made)
    (out / ".briefgen" / "manifest.json").write_bytes(manifest.dumps())
    (root / "outside.txt").write_text("keep me")
    result = build([root / "sources"], pdf=False)
    assert result.removed == ["planted"]
    assert (out / SAMPLE / "index.html").is_file() and (out / "index.html").is_file()
    assert (root / "outside.txt").read_text() == "keep me"


def test_a_file_changed_since_the_build_wrote_it_is_not_removed(tmp_path: Path) -> None:
    root = sample_workspace(tmp_path)
    second = root / "sources" / "second-event.yaml"
    shutil.copy(REPO / "sources" / f"{SAMPLE}.yaml", second)
    build([root / "sources"], pdf=False)
    out = root / "output"
    mine = out / "second-event" / "memo.html"
    notes = "<!DOCTYPE html><html lang=en><title>Notes</title><body><p>My own notes</p></body>"
    mine.write_text(notes, encoding="utf-8")
    second.unlink()
    result = build([root / "sources"], pdf=False)
    assert result.removed == ["second-event"]
    assert mine.read_text(encoding="utf-8") == notes
    assert not (out / "second-event" / "index.html").exists()
