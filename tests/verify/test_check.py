"""`briefgen check`: every class of staffer mistake, located; warnings; exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _workspace import VALID, line_of, replace, write
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.verify.check import check_paths


def diagnostics(tmp_path: Path, text: str | bytes, strict: bool = False) -> list[str]:
    """Check one source and return its formatted diagnostics."""
    path = write(tmp_path, text)
    return [d.format() for d in check_paths([path], strict=strict).diagnostics]


def only(tmp_path: Path, text: str | bytes) -> str:
    """Check one source that must have exactly one diagnostic; return it."""
    found = diagnostics(tmp_path, text)
    assert len(found) == 1, found
    return found[0]


def test_valid_source_is_clean(tmp_path: Path) -> None:
    assert diagnostics(tmp_path, VALID) == []


def test_bom_and_crlf_are_fine(tmp_path: Path) -> None:
    text = "\ufeff" + VALID.replace("\n", "\r\n")
    assert diagnostics(tmp_path, text.encode("utf-8")) == []


@pytest.mark.parametrize(
    ("old", "new", "anchor", "message"),
    [
        (
            "    speaker: knapper\n    text:",
            "    speaker: knaper\n    text:",
            "speaker: knaper",
            "error: quotes[0].speaker: unknown speaker 'knaper' (did you mean 'knapper'?)",
        ),
        (
            "  - side: us\n    topic: trust\n",
            "  - side: usa\n    topic: trust\n",
            "side: usa",
            "error: positions[0].side: unknown side 'usa' (did you mean 'us'?)",
        ),
        (
            '    topic: trust\n    stance: "Seoul',
            '    topic: trsut\n    stance: "Seoul',
            "topic: trsut",
            "error: positions[1].topic: unknown topic 'trsut' (did you mean 'trust'?)",
        ),
        (
            "    speaker: snyder\nquotes",
            "    speaker: snider\nquotes",
            "speaker: snider",
            "error: positions[1].speaker: unknown speaker 'snider' (did you mean 'snyder'?)",
        ),
        (
            "sources: [article]",
            "sources: [artcle]",
            "artcle",
            "error: positions[0].sources[0]: unknown source 'artcle' (did you mean 'article'?)",
        ),
        (
            "    source: article",
            "    source: herald",
            "source: herald",
            "error: quotes[0].source: unknown source 'herald'",
        ),
        (
            "    topic: trust\n    source",
            "    topic: trade\n    source",
            "topic: trade",
            "error: quotes[0].topic: unknown topic 'trade'",
        ),
        (
            "    side: analysts\n    present",
            "    side: analyst\n    present",
            "side: analyst",
            "error: speakers[1].side: unknown side 'analyst' (did you mean 'analysts'?)",
        ),
    ],
)
def test_unresolved_references(
    tmp_path: Path, old: str, new: str, anchor: str, message: str
) -> None:
    text = replace(old, new)
    found = only(tmp_path, text)
    assert found.endswith(message)
    assert f"event.yaml:{line_of(anchor, text)}:" in found


def test_unknown_field_suggests_the_right_name(tmp_path: Path) -> None:
    text = replace('    affiliation: "Council', '    afiliation: "Council')
    found = only(tmp_path, text)  # the did-you-mean explains the missing 'affiliation' too
    line = line_of("afiliation", text)
    assert found.endswith(
        f"event.yaml:{line}:5: error: speakers[1].afiliation: unknown field "
        "'afiliation' (did you mean 'affiliation'?)"
    )


def test_unknown_field_without_a_likely_meaning(tmp_path: Path) -> None:
    text = replace('    affiliation: "Council', '    employer: "Council')
    found = diagnostics(tmp_path, text)
    assert any(f.endswith("speakers[1].employer: unknown field 'employer'") for f in found)
    assert any("speakers[1].affiliation: missing required field 'affiliation'" in f for f in found)
    assert len(found) == 2


def test_missing_required_field_points_at_its_mapping(tmp_path: Path) -> None:
    text = replace('  host: "Example Institute"\n', "")
    found = only(tmp_path, text)
    assert found.endswith("error: event.host: missing required field 'host'")
    assert ":2:3:" in found  # the event mapping starts at line 2, column 3


def test_wrong_type(tmp_path: Path) -> None:
    text = replace('topics:\n  - id: trust\n    title: "Bilateral trust"\n', "topics: trust\n")
    found = diagnostics(tmp_path, text)
    assert any(f.endswith("error: topics: expected a list, got str 'trust'") for f in found)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'name: "Scott Snyder"',
            "name: no",
            'speakers[1].name: expected text, but YAML reads no as false; put it in quotes: "no"',
        ),
        (
            'title: "Bilateral trust"',
            "title: 1.10",
            "topics[0].title: expected text, but YAML reads 1.10 as the number 1.1; "
            'put it in quotes: "1.10"',
        ),
        (
            'location: "Washington, D.C."',
            "location: 010",
            "event.location: expected text, but YAML reads 010 as the number 8; "
            'put it in quotes: "010"',
        ),
    ],
)
def test_yaml_11_surprises_in_text_fields(tmp_path: Path, old: str, new: str, message: str) -> None:
    text = replace(old, new)
    found = only(tmp_path, text)
    assert found.endswith("error: " + message)
    assert f":{line_of(new, text)}:" in found


def test_impossible_date(tmp_path: Path) -> None:
    text = replace("date: 2019-08-07", "date: 2019-13-45")
    found = only(tmp_path, text)
    assert (
        f"event.yaml:{line_of('2019-13-45', text)}:9: error: event.date: '2019-13-45' "
        "is not a real date" in found
    )


def test_duplicate_ids(tmp_path: Path) -> None:
    text = replace("  - id: analysts\n", "  - id: us\n")
    found = diagnostics(tmp_path, text)
    assert any("sides[1].id: duplicate id 'us' (also sides[0])" in f for f in found)


def test_duplicate_mapping_key(tmp_path: Path) -> None:
    text = replace(
        '  host: "Example Institute"\n', '  host: "Example Institute"\n  host: "Other"\n'
    )
    found = only(tmp_path, text)
    assert found.endswith("error: event.host: duplicate key 'host' (first given on line 4)")
    assert ":5:3:" in found


def test_anchors_and_aliases_are_refused(tmp_path: Path) -> None:
    text = replace('  summary: "Both sides want calm."', '  summary: &s "Both sides want calm."')
    text = replace('    summary: "Calm words."', "    summary: *s", text)
    found = diagnostics(tmp_path, text)
    assert any("YAML anchor '&s' is not allowed" in f for f in found)
    assert any("YAML alias '*s' is not allowed" in f for f in found)


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{n}: &a{n} [{','.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 12)]
    found = diagnostics(tmp_path, "\n".join(lines) + "\n")
    assert found and all("error" in f for f in found)


def test_python_tags_are_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = replace(
        '  location: "Washington, D.C."',
        f'  location: !!python/object/apply:os.system ["touch {marker}"]',
    )
    found = only(tmp_path, text)
    assert "YAML tag '!!python/object/apply:os.system' is not allowed" in found
    assert not marker.exists()


def test_tab_indentation(tmp_path: Path) -> None:
    text = replace('  host: "Example Institute"', '\thost: "Example Institute"')
    found = only(tmp_path, text)
    assert found.endswith("error: tab character: YAML indentation must use spaces, not tabs")
    assert f":{line_of('host', text)}:1:" in found


def test_syntax_error_has_its_line(tmp_path: Path) -> None:
    text = replace("sources: [article]", "sources: [article")
    found = only(tmp_path, text)
    assert "YAML syntax error" in found
    # reported where the bracket opens, not on the next line where the scanner gave up
    assert f"event.yaml:{line_of('sources: [article', text)}:14:" in found


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"# only a comment\n", "the file is empty"),
        (b"- a list\n", "the top level must be a mapping"),
        (b"just text\n", "the top level must be a mapping"),
        (b'event:\n  title: "caf\xe9"\n', "not valid UTF-8 (byte 0xe9)"),
    ],
)
def test_unusable_files(tmp_path: Path, content: bytes, message: str) -> None:
    found = only(tmp_path, content)
    assert message in found
    assert ":1:" in found or ":2:" in found


def test_evidence_file_outside_workspace(tmp_path: Path) -> None:
    text = replace("file: sources/article.txt", "file: ../../etc/passwd")
    found = only(tmp_path, text)
    assert "sources[0].file: '../../etc/passwd' lies outside the workspace" in found
    assert f"event.yaml:{line_of('../../etc/passwd', text)}:11:" in found


def test_missing_evidence_file(tmp_path: Path) -> None:
    path = write(tmp_path, VALID)
    (tmp_path / "sources" / "article.txt").unlink()
    found = [d.format() for d in check_paths([path]).diagnostics]
    assert len(found) == 1 and "sources[0].file: file 'sources/article.txt' not found" in found[0]


def test_quotes_are_verified_against_the_evidence(tmp_path: Path) -> None:
    text = replace("some soul-searching is in order", "some soul-searching is needed")
    found = only(tmp_path, text)
    assert (
        f"event.yaml:{line_of('soul-searching is needed', text)}:11: warning: quotes[0].text: "
        "quote differs from the source in 1 word" in found
    )
    text = replace("    speaker: knapper\n    text:", "    speaker: snyder\n    text:")
    found = only(tmp_path, text)
    assert "error: quotes[0].text: found, but said by 'knapper', not 'snyder'" in found
    text = replace("some soul-searching is in order", "nothing of the kind")
    found, uncaptured = diagnostics(tmp_path, text)
    assert "error: quotes[0].text: not found in the source" in found
    # The article's quotation of Knapper is now captured by no quote.
    assert "warning: sources[0].file: para 1 quotes knapper" in uncaptured


def test_quote_without_evidence_is_unverifiable(tmp_path: Path) -> None:
    text = replace("    file: sources/article.txt\n", "")
    found = only(tmp_path, text)
    assert "warning: quotes[0].text: unverifiable: source 'article' has no file" in found
    assert "error: quotes[0].text: unverifiable" in diagnostics(tmp_path, text, strict=True)[0]


def test_every_mistake_reported_at_once(tmp_path: Path) -> None:
    text = replace("    speaker: knapper\n    text:", "    speaker: knaper\n    text:")
    text = replace("date: 2019-08-07", "date: 2019-02-30", text)
    text = replace('name: "Scott Snyder"', "name: no", text)
    found = diagnostics(tmp_path, text)
    assert len(found) == 3, found
    assert [int(f.split(":")[1]) for f in found] == sorted(int(f.split(":")[1]) for f in found)


def test_warnings_and_strict(tmp_path: Path) -> None:
    text = replace('    summary: "Leadership is lacking."', '    summary: ""')
    text = replace(
        '  - side: analysts\n    topic: trust\n    stance: "Seoul lacks leadership."\n'
        "    speaker: snyder\n",
        "",
        text,
    )
    text = replace("topics:\n", 'topics:\n  - id: gsomia\n    title: "GSOMIA"\n', text)
    found = diagnostics(tmp_path, text)
    assert all(": warning: " in f for f in found), found
    messages = " | ".join(found)
    assert "sides[1].id: this side states no position" in messages
    assert "topics[0].id: this topic has no side's position" in messages
    assert "speakers[1].id: present speaker has no quote, position or transcript turn" in messages
    assert "sides[1].summary: empty summary of this side's view" in messages
    strict = diagnostics(tmp_path, text, strict=True)
    assert len(strict) == len(found) and all(": error: " in f for f in strict)


def invoke(*args: str, cwd: Path | None = None) -> tuple[int, str]:
    """Run the CLI in-process and return (exit code, output)."""
    runner = CliRunner()
    if cwd is None:
        result = runner.invoke(main, list(args))
    else:
        with runner.isolated_filesystem(temp_dir=cwd):
            result = runner.invoke(main, list(args))
    return result.exit_code, result.output


def test_exit_codes(tmp_path: Path) -> None:
    good = write(tmp_path, VALID, "good")
    bad = write(tmp_path, replace("date: 2019-08-07", "date: soon"), "bad")
    assert invoke("check", str(good))[0] == 0
    code, output = invoke("check", str(bad))
    assert code == 1 and "event.date" in output
    assert invoke("check", str(tmp_path / "missing.yaml"))[0] == 2
    assert invoke("check", "--no-such-option", str(good))[0] == 2


def test_check_folder_reports_all_files(tmp_path: Path) -> None:
    write(tmp_path, replace("date: 2019-08-07", "date: soon"), "one")
    write(tmp_path, replace("    source: article", "    source: nowhere"), "two")
    code, output = invoke("check", str(tmp_path / "sources"))
    assert code == 1
    assert "one.yaml:" in output and "two.yaml:" in output


def test_json_format(tmp_path: Path) -> None:
    bad = write(tmp_path, replace("    source: article", "    source: nowhere"))
    code, output = invoke("check", "--format", "json", str(bad))
    assert code == 1
    data = json.loads(output)
    assert data == [
        {
            "path": data[0]["path"],
            "line": line_of(
                "source: nowhere", VALID.replace("    source: article", "    source: nowhere")
            ),
            "column": 13,
            "severity": "error",
            "field": "quotes[0].source",
            "message": "unknown source 'nowhere'",
        }
    ]
    assert data[0]["path"].endswith("event.yaml")


def test_file_name_must_be_a_slug(tmp_path: Path) -> None:
    path = write(tmp_path, VALID, "My Event")
    found = [d.format() for d in check_paths([path]).diagnostics]
    assert any("file name 'My Event' must be a slug" in f for f in found)


def test_default_path_is_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, VALID)
    monkeypatch.chdir(tmp_path)
    assert invoke("check") == (0, "checked 1 source: 0 errors, 0 warnings\n")
    monkeypatch.chdir(tmp_path / "sources")
    code, output = invoke("check")
    assert code == 2 and "no sources/ folder" in output


def test_stray_colon_in_a_value_says_to_quote_it(tmp_path: Path) -> None:
    text = replace('  title: "Seminar on trade"', "  title: Seminar: on trade")
    found = only(tmp_path, text)
    assert found.endswith("a value containing ': ' must be put in quotes")
    assert "event.yaml:2:17: error: YAML syntax error" in found


def test_date_not_written_as_iso(tmp_path: Path) -> None:
    found = only(tmp_path, replace("date: 2019-08-07", "date: 2019-08-7"))
    assert found.endswith(
        "event.date: '2019-08-7' is not a date; write it as YYYY-MM-DD, e.g. 2019-08-07"
    )


def test_unknown_key_with_brackets_is_located(tmp_path: Path) -> None:
    text = replace("quotes:", "q[uotes:")
    found = diagnostics(tmp_path, text)
    assert any("q[uotes: unknown field 'q[uotes' (did you mean 'quotes'?)" in f for f in found)


def test_quotes_are_verified_even_when_there_are_warnings(tmp_path: Path) -> None:
    text = replace('    summary: "Calm words."', '    summary: ""')
    text = replace("some soul-searching is in order", "nothing of the kind", text)
    found = diagnostics(tmp_path, text)
    assert any("warning: sides[0].summary: empty summary" in f for f in found)
    assert any("error: quotes[0].text: not found in the source" in f for f in found)
