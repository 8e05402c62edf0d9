"""Word files: opened with python-docx, converted by LibreOffice, the same bytes every build."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest
import yaml
from _pages import squashed
from _workspace import REPO, sample_workspace
from click.testing import CliRunner

from briefgen.build import build
from briefgen.cli import main
from briefgen.source.config import load_config

SAMPLE = "korea-japan-trade-2019"
EPOCH = "1565170200"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample built with Word files and no PDFs; return its briefing folder."""
    root = sample_workspace(tmp_path_factory.mktemp("word"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build([root / "sources"], pdf=False, docx=True)
    return root / "output" / SAMPLE


def source() -> dict:  # type: ignore[type-arg]
    """The sample as data."""
    return yaml.safe_load((REPO / "sources" / f"{SAMPLE}.yaml").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_the_full_brief_uses_real_word_styles(built: Path) -> None:
    document = docx.Document(str(built / f"{SAMPLE}.docx"))
    styles = [p.style.name for p in document.paragraphs]
    for style in ("Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "List Number"):
        assert style in styles, style
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:4] == ["Bottom line", "Takeaways", "Questions to ask", "Where the sides stand"]
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert len(quotes) == len(source()["quotes"])  # each quote once
    (table,) = document.tables
    assert table.style.name == "Table Grid"
    assert table.rows[0].cells[0].text == "Topic"
    assert {s["name"] for s in source()["sides"]} <= {
        c.text.removesuffix(" (not represented)") for c in table.rows[0].cells
    }


def test_marking_page_numbers_properties_and_links(built: Path) -> None:
    document = docx.Document(str(built / f"{SAMPLE}.docx"))
    section = document.sections[0]
    marking = load_config(built.parent.parent).marking
    assert marking and section.header.paragraphs[0].text == marking
    assert section.footer.paragraphs[0].text.startswith(f"{marking} · Page ")
    footer = section.footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    props = document.core_properties
    assert props.title == "Seminar on the Korea–Japan trade dispute"
    assert props.author and props.subject.startswith("Washington holds both allies")
    links = [r.target_ref for r in document.part.rels.values() if r.is_external]
    assert "https://www.taipeitimes.com/News/world/archives/2019/08/03/2003719848" in links


def test_libreoffice_converts_both_files_and_the_text_holds_the_briefing(
    built: Path, tmp_path: Path
) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    assert office, (
        "LibreOffice (libreoffice-writer-nogui) is needed; scripts/setup.sh --test installs it"
    )
    files = [built / f"{SAMPLE}.docx", built / f"{SAMPLE}-memo.docx"]
    profile = (tmp_path / "profile").as_uri()
    result = subprocess.run(
        [
            office,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    data = source()
    for name in (f"{SAMPLE}.pdf", f"{SAMPLE}-memo.pdf"):
        text = squashed(
            subprocess.run(
                ["pdftotext", str(tmp_path / name), "-"], capture_output=True, text=True, check=True
            ).stdout
        )
        assert squashed("Washington holds both allies responsible.") in text, name
        keys = [q for q in data["quotes"] if q.get("key")]
        for quote in data["quotes"] if name == f"{SAMPLE}.pdf" else keys:
            assert squashed(quote["text"]) in text, (name, quote["text"])
        if name == f"{SAMPLE}.pdf":
            for side in data["sides"]:
                assert squashed(side["name"]) in text, side["name"]


def test_same_input_same_bytes(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = sample_workspace(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    build([root / "sources"], pdf=False, docx=True)
    for name in (f"{SAMPLE}.docx", f"{SAMPLE}-memo.docx"):
        assert (root / "output" / SAMPLE / name).read_bytes() == (built / name).read_bytes()


def test_a_reference_docx_gives_its_styles(tmp_path: Path) -> None:
    root = sample_workspace(tmp_path)
    reference = docx.Document()
    reference.styles["Normal"].font.name = "Kumquat Serif"
    (root / "templates").mkdir()
    reference.save(str(root / "templates" / "reference.docx"))
    build([root / "sources"], pdf=False, docx=True)
    document = docx.Document(str(root / "output" / SAMPLE / f"{SAMPLE}.docx"))
    assert document.styles["Normal"].font.name == "Kumquat Serif"


def test_outputs_docx_in_the_configuration_and_the_page_links_it(tmp_path: Path) -> None:
    root = sample_workspace(tmp_path)
    config = root / "briefgen.yaml"
    data = yaml.safe_load(config.read_text()) or {}
    data["outputs"] = {"docx": True, "pdf": False}
    config.write_text(yaml.safe_dump(data, allow_unicode=True))
    result = CliRunner().invoke(main, ["build", str(root / "sources")])
    assert result.exit_code == 0, result.output
    page = (root / "output" / SAMPLE / "index.html").read_text()
    assert f'href="{SAMPLE}.docx"' in page and f'href="{SAMPLE}-memo.docx"' in page
    assert (root / "output" / SAMPLE / f"{SAMPLE}-memo.docx").is_file()
