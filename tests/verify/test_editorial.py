"""Editorial checks: copied evidence, marks around unsaid words, uncaptured quotes, key quotes."""

from __future__ import annotations

from pathlib import Path

from _workspace import VALID, line_of, replace

from briefgen.verify.check import check_paths

# A report of the event, written for these tests: a headline, five body paragraphs (two of
# which quote Knapper directly) and a cut-off byline that is not a paragraph.
REPORT = """\
Envoy urges allies to mend ties

Marc Knapper told the seminar that both allies should look again at the choices that hurt them.

“We believe that some soul-searching is in order,” Knapper said.

The envoy spoke for an hour about the long shadow of history over the region and its trade.

“We stand ready to help both sides find a path back to talks,” Knapper added.

Scott Snyder said the Moon administration lacked leadership on the issue.

By Jane Roe
"""


def warnings(tmp_path: Path, text: str, report: str = REPORT) -> list[str]:
    """Check a source citing ``report``; return its diagnostics, formatted."""
    folder = tmp_path / "sources"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "article.txt").write_text(report, encoding="utf-8")
    path = folder / "event.yaml"
    path.write_text(text, encoding="utf-8")
    return [d.format().replace(f"{tmp_path}/", "") for d in check_paths([path]).diagnostics]


# Capture the second quotation, so the baseline is clean.
CAPTURED = replace(
    "sources:\n",
    "  - speaker: knapper\n"
    '    text: "We stand ready to help both sides find a path back to talks"\n'
    "    source: article\n"
    '    locator: "para 4"\n'
    "sources:\n",
)


def test_baseline_is_clean(tmp_path: Path) -> None:
    assert warnings(tmp_path, CAPTURED) == []


def test_copied_evidence_without_marks_is_located(tmp_path: Path) -> None:
    copied = "He spoke about the long shadow of history over the region and its trade."
    text = replace('summary: "Both sides want calm."', f'summary: "{copied}"', CAPTURED)
    [found] = warnings(tmp_path, text)
    line = line_of('summary: "He spoke', text)
    assert found.startswith(f"sources/event.yaml:{line}:12: warning: event.summary: ")
    assert '"about the long shadow of history over the region and its trade"' in found
    assert "The Korea Herald (article), para 3" in found


def test_the_same_words_in_quotation_marks_are_fine(tmp_path: Path) -> None:
    marked = 'He spoke of \\"the long shadow of history over the region and its trade\\".'
    text = replace('summary: "Both sides want calm."', f'summary: "{marked}"', CAPTURED)
    assert warnings(tmp_path, text) == []


def test_seven_words_in_common_are_not_copying(tmp_path: Path) -> None:
    own = "Both spoke of the long shadow of history, and of little else."
    text = replace('summary: "Both sides want calm."', f'summary: "{own}"', CAPTURED)
    assert warnings(tmp_path, text) == []


def test_paraphrase_in_quotation_marks_is_located(tmp_path: Path) -> None:
    text = replace(
        'stance: "Seoul lacks leadership."',
        "stance: 'Snyder said Seoul \"shows no leadership at all\".'",
        CAPTURED,
    )
    [found] = warnings(tmp_path, text)
    line = line_of("stance: 'Snyder", text)
    assert found.startswith(f"sources/event.yaml:{line}:13: warning: positions[1].stance: ")
    assert '"shows no leadership at all" is in quotation marks but is not in the evidence' in found


def test_quotation_with_an_elision_checks_each_part(tmp_path: Path) -> None:
    stance = "stance: 'Knapper: \"We stand ready ... back to talks\".'"
    text = replace('stance: "Seoul lacks leadership."', stance, CAPTURED)
    assert warnings(tmp_path, text) == []


def test_uncaptured_quotation_in_the_report_is_located_at_the_source(tmp_path: Path) -> None:
    [found] = warnings(tmp_path, VALID)
    line = line_of("    file: sources/article.txt", VALID)
    assert found.startswith(f"sources/event.yaml:{line}:11: warning: sources[0].file: ")
    quotation = '"We stand ready to help both sides find a path back to talks"'
    assert f"para 4 quotes knapper: {quotation}, which no quote captures" in found
    assert "quotes_complete: false" in found


def test_quotes_complete_false_silences_uncaptured_quotations(tmp_path: Path) -> None:
    text = replace(
        "    file: sources/article.txt\n",
        "    file: sources/article.txt\n    quotes_complete: false\n",
    )
    assert warnings(tmp_path, text) == []


def test_locator_naming_another_paragraph_is_located(tmp_path: Path) -> None:
    text = replace('locator: "para 4"', 'locator: "para 5"', CAPTURED)
    [found] = warnings(tmp_path, text)
    line = line_of('locator: "para 5"', text)
    assert found == (
        f"sources/event.yaml:{line}:14: warning: quotes[1].locator: says para 5, but the quote "
        "verified in para 4 of its evidence"
    )


def test_a_fourth_key_quote_is_an_error(tmp_path: Path) -> None:
    keyed = CAPTURED.replace("    source: article\n", "    key: true\n    source: article\n")
    extra = "".join(
        f'  - speaker: knapper\n    text: "{words}"\n    key: true\n    source: article\n'
        for words in ("We believe that", "soul-searching is in order")
    )
    text = keyed.replace("sources:\n", extra + "sources:\n", 1)
    [found] = warnings(tmp_path, text)
    line = text[: text.rindex("key: true")].count("\n") + 1
    assert found == (
        f"sources/event.yaml:{line}:10: error: quotes[3].key: at most 3 quotes can be key "
        "(the memo shows them); this is key quote 4"
    )


def test_a_long_position_summary_is_warned(tmp_path: Path) -> None:
    long = " ".join(["word"] * 21)
    text = replace(
        '    stance: "Seoul lacks leadership."\n',
        f'    stance: "Seoul lacks leadership."\n    summary: "{long}"\n',
        CAPTURED,
    )
    [found] = warnings(tmp_path, text)
    assert "warning: positions[1].summary: is 21 words; a table cell holds about 20" in found


def test_warnings_become_errors_under_strict(tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "article.txt").write_text(REPORT, encoding="utf-8")
    (folder / "event.yaml").write_text(VALID, encoding="utf-8")
    report = check_paths([folder / "event.yaml"], strict=True)
    assert [d.severity.value for d in report.diagnostics] == ["error"]
