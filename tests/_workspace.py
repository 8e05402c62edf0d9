"""Small workspaces for tests: a valid source and ways to break it."""

from __future__ import annotations

from pathlib import Path

VALID = """\
event:
  title: "Seminar on trade"
  date: 2019-08-07
  host: "Example Institute"
  location: "Washington, D.C."
  summary: "Both sides want calm."
sides:
  - id: us
    name: "United States"
    summary: "Calm words."
  - id: analysts
    name: "Analysts"
    summary: "Leadership is lacking."
speakers:
  - id: knapper
    name: "Marc Knapper"
    title: "Deputy Assistant Secretary"
    affiliation: "Department of State"
    side: us
    present: true
  - id: snyder
    name: "Scott Snyder"
    title: "Senior Fellow"
    affiliation: "Council on Foreign Relations"
    side: analysts
    present: true
topics:
  - id: trust
    title: "Bilateral trust"
positions:
  - side: us
    topic: trust
    stance: "Both should do some soul-searching."
    speaker: knapper
    sources: [article]
  - side: analysts
    topic: trust
    stance: "Seoul lacks leadership."
    speaker: snyder
quotes:
  - id: soul-searching
    speaker: knapper
    text: "We believe that some soul-searching is in order"
    topic: trust
    source: article
sources:
  - id: article
    kind: article
    title: "Soul-searching needed"
    publisher: "The Korea Herald"
    file: sources/article.txt
"""

ARTICLE = """\
Soul-searching needed

“We believe that some soul-searching is in order about political decisions,” Marc Knapper said.

Scott Snyder said the Moon administration lacked leadership.
"""


def write(root: Path, text: str | bytes, name: str = "event") -> Path:
    """Write a source file (and the evidence it cites) into ``root/sources``; return its path."""
    folder = root / "sources"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "article.txt").write_text(ARTICLE, encoding="utf-8")
    path = folder / f"{name}.yaml"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def replace(old: str, new: str, text: str = VALID) -> str:
    """Return ``text`` with one occurrence of ``old`` replaced; fail if it is absent."""
    assert old in text, old
    return text.replace(old, new, 1)


def line_of(snippet: str, text: str) -> int:
    """Return the 1-based line on which ``snippet`` first occurs."""
    return text[: text.index(snippet)].count("\n") + 1
