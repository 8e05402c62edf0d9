"""The command line around check: schema, new, version, help, and start-up cost."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from _workspace import REPO
from click.testing import CliRunner

from briefgen import __version__
from briefgen.cli import main
from briefgen.source.model import json_schema
from briefgen.verify.check import check_paths

SAMPLE = REPO / "sources" / "korea-japan-trade-2019.yaml"


def test_sample_is_clean_even_under_strict() -> None:
    report = check_paths([SAMPLE], strict=True)
    assert [d.format() for d in report.diagnostics] == []
    assert report.sources[0].slug == "korea-japan-trade-2019"


def test_schema_command_prints_the_models_schema() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output) == json_schema()


def test_committed_schema_file_is_current() -> None:
    committed = json.loads((REPO / "schema" / "briefgen-source.schema.json").read_text())
    assert committed == json_schema(), "run: briefgen schema > schema/briefgen-source.schema.json"


def test_schema_validates_the_sample_and_rejects_a_typo() -> None:
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["event"]["date"] = data["event"]["date"].isoformat()
    for position in data["positions"]:
        position["as_of"] = position["as_of"].isoformat()
    for source in data["sources"]:
        if "date" in source:
            source["date"] = source["date"].isoformat()
    for quote in data["quotes"]:
        if "said" in quote:
            quote["said"]["date"] = quote["said"]["date"].isoformat()
    validator = jsonschema.Draft202012Validator(json_schema())
    assert list(validator.iter_errors(data)) == []
    data["speakers"][0]["afiliation"] = "x"
    assert list(validator.iter_errors(data))


def test_new_writes_a_skeleton_that_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["new", "hearing-2026"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "sources" / "hearing-2026.yaml"
    report = check_paths([path])
    assert report.errors == [] and report.sources
    assert all(d.severity.value == "warning" for d in report.diagnostics)
    before = path.read_bytes()
    again = runner.invoke(main, ["new", "hearing-2026"])
    assert again.exit_code == 2 and "already exists" in again.output
    assert path.read_bytes() == before
    assert runner.invoke(main, ["new", "Bad Slug"]).exit_code == 2


def test_version_and_module_entry_point() -> None:
    assert (
        CliRunner().invoke(main, ["--version"]).output.strip() == f"briefgen, version {__version__}"
    )
    out = subprocess.run(
        [sys.executable, "-m", "briefgen", "--version"], capture_output=True, text=True, check=True
    )
    assert __version__ in out.stdout


def test_the_process_ends_with_the_commands_status_and_all_its_output(tmp_path: Path) -> None:
    """run() ends the process without the interpreter's teardown: nothing may be lost."""
    source = tmp_path / "sources" / "bad.yaml"
    source.parent.mkdir()
    source.write_text("event:\n  title: [\n", encoding="utf-8")
    command = [sys.executable, "-m", "briefgen", "check", str(source)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 1
    assert "bad.yaml:" in done.stdout and ": error: " in done.stdout
    usage = subprocess.run([*command[:4], "no-such-file"], capture_output=True, text=True)
    assert usage.returncode == 2 and "does not exist" in usage.stderr


def test_every_command_has_help() -> None:
    for name, command in main.commands.items():
        assert command.help and command.help.strip(), name
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output


def test_check_never_imports_weasyprint() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from briefgen.cli import main\n"
        f"r = CliRunner().invoke(main, ['check', {str(SAMPLE)!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "print('weasyprint' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_diff_command_exit_codes_and_formats(tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    new = tmp_path / "new.yaml"
    text = SAMPLE.read_text(encoding="utf-8")
    old.write_text(text, encoding="utf-8")
    new.write_text(text.replace("should reflect on", "must reconsider"), encoding="utf-8")
    runner = CliRunner()
    same = runner.invoke(main, ["diff", str(old), str(old)])
    assert same.exit_code == 0 and "No changes in meaning." in same.output
    changed = runner.invoke(main, ["diff", str(old), str(new)])
    assert changed.exit_code == 1
    assert "United States on Political leadership and bilateral trust" in changed.output
    data = json.loads(runner.invoke(main, ["diff", "--format", "json", str(old), str(new)]).output)
    assert [c["kind"] for c in data[str(new)]] == ["position-changed"]
    assert runner.invoke(main, ["diff", str(old)]).exit_code == 2
    assert runner.invoke(main, ["diff", str(old), str(tmp_path / "gone.yaml")]).exit_code == 2


def test_import_writes_a_checkable_source_and_never_overwrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    vtt = REPO / "tests" / "fixtures" / "transcripts" / "seminar.vtt"
    runner = CliRunner()
    result = runner.invoke(main, ["import", str(vtt), "--slug", "seminar"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "sources" / "seminar.yaml"
    report = check_paths([path])
    assert report.errors == [] and report.sources[0].briefing.transcript
    before = path.read_bytes()
    again = runner.invoke(main, ["import", str(vtt), "--slug", "seminar"])
    assert again.exit_code == 2 and "already exists" in again.output
    assert path.read_bytes() == before
    bad = runner.invoke(
        main, ["import", str(REPO / "tests" / "fixtures" / "transcripts" / "prose.txt")]
    )
    assert bad.exit_code == 1 and "not a transcript" in bad.output
    assert sorted(p.name for p in (tmp_path / "sources").iterdir()) == ["seminar.yaml"]


def test_build_command_reports_located_errors_and_keeps_output(tmp_path: Path) -> None:
    from _workspace import VALID, replace, write

    source = write(tmp_path, VALID)
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(main, ["build", "--no-pdf", "-o", str(out), str(source)])
    assert result.exit_code == 0, result.output
    page = out / "event" / "index.html"
    before = page.read_bytes()
    assert not (out / "event" / "event.pdf").exists()
    source.write_text(replace("    source: article", "    source: nowhere"), encoding="utf-8")
    failed = runner.invoke(main, ["build", "--no-pdf", "-o", str(out), str(source)])
    assert failed.exit_code == 1
    assert (
        "event.yaml:" in failed.output
        and "quotes[0].source: unknown source 'nowhere'" in failed.output
    )
    assert "Traceback" not in failed.output
    assert page.read_bytes() == before
