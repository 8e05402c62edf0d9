"""briefgen.yaml: defaults, a full file, and every kind of mistake located to its line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from _workspace import REPO

from briefgen.errors import ConfigError
from briefgen.source.config import Config, load_config

FULL = """\
organisation: "Example Policy Institute"
logo: "art/logo.png"
marking: "UNCLASSIFIED"
paper: a4
date_format: "%d %B %Y"
language: en-GB
base_url: "https://briefings.example.org/"
outputs:
  html: true
  pdf: false
"""


def write(root: Path, text: str) -> Path:
    """Write briefgen.yaml into ``root``."""
    path = root / "briefgen.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(root: Path) -> ConfigError:
    """Load the configuration, expecting a ConfigError."""
    with pytest.raises(ConfigError) as caught:
        load_config(root)
    return caught.value


def test_defaults_without_a_file(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config == Config()
    assert (config.organisation, config.logo, config.marking) == (None, None, None)
    assert config.paper == "letter"
    assert config.date_format == "%-d %B %Y"
    assert config.language == "en"
    assert config.base_url is None
    assert config.outputs.html and config.outputs.pdf


def test_a_file_of_comments_only_means_defaults(tmp_path: Path) -> None:
    write(tmp_path, "# nothing set yet\n\n")
    assert load_config(tmp_path) == Config()


def test_a_full_valid_file(tmp_path: Path) -> None:
    (tmp_path / "art").mkdir()
    (tmp_path / "art" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    write(tmp_path, FULL)
    config = load_config(tmp_path)
    assert config.organisation == "Example Policy Institute"
    assert config.logo_path(tmp_path) == (tmp_path / "art" / "logo.png").resolve()
    assert config.marking == "UNCLASSIFIED"
    assert config.paper == "a4"
    assert config.language == "en-GB"
    assert config.base_url == "https://briefings.example.org/"
    assert config.outputs.html is True and config.outputs.pdf is False
    assert config.format_date(dt.date(2019, 8, 7)) == "07 August 2019"


def test_the_repository_example_configuration_is_valid() -> None:
    root = REPO
    assert load_config(root).paper in ("letter", "a4")


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    write(tmp_path, 'organisation: "X"\npapr: a4\n')
    (problem,) = error_of(tmp_path).diagnostics
    assert (problem.line, problem.column) == (2, 1)
    assert "unknown field 'papr'" in problem.message
    assert "did you mean 'paper'?" in problem.message
    assert problem.format().startswith(f"{problem.path}:2:1: error:")


def test_unknown_nested_key(tmp_path: Path) -> None:
    write(tmp_path, "outputs:\n  html: true\n  pfd: false\n")
    (problem,) = error_of(tmp_path).diagnostics
    assert problem.line == 3
    assert "did you mean 'pdf'?" in problem.message


def test_wrong_paper_value(tmp_path: Path) -> None:
    write(tmp_path, 'organisation: "X"\n\npaper: legal\n')
    (problem,) = error_of(tmp_path).diagnostics
    assert problem.line == 3
    assert problem.field == "paper"
    assert "letter" in problem.message and "a4" in problem.message


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    write(tmp_path, "paper: legal\nlanguage: 'not a language'\nmarking: 12\n")
    lines = sorted(d.line for d in error_of(tmp_path).diagnostics)
    assert lines == [1, 2, 3]


def test_text_field_given_a_number(tmp_path: Path) -> None:
    write(tmp_path, "organisation: 1984\n")
    (problem,) = error_of(tmp_path).diagnostics
    assert problem.line == 1
    assert 'put it in quotes: "1984"' in problem.message


@pytest.mark.parametrize(
    ("logo", "expected"),
    [
        ("../outside.png", "outside the workspace"),
        ("/etc/passwd", "outside the workspace"),
        ("missing.png", "does not exist"),
        ("notes.txt", "not a .png, .jpg or .svg image"),
    ],
)
def test_bad_logo(tmp_path: Path, logo: str, expected: str) -> None:
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (tmp_path / "outside.png").write_bytes(b"\x89PNG")
    (workspace / "notes.txt").write_text("x")
    write(workspace, f'organisation: "X"\nmarking: "INTERNAL"\nlogo: "{logo}"\n')
    (problem,) = error_of(workspace).diagnostics
    assert problem.line == 3
    assert problem.field == "logo"
    assert expected in problem.message


def test_logo_through_a_symlink_out_of_the_workspace(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (tmp_path / "secret.png").write_bytes(b"\x89PNG")
    (workspace / "logo.png").symlink_to(tmp_path / "secret.png")
    write(workspace, "logo: logo.png\n")
    (problem,) = error_of(workspace).diagnostics
    assert "outside the workspace" in problem.message


def test_bad_date_format_and_base_url(tmp_path: Path) -> None:
    write(tmp_path, "date_format: 'dd/mm/yyyy'\nbase_url: 'ftp://example.org'\n")
    problems = {d.field: d for d in error_of(tmp_path).diagnostics}
    assert problems["date_format"].line == 1
    assert "not a date format" in problems["date_format"].message
    assert problems["base_url"].line == 2


def test_marking_must_be_one_line(tmp_path: Path) -> None:
    write(tmp_path, 'marking: "SECRET\\nNOFORN"\n')
    (problem,) = error_of(tmp_path).diagnostics
    assert problem.field == "marking"


def test_outputs_take_true_or_false_only(tmp_path: Path) -> None:
    write(tmp_path, "outputs:\n  html: 'yes'\n")
    (problem,) = error_of(tmp_path).diagnostics
    assert (problem.line, problem.field) == (2, "outputs.html")


def test_yaml_syntax_error_is_a_config_error(tmp_path: Path) -> None:
    write(tmp_path, "organisation: [unclosed\n")
    problem = error_of(tmp_path).diagnostics[0]
    assert problem.path.endswith("briefgen.yaml")
    assert "YAML syntax error" in problem.message


def test_duplicate_keys_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "paper: a4\npaper: letter\n")
    (problem,) = error_of(tmp_path).diagnostics
    assert problem.line == 2
    assert "duplicate key" in problem.message
