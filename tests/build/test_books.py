"""Briefing books: cover, contents whose page numbers are right, bookmarks, marking, errors."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from _browser import WCAG_TAGS
from _pages import page_texts
from _workspace import sample_workspace
from click.testing import CliRunner
from pypdf import PdfReader

from briefgen.build import build
from briefgen.cli import main
from briefgen.errors import SourceError
from briefgen.source.config import load_config

SAMPLE = "korea-japan-trade-2019"

# A book written for these tests: the sample's memo in one section, its full brief in another.
BOOK = f"""\
title: "Visit to Seoul and Tokyo"
subtitle: "Binder for the delegation"
date: 2019-08-20
prepared_for: "The Member"
purpose: |
  Read the memo first. **The ask:** keep both capitals talking.
sections:
  - title: "Day 1 — Seoul"
    contents:
      - slug: {SAMPLE}
        as: memo
  - title: "Day 2 — Tokyo"
    contents:
      - {SAMPLE}
"""


@pytest.fixture(scope="module")
def booked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample workspace with a book, built once; return the workspace."""
    root = sample_workspace(tmp_path_factory.mktemp("book"))
    (root / "books").mkdir()
    (root / "books" / "visit.yaml").write_text(BOOK, encoding="utf-8")
    build([root / "sources"])
    return root


def outline(reader: PdfReader) -> list[tuple[str, int, list[tuple[str, int]]]]:
    """Return the top-level bookmarks (title, page) with their children."""
    found: list[tuple[str, int, list[tuple[str, int]]]] = []
    for item in reader.outline:
        if isinstance(item, list):
            children = [(c.title, reader.get_destination_page_number(c) + 1) for c in item]
            found[-1] = (*found[-1][:2], children)
        else:
            found.append((item.title, reader.get_destination_page_number(item) + 1, []))
    return found


def test_contents_page_numbers_are_where_the_chapters_start(booked: Path) -> None:
    pdf = booked / "output" / "books" / "visit.pdf"
    pages = page_texts(pdf, "-layout")
    (contents,) = [n for n, text in enumerate(pages, 1) if "Contents" in text and ". . ." in text]
    listed = re.findall(r"^\s*\d\s+(.+?)\s*(?:\. )+\.?\s*(\d+)\s*$", pages[contents - 1], re.M)
    marks = [
        (title, page) for _, _, children in outline(PdfReader(pdf)) for title, page in children
    ]
    # each chapter's entry gives the page its bookmark (where it starts) points at
    assert [(title, int(page)) for title, page in listed] == marks, pages[contents - 1]
    assert len(marks) == 2
    # the memo chapter opens with the memo, the full brief with its bottom line
    memo_page, full_page = (int(page) for _, page in listed)
    assert "MEMORANDUM" in pages[memo_page - 1]
    assert "BOTTOM LINE" in pages[full_page - 1]


def test_bookmarks_nest_chapters_under_sections(booked: Path) -> None:
    marks = outline(PdfReader(booked / "output" / "books" / "visit.pdf"))
    titles = [title for title, _, _ in marks]
    assert titles == ["Cover memo", "Contents", "Day 1 — Seoul", "Day 2 — Tokyo", "Participants"]
    sections = {title: children for title, _, children in marks}
    assert [t for t, _ in sections["Day 1 — Seoul"]] == [
        "Seminar on the Korea–Japan trade dispute (memo)"
    ]
    assert [t for t, _ in sections["Day 2 — Tokyo"]] == ["Seminar on the Korea–Japan trade dispute"]


def test_the_marking_is_on_every_page_and_people_are_indexed_once(booked: Path) -> None:
    pages = page_texts(booked / "output" / "books" / "visit.pdf", "-layout")
    marking = load_config(booked).marking
    assert marking and all(marking in text for text in pages)
    index = pages[-1]
    assert "Participants" in index
    for name in ("Marc Knapper", "Scott Snyder", "Yuki Tatsumi", "Moon Jae-in"):
        assert index.count(name) == 1, name
    assert "Deputy Assistant Secretary of State for Korea and Japan" in index


def test_the_book_page_links_its_chapters(booked: Path) -> None:
    page = (booked / "output" / "books" / "visit" / "index.html").read_text(encoding="utf-8")
    assert f'href="../../{SAMPLE}/memo.html"' in page
    assert f'href="../../{SAMPLE}/index.html"' in page
    assert 'href="../visit.pdf"' in page


def test_a_book_rebuilds_only_when_its_file_or_a_briefing_changes(booked: Path) -> None:
    pdf = "books/visit.pdf"
    again = build([booked / "sources"])
    assert booked / "output" / pdf not in again.written
    source = booked / "sources" / f"{SAMPLE}.yaml"
    source.write_text(source.read_text().replace("Tokyo denies it.", "Tokyo still denies it.", 1))
    edited = build([booked / "sources"], pdf=False)
    assert booked / "output" / pdf in edited.written


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            f"      - {SAMPLE}\n",
            "      - no-such-event\n",
            "no briefing 'no-such-event' in sources/",
        ),
        ("date: 2019-08-20\n", "date: 2019-02-30\n", "date"),
        ("        as: memo\n", "        as: summary\n", "as"),
        ("purpose: |\n", "porpose: |\n", "porpose"),
    ],
)
def test_bad_book_files_get_located_errors_and_write_nothing(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    root = sample_workspace(tmp_path)
    (root / "books").mkdir()
    book = root / "books" / "visit.yaml"
    assert old in BOOK
    book.write_text(BOOK.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        build([root / "sources"], pdf=False)
    found = [d.format() for d in raised.value.diagnostics]
    line = (
        BOOK.replace(old, new, 1)[: BOOK.replace(old, new, 1).index(new.strip()[:6])].count("\n")
        + 1
    )
    assert any(f"visit.yaml:{line}:" in d and message in d for d in found), found
    assert not (root / "output").exists()


def test_the_book_page_passes_the_nu_checker_and_axe(
    booked: Path, nu_checker: list[str], page_at: Any, axe: Any
) -> None:
    folder = booked / "output" / "books" / "visit"
    result = subprocess.run(
        [*nu_checker, "--root", str(folder)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for width in (1280, 390):
        page = page_at(folder / "index.html", width)
        report = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        assert report.violations_count == 0, report.generate_report()


def test_check_reports_a_bad_book_as_build_would(tmp_path: Path) -> None:
    root = sample_workspace(tmp_path)
    (root / "books").mkdir()
    text = BOOK.replace(f"      - {SAMPLE}\n", "      - gone\n")
    (root / "books" / "visit.yaml").write_text(text)
    result = CliRunner().invoke(main, ["check", str(root / "sources")])
    assert result.exit_code == 1
    line = text[: text.index("- gone")].count("\n") + 1
    assert (
        f"visit.yaml:{line}:9: error: sections[1].contents[0]: no briefing 'gone'" in result.output
    )
