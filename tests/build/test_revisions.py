"""Revision numbers, snapshots and the "Changes since revision N-1" box."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from _workspace import VALID, replace, write

from briefgen.build import build
from briefgen.build.seal import unsealed_text
from briefgen.errors import SourceError

EDITED = replace("Both should do some soul-searching.", "Both must stop the quarrel now.")


def page(out: Path) -> str:
    """Return the built briefing page."""
    return (out / "event" / "index.html").read_text(encoding="utf-8")


def run(source: Path, out: Path, **options: object) -> None:
    """Build the one source into ``out`` (web pages only unless asked)."""
    build([source], out, pdf=bool(options.pop("pdf", False)), **options)  # type: ignore[arg-type]


def test_first_build_is_revision_one_without_a_box(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(write(tmp_path, VALID), out)
    html = page(out)
    assert "Revision 1 · updated" in html and 'id="changes"' not in html
    record = json.loads((out / ".briefgen/revisions/event.json").read_text())
    assert record["number"] == 1
    snapshot = (out / ".briefgen/revisions/event/1.yaml").read_bytes()
    assert unsealed_text(snapshot) == VALID.encode(), "the snapshot is the source, sealed"


def test_an_edit_starts_revision_two_with_the_change_listed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    source = write(tmp_path, VALID)
    run(source, out)
    run(source, out)
    assert "Revision 1 ·" in page(out) and 'id="changes"' not in page(out)
    source.write_text(EDITED, encoding="utf-8")
    run(source, out)
    html = page(out)
    assert "Revision 2 · updated" in html
    box = html[html.index('id="changes"') : html.index("</section>", html.index('id="changes"'))]
    assert "Changes since revision 1" in box
    assert "United States on Bilateral trust" in box
    assert "now: Both must stop the quarrel now." in box
    assert "Previously: Both should do some soul-searching." in box
    assert "&#34;Both must" not in box and "“Both must" not in box  # paraphrase is never quoted
    assert html.index('id="bottom-line"') < html.index('id="changes"') < html.index('id="sides"')
    assert 'class="position changed" id="position-us-trust"' in html
    assert "Changed in revision 2" in html


def test_reformatting_starts_no_revision_and_keeps_the_box(tmp_path: Path) -> None:
    out = tmp_path / "out"
    source = write(tmp_path, VALID)
    run(source, out)
    source.write_text(EDITED, encoding="utf-8")
    run(source, out)
    source.write_text(
        EDITED.replace('"Both must stop the quarrel now."', "'Both must stop the quarrel now.'"),
        encoding="utf-8",
    )
    run(source, out)
    html = page(out)
    assert "Revision 2 ·" in html and "Changes since revision 1" in html
    assert not (out / ".briefgen/revisions/event/3.yaml").exists()


def test_a_failed_build_records_no_revision(tmp_path: Path) -> None:
    out = tmp_path / "out"
    source = write(tmp_path, VALID)
    run(source, out)
    source.write_text(
        replace("    source: article", "    source: nowhere", EDITED), encoding="utf-8"
    )
    with pytest.raises(SourceError):
        run(source, out)
    assert json.loads((out / ".briefgen/revisions/event.json").read_text())["number"] == 1
    assert not (out / ".briefgen/revisions/event/2.yaml").exists()


def test_the_pdf_carries_the_box(tmp_path: Path) -> None:
    out = tmp_path / "out"
    source = write(tmp_path, VALID)
    run(source, out)
    source.write_text(EDITED, encoding="utf-8")
    run(source, out, pdf=True)
    text = subprocess.run(
        ["pdftotext", str(out / "event" / "event.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "CHANGESSINCEREVISION1" in "".join(text.upper().split())  # letter-spaced heading
    assert "Both must stop the quarrel now." in " ".join(text.split())


def test_since_takes_the_comparison_from_git(tmp_path: Path) -> None:
    source = write(tmp_path, VALID)
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "first"], check=True)
    source.write_text(EDITED, encoding="utf-8")
    out = tmp_path / "out"
    run(source, out, since="HEAD")
    html = page(out)
    assert "Changes since HEAD" in html and "Both must stop the quarrel now." in html
    status = subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True)
    assert status.stdout.splitlines() == [" M sources/event.yaml", "?? out/"]


def test_a_draft_build_shows_the_next_revision_but_records_none(tmp_path: Path) -> None:
    out = tmp_path / "out"
    source = write(tmp_path, VALID)
    run(source, out)
    source.write_text(EDITED, encoding="utf-8")
    run(source, out, draft=True)
    run(source, out, draft=True)
    assert "Revision 2 ·" in page(out) and "Changes since revision 1" in page(out)
    assert json.loads((out / ".briefgen/revisions/event.json").read_text())["number"] == 1
    assert not (out / ".briefgen/revisions/event/2.yaml").exists()
    run(source, out)  # the real build after previewing records the revision
    assert json.loads((out / ".briefgen/revisions/event.json").read_text())["number"] == 2
    assert "Revision 2 ·" in page(out) and "Changes since revision 1" in page(out)
