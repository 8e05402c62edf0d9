"""Hostile and unlucky input: unclosed quotes and brackets, control characters, bad file names."""

from __future__ import annotations

from pathlib import Path

import pytest
from _workspace import SMALL, VALID, line_of, replace, write
from click.testing import CliRunner

from briefgen.build import build
from briefgen.cli import main
from briefgen.errors import SourceError
from briefgen.verify.check import check_paths


def found(tmp_path: Path, text: str, name: str = "event") -> list[str]:
    """Check one source; return its diagnostics with the folder left out."""
    path = write(tmp_path, text, name)
    return [d.format().replace(f"{tmp_path}/", "") for d in check_paths([path]).diagnostics]


@pytest.mark.parametrize(
    ("old", "new", "column", "context"),
    [
        ('title: "Seminar on trade"', 'title: "Seminar on trade', 10, "quoted"),
        ('    text: "We believe', "    text: 'We believe", 11, "quoted"),
        ("topics:\n", "tags: [one, two\ntopics:\n", 7, "flow sequence"),
        ("topics:\n", "tags: {one: 1\ntopics:\n", 7, "flow mapping"),
    ],
)
def test_an_unclosed_quote_or_bracket_is_reported_where_it_opens(
    tmp_path: Path, old: str, new: str, column: int, context: str
) -> None:
    text = replace(old, new)
    (diagnostic,) = found(tmp_path, text)
    line = line_of(new.split("\n")[0], text)
    assert diagnostic.startswith(f"sources/event.yaml:{line}:{column}: error: "), diagnostic
    assert context in diagnostic


@pytest.mark.parametrize("escape", ["\\u0001", "\\0", "\\e", "\\uffff", "\\x7f", "\\u0085"])
def test_control_characters_in_text_are_located_errors(tmp_path: Path, escape: str) -> None:
    text = replace('summary: "Both sides want calm."', f'summary: "Both sides {escape} want calm."')
    (diagnostic,) = found(tmp_path, text)
    line = line_of('summary: "Both sides', text)
    assert diagnostic.startswith(f"sources/event.yaml:{line}:12: error: event.summary: control")


def test_tabs_and_line_breaks_stay_allowed(tmp_path: Path) -> None:
    text = replace('summary: "Both sides want calm."', 'summary: "Both sides\\twant\\ncalm."')
    assert found(tmp_path, text) == []


def test_a_control_character_in_the_configuration_is_refused(tmp_path: Path) -> None:
    write(tmp_path, VALID)
    (tmp_path / "briefgen.yaml").write_text('organisation: "Example\\u0007 Institute"\n')
    with pytest.raises(Exception) as raised:
        build([tmp_path / "sources"], pdf=False)
    assert "briefgen.yaml:1:15: error: organisation: control character U+0007" in str(raised.value)


def test_a_file_name_that_is_not_a_slug_is_refused_and_poisons_nothing(tmp_path: Path) -> None:
    good = write(tmp_path, VALID)
    bad = tmp_path / "sources" / "event2\n.yaml"
    bad.write_text(VALID, encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        build([tmp_path / "sources"], pdf=False)
    assert "must be a slug" in str(raised.value) and "'event2\\n'" in str(raised.value)
    bad.unlink()
    result = build([tmp_path / "sources"], pdf=False)
    assert result.built == [good.stem]
    again = build([tmp_path / "sources"], pdf=False, force=True)
    assert again.built == [good.stem]


@pytest.mark.parametrize("name", ["speakers", "topics", "sides", "books", "assets", "pagefind"])
def test_reserved_slugs_are_refused_by_check_and_build_alike(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, VALID, name)
    result = CliRunner().invoke(main, ["check", str(path)])
    refused = f"'{name}' is the name of a folder of the site; rename the source file"
    assert result.exit_code == 1 and refused in result.output
    with pytest.raises(SourceError, match="is the name of a folder of the site"):
        build([path], pdf=False)


def test_check_validates_the_configuration_as_build_does(tmp_path: Path) -> None:
    path = write(tmp_path, VALID)
    (tmp_path / "briefgen.yaml").write_text("organisation: Example\npaper: tabloid\n")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1, result.output
    assert "briefgen.yaml:2:8: error: paper:" in result.output
    with pytest.raises(SourceError):
        build([path], pdf=False)


def test_a_source_linked_from_another_workspace_builds_here(tmp_path: Path) -> None:
    here, there = tmp_path / "here", tmp_path / "there"
    for root, name in ((here, "Here Institute"), (there, "There Institute")):
        (root / "sources").mkdir(parents=True)
        (root / "briefgen.yaml").write_text(f'organisation: "{name}"\n')
        (root / "sources" / "article.txt").write_text("Marc Knapper said so.\n")
    (there / "sources" / "event.yaml").write_text(SMALL, encoding="utf-8")
    (here / "sources" / "event.yaml").symlink_to(there / "sources" / "event.yaml")
    build([here / "sources"], pdf=False)
    page = (here / "output" / "event" / "index.html").read_text(encoding="utf-8")
    assert "Here Institute" in page and "There Institute" not in page
    assert not (there / "output").exists()  # nothing written into the other workspace
