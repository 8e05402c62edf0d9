"""Small workspaces for tests: a valid source and ways to break it."""

from __future__ import annotations

import shutil
from pathlib import Path

from briefgen.source.config import load_config

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
SAMPLE_MARKING = "INTERNAL — NOT FOR DISTRIBUTION"
SAMPLE_CONFIG = f"organisation: Example Institute\nmarking: {SAMPLE_MARKING}\n"

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


# VALID cut down: one speaker (the analysts have no voice and no position), a quote with
# neither id nor topic, and no evidence file.
SMALL = (
    VALID.replace(VALID[VALID.index("  - id: snyder") : VALID.index("topics:")], "")
    .replace(
        VALID[VALID.index('    stance: "Both should do') : VALID.index("quotes:")],
        '    stance: "Both should reflect."\n    speaker: knapper\n',
    )
    .replace("  - id: soul-searching\n    speaker", "  - speaker")
    .replace("    topic: trust\n    source: article", "    source: article")
    .replace("    file: sources/article.txt\n", "")
)

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


SAMPLE = "korea-japan-trade-2019"


LATER = "alliance-talks-2020"


CONFIG = "organisation: Example Policy Institute\nmarking: UNCLASSIFIED\n"


# A later event that shares ids with the sample: the same person (renamed and retitled),
# the same sides (one renamed) and topics (one retitled), a position with history, and a
# transcript that the quote is verified against.
LATER_SOURCE = """\
event:
  title: "Panel on the US–Japan–Korea alliance"
  date: 2020-02-12
  host: "Example Institute"
  location: "Washington, D.C."
  format: "panel"
  summary: "Washington still asks both allies for restraint. Seoul ties GSOMIA to the export rules."
sides:
  - id: united-states
    name: "United States government"
    summary: "Keeps asking both allies for calm."
  - id: south-korea
    name: "South Korea"
    summary: "Links the pact to Japan's export rules."
speakers:
  - id: knapper
    name: "Marc J. Knapper"
    title: "Acting Deputy Assistant Secretary of State"
    affiliation: "U.S. Department of State"
    side: united-states
    present: true
  - id: moon
    name: "Moon Jae-in"
    title: "President of South Korea"
    affiliation: "Government of the Republic of Korea"
    side: south-korea
    present: false
topics:
  - id: bilateral-trust
    title: "Bilateral trust"
  - id: trilateral-security
    title: "Trilateral security cooperation"
positions:
  - side: united-states
    topic: bilateral-trust
    speaker: knapper
    as_of: 2020-02-12
    stance: "Both allies should keep talking; the US sees progress since the summer."
    history:
      - stance: "Both governments should reflect on the decisions that damaged trust."
        as_of: 2019-08-07
        speaker: knapper
  - side: south-korea
    topic: trilateral-security
    stance: "Seoul suspended its notice to end GSOMIA, conditionally."
    as_of: 2019-11-22
quotes:
  - id: keep-talking
    speaker: knapper
    text: "We encourage both capitals to keep talking"
    topic: bilateral-trust
    source: panel-transcript
sources:
  - id: panel-transcript
    kind: transcript
    title: "Panel transcript"
    publisher: "Example Institute"
    date: 2020-02-13
transcript:
  - speaker: knapper
    text: "We encourage both capitals to keep talking, and we see real progress since the summer."
    time: "00:01:10"
"""


def two_event_workspace(root: Path, config: str = CONFIG) -> Path:
    """Write the sample (with its article) and the later event into ``root``; return it."""
    (root / "sources").mkdir(parents=True)
    for suffix in (".yaml", ".article.txt"):
        shutil.copy(REPO / "sources" / f"{SAMPLE}{suffix}", root / "sources")
    (root / "sources" / f"{LATER}.yaml").write_text(LATER_SOURCE, encoding="utf-8")
    (root / "briefgen.yaml").write_text(config, encoding="utf-8")
    return root


def sample_workspace(root: Path) -> Path:
    """Copy the repository's sample source, its article and a briefgen.yaml into ``root``."""
    (root / "sources").mkdir(parents=True)
    for suffix in (".yaml", ".article.txt"):
        shutil.copy(REPO / "sources" / f"{SAMPLE}{suffix}", root / "sources")
    config = REPO / "briefgen.yaml"
    (root / "briefgen.yaml").write_text(config.read_text() if config.is_file() else SAMPLE_CONFIG)
    if load_config(root).marking is None:
        append(root / "briefgen.yaml", f"\nmarking: {SAMPLE_MARKING}\n")
    return root


def append(path: Path, text: str) -> None:
    """Add text to the end of a file."""
    path.write_text(path.read_text() + text)
