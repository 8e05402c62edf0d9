"""Charts: who spoke how much (per briefing), stances over time (topics), events (people).

Each figure's numbers are computed here again from the source, independently of the build.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from _browser import WCAG_TAGS
from _workspace import LATER, VALID, two_event_workspace, write

from briefgen.build import build

TRANSCRIPT = """\
transcript:
  - speaker: knapper
    text: "Thank you all for coming this morning to talk about trust."
    time: "00:00:10"
  - speaker: snyder
    text: "Seoul lacks *leadership* on this file, and Tokyo knows it."
    time: "00:01:05"
  - speaker: knapper
    text: "We believe that some soul-searching is in order."
    time: "00:02:30"
  - speaker: snyder
    text: "Agreed."
    time: "00:03:00"
"""


def _words_by_speaker(source: dict[str, Any]) -> dict[str, int]:
    """Count each speaker's words in the transcript: whitespace-separated, emphasis dropped."""
    names = {s["id"]: s["name"] for s in source["speakers"]}
    found: dict[str, int] = {}
    for turn in source["transcript"]:
        name = names[turn["speaker"]]
        found[name] = found.get(name, 0) + len(turn["text"].replace("*", "").split())
    return found


def _table(figure: str) -> dict[str, str]:
    """Return a chart table's rows: first cell to second."""
    return dict(re.findall(r'<th scope="row">([^<]*)</th><td>([^<]*)</td>', figure))


def _figure(page: str, ident: str) -> str:
    """Return one figure of a page by id."""
    start = page.index(f'<figure class="chart" id="{ident}"')
    return page[start : page.index("</figure>", start)]


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """Build one event with a four-turn transcript (web pages and the PDF)."""
    root = tmp_path_factory.mktemp("spoken")
    text = VALID + TRANSCRIPT
    write(root, text)
    build([root / "sources"], pdf=True)
    return root / "output", yaml.safe_load(text)


def test_the_words_per_speaker_and_side_are_right(spoken: tuple[Path, dict[str, Any]]) -> None:
    out, source = spoken
    page = (out / "event" / "index.html").read_text("utf-8")
    counts = _words_by_speaker(source)
    assert counts == {"Marc Knapper": 19, "Scott Snyder": 11}  # the test's own count
    figure = _figure(page, "event-words-speakers")
    assert _table(figure) == {name: str(n) for name, n in counts.items()}
    sides = _table(_figure(page, "event-words-sides"))
    assert sides == {"United States": "19", "Analysts": "11"}
    bars = re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"', figure)
    widths = [float(w) for w in bars]
    assert len(widths) == 2
    assert widths[0] == max(widths) and abs(widths[1] / widths[0] - 11 / 19) < 0.01
    assert "30 words in 4 turns; Marc Knapper spoke most, 19 words (63%)." in figure


def test_a_chart_has_a_title_a_description_and_a_table(spoken: tuple[Path, dict[str, Any]]) -> None:
    out, _ = spoken
    figure = _figure((out / "event" / "index.html").read_text("utf-8"), "event-words-sides")
    assert 'role="img" aria-labelledby="event-words-sides-t event-words-sides-d"' in figure
    assert (
        '<title id="event-words-sides-t">' in figure and '<desc id="event-words-sides-d">' in figure
    )
    assert "<caption>Words spoken in the transcript, by side</caption>" in figure
    assert "<script" not in figure


def test_the_pdf_shows_the_chart(spoken: tuple[Path, dict[str, Any]]) -> None:
    out, _ = spoken
    text = subprocess.run(
        ["pdftotext", "-layout", str(out / "event" / "event.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Who spoke, and how much" in text
    assert "30 words in 4 turns" in text and "By side: United States 63%; Analysts 37%." in text


def test_the_briefing_with_charts_has_no_axe_violations(
    spoken: tuple[Path, dict[str, Any]], browser: Any, axe: Any
) -> None:
    out, _ = spoken
    page = browser.new_page(viewport={"width": 390, "height": 900})
    try:
        page.goto((out / "event" / "index.html").as_uri())
        result = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        box = page.evaluate(
            "() => document.querySelector('.chart-svg').getBoundingClientRect().width"
        )
    finally:
        page.close()
    assert result.violations_count == 0, result.generate_report()
    assert 300 < box <= 390, "the chart fits a phone's column"


def test_a_topic_timeline_marks_every_stance(tmp_path: Path) -> None:
    root = two_event_workspace(tmp_path)
    build([root / "sources"], pdf=False)
    page = (root / "output" / "topics" / "bilateral-trust.html").read_text("utf-8")
    figure = _figure(page, "timeline-bilateral-trust")
    stances = re.findall(r'<li class="(?:earlier|current)">', page)
    assert figure.count("<circle") == len(stances) >= 3
    later = yaml.safe_load((root / "sources" / f"{LATER}.yaml").read_text("utf-8"))
    history = later["positions"][0]["history"][0]
    assert f"<title>{history['as_of'].isoformat()}, United States government:" in figure
    assert "(earlier stance)" in figure


def test_a_speaker_timeline_marks_each_event_with_the_title(tmp_path: Path) -> None:
    root = two_event_workspace(tmp_path)
    build([root / "sources"], pdf=False)
    page = (root / "output" / "speakers" / "knapper.html").read_text("utf-8")
    figure = _figure(page, "timeline-knapper")
    assert figure.count("<circle") == 2
    rows = re.findall(r'<th scope="row">([^<]*)</th><td>.*?</td><td>([^<]*)</td>', figure)
    assert [row for row, _ in rows] == ["Title 1", "Title 2"]
    assert "as Deputy Assistant Secretary of State for Korea and Japan" in rows[0][1]
    assert "as Acting Deputy Assistant Secretary of State" in rows[1][1]
    assert "title 2: Acting Deputy Assistant Secretary of State, U.S. Department of State" in figure
