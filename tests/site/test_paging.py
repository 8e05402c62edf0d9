"""A person's, topic's and side's pages split past PER_PAGE events, newest first, and merge back."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from _browser import axe_and_fit
from _workspace import replace, write

import briefgen.site.paging as paging
from briefgen.build import build

PER_PAGE = 3  # instead of 100: seven events make three pages (3, 3, 1)
EVENTS = 7
PAGES = {"speakers": "knapper", "topics": "trust", "sides": "us"}


def _write_events(root: Path, count: int) -> list[str]:
    """Write ``count`` events naming the same person, topic and side; return slugs, newest first."""
    slugs = []
    for n in range(count):
        slug = f"talk-{n:02d}"
        text = replace("date: 2019-08-07", f"date: 2019-{1 + n:02d}-10")
        write(root, replace('title: "Seminar on trade"', f'title: "Talk {n}"', text), slug)
        slugs.append(slug)
    return slugs[::-1]


def _listed_events(page: Path) -> list[str]:
    """Return the events a page links to, in order, each once."""
    found = re.findall(r'href="(?:\.\./)+(talk-\d\d)/index\.html', page.read_text("utf-8"))
    return list(dict.fromkeys(found))


def _broken_links(page: Path) -> list[str]:
    """Return the relative links of a page that lead to no file in the output."""
    links = re.findall(r'href="([^"#:]+)(?:#[^"]*)?"', page.read_text("utf-8"))
    return [link for link in links if not (page.parent / link).resolve().exists()]


@pytest.fixture
def paged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    """Build seven events with pages of three; return the output and the slugs, newest first."""
    monkeypatch.setattr(paging, "PER_PAGE", PER_PAGE)
    slugs = _write_events(tmp_path, EVENTS)
    build([tmp_path / "sources"], pdf=False)
    return tmp_path / "output", slugs


@pytest.mark.parametrize("folder", PAGES)
def test_pages_split_the_events_newest_first(paged: tuple[Path, list[str]], folder: str) -> None:
    out, slugs = paged
    name = PAGES[folder]
    first = out / folder / f"{name}.html"
    pages = [first, out / folder / name / "page-2.html", out / folder / name / "page-3.html"]
    assert all(page.is_file() for page in pages)
    assert not (out / folder / name / "page-4.html").exists()
    listed = [_listed_events(page) for page in pages]
    assert listed == [slugs[0:3], slugs[3:6], slugs[6:7]]
    for number, page in enumerate(pages, start=1):
        text = page.read_text("utf-8")
        assert f"(page {number} of 3)" in text.split("</title>")[0]
        assert f'<span aria-current="page">Page {number}</span>' in text
        assert f"of {EVENTS}, newest first" in text
        assert _broken_links(page) == [], page
        # the first page alone is searched: the others repeat its header
        assert ("data-pagefind-body" in text) == (number == 1)
    assert f'href="{name}/page-2.html"' in first.read_text("utf-8")
    assert f'href="../{name}.html"' in pages[2].read_text("utf-8")


def test_a_header_shows_the_newest_event_on_every_page(paged: tuple[Path, list[str]]) -> None:
    out, _ = paged
    for page in (out / "speakers" / "knapper.html", out / "speakers/knapper/page-3.html"):
        text = page.read_text("utf-8")
        assert '(as of <time datetime="2019-07-10">' in text  # the newest: page 3 lists January


def test_pages_merge_back_when_events_go(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paging, "PER_PAGE", PER_PAGE)
    slugs = _write_events(tmp_path, EVENTS)
    build([tmp_path / "sources"], pdf=False)
    for slug in slugs[3:]:
        (tmp_path / "sources" / f"{slug}.yaml").unlink()
    build([tmp_path / "sources"], pdf=False)
    out = tmp_path / "output"
    assert not list((out / "speakers" / "knapper").glob("*.html"))
    text = (out / "speakers" / "knapper.html").read_text("utf-8")
    assert 'class="pager"' not in text and "(page 1" not in text
    assert _listed_events(out / "speakers" / "knapper.html") == slugs[:3]


def test_an_edit_to_the_oldest_event_rerenders_its_page_only_as_needed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paging, "PER_PAGE", PER_PAGE)
    slugs = _write_events(tmp_path, EVENTS)
    build([tmp_path / "sources"], pdf=False)
    out = tmp_path / "output" / "speakers" / "knapper" / "page-3.html"
    source = tmp_path / "sources" / f"{slugs[-1]}.yaml"
    source.write_text(
        source.read_text("utf-8").replace("Both should do some soul-searching.", "Now: reflect."),
        encoding="utf-8",
    )
    build([tmp_path / "sources"], pdf=False)
    assert "Now: reflect." in out.read_text("utf-8")


def test_a_later_page_passes_the_nu_html_checker(
    paged: tuple[Path, list[str]], nu_checker: list[str]
) -> None:
    out, _ = paged
    files = [str(out / folder / name / "page-2.html") for folder, name in PAGES.items()]
    result = subprocess.run([*nu_checker, *files], capture_output=True, text=True, timeout=300)
    report = result.stdout + result.stderr
    assert result.returncode == 0 and "error" not in report.lower(), report


@pytest.mark.parametrize("width", [1280, 390])
def test_a_later_page_has_no_axe_violations_and_fits(
    paged: tuple[Path, list[str]], browser: Any, axe: Any, width: int
) -> None:
    out, _ = paged
    result, fit = axe_and_fit(
        browser, axe, (out / "topics" / "trust" / "page-2.html").as_uri(), width
    )
    assert result.violations_count == 0, result.generate_report()
    assert fit["scrollWidth"] <= fit["width"] and fit["outside"] == [], fit
