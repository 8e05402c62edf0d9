"""The build: real sources, templates, WeasyPrint and files; output read back."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from _pages import page_texts
from _workspace import REPO, VALID, append, replace, sample_workspace, write
from click.testing import CliRunner
from pypdf import PdfReader

from briefgen.build import BuildResult, build
from briefgen.cli import main
from briefgen.errors import RenderError, SourceError, TemplateError, UsageError
from briefgen.source.config import load_config
from briefgen.writer import TEMP_PREFIX

SAMPLE = "korea-japan-trade-2019"
EPOCH = 1565170200  # 2019-08-07 09:30 UTC
MARKING = "INTERNAL — NOT FOR DISTRIBUTION"
CONFIG = f"organisation: Example Institute\nmarking: {MARKING}\n"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Return every file below a folder with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def squashed(text: str) -> str:
    """Drop whitespace and hyphens, so line breaks and hyphenation do not matter."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", text)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, BuildResult]]:
    """The sample workspace built twice in a row, with SOURCE_DATE_EPOCH set.

    The second build (into ``again/``) follows at once, so that the comparison of the two
    is not disturbed by edits to the repository's templates in between.
    """
    root = sample_workspace(tmp_path_factory.mktemp("sample"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        result = build([root / "sources"])
        build([root / "sources"], root / "again")
        yield root, result


TOPICS = (
    "bilateral-trust",
    "export-controls",
    "forced-labor-rulings",
    "trilateral-security",
    "us-role",
)


def test_build_writes_pages_pdf_assets_and_index(built: tuple[Path, BuildResult]) -> None:
    root, result = built
    out = root / "output"
    expected = {
        "index.html",
        "feed.xml",
        "assets/briefgen.css",
        "assets/search.js",
        f"{SAMPLE}/index.html",
        f"{SAMPLE}/{SAMPLE}.pdf",
        f"{SAMPLE}/memo.html",
        f"{SAMPLE}/{SAMPLE}-memo.pdf",
        f"{SAMPLE}/{SAMPLE}.docx",  # the repository's briefgen.yaml asks for Word files
        f"{SAMPLE}/{SAMPLE}-memo.docx",
        f"{SAMPLE}/sources/korea-herald-2019-08-08.html",
        "sides/index.html",
        "speakers/index.html",
        "topics/index.html",
        *(f"sides/{s}.html" for s in ("analysts", "japan", "south-korea", "united-states")),
        *(f"speakers/{s}.html" for s in ("knapper", "moon", "snyder", "tatsumi")),
        *(f"topics/{t}.html" for t in TOPICS),
    }
    files = set(snapshot(out))
    site = {f for f in files if not f.startswith((".briefgen/", "pagefind/"))}
    assert site == expected
    assert {f".briefgen/revisions/{SAMPLE}.json", ".briefgen/manifest.json"} <= files
    assert "pagefind/pagefind.js" in files
    assert result.built == [SAMPLE]
    assert set(expected) <= {p.relative_to(out).as_posix() for p in result.written}
    assert result.output == out
    assert result.elapsed > 0
    assert all(p.stat().st_mtime == EPOCH for p in result.written if p.is_relative_to(out / SAMPLE))
    page = (out / SAMPLE / "index.html").read_text()
    assert f'href="{SAMPLE}.pdf"' in page
    assert '<time datetime="2019-08-07">' in page
    assert f'href="{SAMPLE}/index.html"' in (out / "index.html").read_text()


def test_pdf_carries_metadata_and_its_source(built: tuple[Path, BuildResult]) -> None:
    root, _ = built
    reader = PdfReader(root / "output" / SAMPLE / f"{SAMPLE}.pdf")
    source = (root / "sources" / f"{SAMPLE}.yaml").read_bytes()
    assert reader.attachments == {f"{SAMPLE}.yaml": [source]}
    assert reader.metadata is not None
    assert reader.metadata.title == "Seminar on the Korea–Japan trade dispute"
    assert reader.metadata.creation_date is not None
    assert reader.metadata.creation_date.date().isoformat() == "2019-08-07"
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_pdf_has_the_marking_on_every_page(built: tuple[Path, BuildResult]) -> None:
    root, _ = built
    marking = load_config(root).marking
    assert marking
    texts = page_texts(root / "output" / SAMPLE / f"{SAMPLE}.pdf")
    assert len(texts) > 1
    for number, text in enumerate(texts, 1):
        assert squashed(text).count(squashed(marking)) >= 2, f"page {number}"


def test_pdf_has_every_quote_whole_on_one_page(built: tuple[Path, BuildResult]) -> None:
    root, _ = built
    quotes = yaml.safe_load((root / "sources" / f"{SAMPLE}.yaml").read_text())["quotes"]
    texts = [squashed(t) for t in page_texts(root / "output" / SAMPLE / f"{SAMPLE}.pdf")]
    assert quotes
    for quote in quotes:
        pages = [n for n, text in enumerate(texts, 1) if squashed(quote["text"]) in text]
        assert len(pages) >= 1, f"quote not found whole on any page: {quote['text']}"


def test_rebuild_is_byte_identical(built: tuple[Path, BuildResult]) -> None:
    root, _ = built
    first, again = snapshot(root / "output"), snapshot(root / "again")
    assert sorted(first) == sorted(again)
    assert [name for name in first if first[name] != again[name]] == []


def test_no_pdf_writes_no_pdf(tmp_path: Path) -> None:
    root = sample_workspace(tmp_path)
    result = build([root / "sources"], pdf=False)
    assert not list((root / "output").rglob("*.pdf"))
    assert all(p.suffix != ".pdf" for p in result.written)
    assert f"{SAMPLE}.pdf" not in (root / "output" / SAMPLE / "index.html").read_text()


def test_outputs_pdf_false_in_config_writes_no_pdf(tmp_path: Path) -> None:
    root = sample_workspace(tmp_path)
    (root / "briefgen.yaml").write_text(CONFIG + "outputs:\n  pdf: false\n")
    build([root / "sources"])
    assert not list((root / "output").rglob("*.pdf"))


def two_briefings(root: Path) -> Path:
    """A workspace with the sample and a small second briefing ('event')."""
    sample_workspace(root)
    write(root, VALID)
    return root


def test_a_bad_source_fails_and_leaves_the_previous_output(tmp_path: Path) -> None:
    root = two_briefings(tmp_path)
    build([root / "sources"], pdf=False)
    before = snapshot(root / "output")
    broken = replace('title: "Seminar on trade"', "title: 42")
    (root / "sources" / "event.yaml").write_text(broken)
    with pytest.raises(SourceError) as caught:
        build([root / "sources"], pdf=False)
    assert any(d.path.endswith("event.yaml") and d.line == 2 for d in caught.value.diagnostics)
    assert snapshot(root / "output") == before


def test_a_failed_pdf_writes_nothing(tmp_path: Path) -> None:
    root = two_briefings(tmp_path)
    build([root / "sources"], pdf=False)
    before = snapshot(root / "output")
    (root / "sources" / "event.yaml").write_text(VALID.replace("Both sides", "Each side"))
    with pytest.raises(RenderError, match=r"event: PDF rendering took longer than 0\.001 s"):
        build([root / "sources" / "event.yaml"], pdf_timeout=0.001)
    assert snapshot(root / "output") == before


def test_a_broken_template_writes_nothing(tmp_path: Path) -> None:
    root = two_briefings(tmp_path)
    (root / "templates").mkdir()
    (root / "templates" / "index.html").write_text("{{ no_such_thing }}")
    with pytest.raises(TemplateError):
        build([root / "sources"], pdf=False)
    assert not (root / "output").exists()


def test_the_index_lists_briefings_built_earlier(tmp_path: Path) -> None:
    root = two_briefings(tmp_path)
    build([root / "sources" / f"{SAMPLE}.yaml"], pdf=False)
    result = build([root / "sources" / "event.yaml"], pdf=False)
    index = (root / "output" / "index.html").read_text()
    assert result.built == ["event"]
    assert 'href="event/index.html"' in index and f'href="{SAMPLE}/index.html"' in index
    assert f'href="{SAMPLE}/{SAMPLE}.pdf"' not in index
    assert result.warnings == []
    (root / "output" / SAMPLE / f"{SAMPLE}.pdf").write_bytes(b"%PDF- from an earlier build")
    build([root / "sources" / "event.yaml"], pdf=False)
    assert f'href="{SAMPLE}/{SAMPLE}.pdf"' in (root / "output" / "index.html").read_text()


def test_the_index_leaves_off_a_broken_briefing_with_a_warning(tmp_path: Path) -> None:
    root = two_briefings(tmp_path)
    build([root / "sources"], pdf=False)
    sample = root / "sources" / f"{SAMPLE}.yaml"
    sample.write_text(sample.read_text().replace("present: true", "present: maybe", 1))
    result = build([root / "sources" / "event.yaml"], pdf=False)
    index = (root / "output" / "index.html").read_text()
    assert f'href="{SAMPLE}/index.html"' not in index and 'href="event/index.html"' in index
    [warning] = result.warnings
    assert warning.severity.value == "warning"
    assert warning.path.endswith(f"{SAMPLE}.yaml") and warning.line > 1
    assert "left off output/index.html" in warning.message


def test_the_index_ignores_sources_never_built(tmp_path: Path) -> None:
    root = two_briefings(tmp_path)
    build([root / "sources" / "event.yaml"], pdf=False)
    assert f'href="{SAMPLE}/' not in (root / "output" / "index.html").read_text()


def revision_of(page: Path) -> str:
    """Return the revision a briefing page shows."""
    match = re.search(r'<span class="revision">([0-9a-f]+)</span>', page.read_text())
    assert match, "no revision on the page"
    return match.group(1)


def test_revision_follows_source_evidence_templates_and_config(tmp_path: Path) -> None:
    root = sample_workspace(tmp_path)
    page = root / "output" / SAMPLE / "index.html"
    (root / "templates").mkdir()
    changes = [
        lambda: None,
        lambda: append(root / "sources" / f"{SAMPLE}.article.txt", "\nMore.\n"),
        lambda: append(root / "briefgen.yaml", "# edited\n"),
        lambda: (root / "templates" / "extra.txt").write_text("x"),
        lambda: append(root / "sources" / f"{SAMPLE}.yaml", "# a comment\n"),
    ]
    seen = []
    for change in changes:
        change()
        build([root / "sources"], pdf=False)
        seen.append(revision_of(page))
    assert len(set(seen)) == len(seen), seen
    build([root / "sources"], pdf=False)
    assert revision_of(page) == seen[-1]


def test_refused_urls_become_warnings(tmp_path: Path) -> None:
    root = tmp_path
    write(root, VALID)
    (root / "templates" / "assets").mkdir(parents=True)
    css = (REPO / "templates" / "assets" / "print.css").read_text()
    hostile = "@import url(http://127.0.0.1:9/remote.css);\n"
    (root / "templates" / "assets" / "print.css").write_text(hostile + css)
    result = build([root / "sources"])
    [warning] = result.warnings
    assert "http://127.0.0.1:9/remote.css" in warning.message
    assert warning.path.endswith("event.yaml")
    assert (root / "output" / "event" / "event.pdf").is_file()
    assert (root / "output" / "event" / "event-memo.pdf").is_file()


def test_nothing_to_build_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    with pytest.raises(UsageError, match="no source files"):
        build([tmp_path / "sources"])


def test_two_sources_with_one_slug_are_refused(tmp_path: Path) -> None:
    first = write(tmp_path / "a", VALID)
    second = write(tmp_path / "b", VALID)
    with pytest.raises(SourceError, match="also the name of"):
        build([first, second], tmp_path / "out", pdf=False)
    assert not (tmp_path / "out").exists()


def test_no_temporary_files_remain(built: tuple[Path, BuildResult]) -> None:
    root, _ = built
    assert not list((root / "output").rglob(f"{TEMP_PREFIX}*"))


def _pdf_workers() -> list[int]:
    """Return the PDF worker processes this test process has started and not reaped."""
    workers = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == os.getpid() and b"briefgen.pdf.worker import serve" in command:
            workers.append(int(stat.parent.name))
    return workers


def test_the_cli_ends_its_early_pdf_worker_when_no_pdf_is_needed(tmp_path: Path) -> None:
    root = sample_workspace(tmp_path)
    runner = CliRunner()
    first = runner.invoke(main, ["build", str(root / "sources")])
    assert first.exit_code == 0, first.output
    pdf = next((root / "output").rglob("*.pdf"))
    made = pdf.stat().st_mtime_ns
    again = runner.invoke(main, ["build", str(root / "sources")])  # PDFs are current
    assert again.exit_code == 0, again.output
    assert "built 0, unchanged 1" in again.output
    assert pdf.stat().st_mtime_ns == made
    assert _pdf_workers() == []
    missing = runner.invoke(main, ["build", str(root / "nowhere.yaml")])
    assert missing.exit_code == 2 and _pdf_workers() == []
