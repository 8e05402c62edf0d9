"""Exports other tools read: Akoma Ntoso debates (lxml), CSL-JSON (citeproc-py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml
from _workspace import LATER, SAMPLE, two_event_workspace
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from lxml import etree

from briefgen.export.csl import csl_type

AKN = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"
HOSTILE_TURN = """\
  - speaker: moon
    text: "Seoul will <b>not</b> accept & will not \\"wait\\" ]]> for Tokyo.\\n\\nA second one."
    time: "00:02:00"
"""


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """Run the CLI in ``cwd``; standard output as bytes."""
    command = [sys.executable, "-m", "briefgen", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, timeout=300)


def _workspace(tmp_path: Path) -> Path:
    """Two events; the later one's transcript gets a second speaker with hostile text."""
    root = two_event_workspace(tmp_path)
    later = root / "sources" / f"{LATER}.yaml"
    later.write_text(later.read_text("utf-8") + HOSTILE_TURN, encoding="utf-8")
    return root


def test_a_transcript_exports_as_an_akoma_ntoso_debate(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    done = _run("export", "akn", LATER, cwd=root)
    assert done.returncode == 0, done.stderr
    document = etree.fromstring(done.stdout)  # well-formed, or this raises
    assert document.tag == f"{AKN}akomaNtoso"
    [debate] = document.findall(f"{AKN}debate")
    work = debate.find(f"{AKN}meta/{AKN}identification/{AKN}FRBRWork")
    assert work is not None
    assert work.find(f"{AKN}FRBRdate").get("date") == "2020-02-12"
    for level in ("FRBRExpression", "FRBRManifestation"):
        assert debate.find(f"{AKN}meta/{AKN}identification/{AKN}{level}/{AKN}FRBRthis") is not None
    people = {p.get("eId"): p.get("showAs") for p in debate.iter(f"{AKN}TLCPerson")}
    assert people == {"knapper": "Marc J. Knapper", "moon": "Moon Jae-in"}
    speeches = debate.findall(f"{AKN}debateBody/{AKN}debateSection/{AKN}speech")
    source = yaml.safe_load((root / "sources" / f"{LATER}.yaml").read_text("utf-8"))
    assert len(speeches) == len(source["transcript"])
    for speech, turn in zip(speeches, source["transcript"], strict=True):
        assert speech.get("by") == f"#{turn['speaker']}" and speech.get("by")[1:] in people
        assert speech.find(f"{AKN}from").text == people[turn["speaker"]]
    paragraphs = [p.text for p in speeches[1].findall(f"{AKN}p")]
    # Markdown's raw HTML is taken out, as on the pages; the rest is escaped, never markup
    assert paragraphs == ['Seoul will not accept & will not "wait" ]]> for Tokyo.', "A second one."]
    assert b"<b>" not in done.stdout and b"&amp;" in done.stdout


def test_a_source_without_a_transcript_is_refused_in_a_line(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    done = _run("export", "akn", SAMPLE, cwd=root)
    assert done.returncode == 2
    assert b"has no transcript" in done.stderr and b"Traceback" not in done.stderr


def test_the_sources_export_as_csl_json_that_citeproc_reads(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    done = _run("export", "csl", "-o", "refs.json", cwd=root)
    assert done.returncode == 0, done.stderr
    items = json.loads((root / "refs.json").read_text("utf-8"))
    cited = [
        (slug, s)
        for slug in sorted((SAMPLE, LATER))  # as the files are listed
        for s in yaml.safe_load((root / "sources" / f"{slug}.yaml").read_text("utf-8"))["sources"]
    ]
    assert [item["id"] for item in items] == [f"{slug}/{s['id']}" for slug, s in cited]
    for item, (_, s) in zip(items, cited, strict=True):
        assert item["title"] == s["title"] and item["type"] == csl_type(s["kind"])
        if s.get("date"):
            day = s["date"]
            assert item["issued"] == {"date-parts": [[day.year, day.month, day.day]]}
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = "\n".join(str(entry) for entry in bibliography.bibliography())
    for _, s in cited:
        assert s["title"] in rendered
