"""A large workspace: home page and feed list the newest 50; each year has an archive page."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from _browser import WIDTHS, axe_and_fit
from _workspace import replace, write

from briefgen.build import build
from briefgen.site.keys import HOME_EVENTS

EVENTS = 56  # past HOME_EVENTS: three years, the oldest off the home page
ATOM = "{http://www.w3.org/2005/Atom}"


def _dated(n: int) -> tuple[str, str]:
    """Return the slug and date of event ``n``: 2017 to 2019, a few days apart."""
    year = 2017 + n % 3
    return f"event-{n:02d}", f"{year}-{1 + n % 12:02d}-{1 + n % 28:02d}"


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build a workspace of EVENTS briefings (web pages only); return its output."""
    root = tmp_path_factory.mktemp("large")
    for n in range(EVENTS):
        slug, date = _dated(n)
        text = replace("date: 2019-08-07", f"date: {date}")
        write(root, replace('title: "Seminar on trade"', f'title: "Seminar {n}"', text), slug)
    build([root / "sources"], pdf=False)
    return root / "output"


def _entries(page: Path) -> list[str]:
    """Return the slugs of the briefings a listing page shows, in order."""
    text = page.read_text(encoding="utf-8")
    return [
        part.split('"', 1)[0]
        for part in text.split('<article class="entry" aria-labelledby="entry-')[1:]
    ]


def _newest() -> list[str]:
    """Return every slug, newest first, as the site orders them."""
    return [
        slug
        for slug, date in sorted(
            (_dated(n) for n in range(EVENTS)), key=lambda e: (e[1], e[0]), reverse=True
        )
    ]


def test_the_home_page_lists_the_newest_and_links_every_year(large: Path) -> None:
    assert _entries(large / "index.html") == _newest()[:HOME_EVENTS]
    home = (large / "index.html").read_text(encoding="utf-8")
    assert f"{EVENTS} events, newest first; the newest {HOME_EVENTS} are listed here" in home
    for year in ("2019", "2018", "2017"):
        assert f'href="archive/{year}.html"' in home


def test_each_year_has_a_page_of_its_events(large: Path) -> None:
    pages = sorted(p.name for p in (large / "archive").iterdir())
    assert pages == ["2017.html", "2018.html", "2019.html"]
    seen = []
    for page in pages:
        year = page.removesuffix(".html")
        listed = _entries(large / "archive" / page)
        assert listed == [s for s in _newest() if _dated(int(s[-2:]))[1].startswith(year)]
        seen += listed
        text = (large / "archive" / page).read_text(encoding="utf-8")
        assert f'href="../{listed[0]}/index.html"' in text
        assert f'<span aria-current="page">{year}</span>' in text
    assert sorted(seen) == sorted(_newest()), "every event is on its year's page"


def test_the_feed_carries_the_newest_fifty(large: Path) -> None:
    feed = ET.parse(large / "feed.xml").getroot()
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert len(titles) == 50
    assert titles[0] == f"Seminar {int(_newest()[0][-2:])}"


def test_archive_pages_pass_the_nu_html_checker(large: Path, nu_checker: list[str]) -> None:
    files = [str(large / "index.html"), str(large / "archive" / "2018.html")]
    result = subprocess.run([*nu_checker, *files], capture_output=True, text=True, timeout=300)
    report = result.stdout + result.stderr
    assert result.returncode == 0 and "error" not in report.lower(), report


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_an_archive_page_has_no_axe_violations_and_fits_a_phone(
    large: Path, browser: Any, axe: Any, width: int
) -> None:
    result, fit = axe_and_fit(browser, axe, (large / "archive" / "2018.html").as_uri(), width)
    assert result.violations_count == 0, result.generate_report()
    assert fit["scrollWidth"] <= fit["width"] and fit["outside"] == [], fit


def test_a_workspace_that_shrinks_below_fifty_loses_its_archive(tmp_path: Path) -> None:
    for n in range(HOME_EVENTS + 1):
        slug, date = _dated(n)
        write(tmp_path, replace("date: 2019-08-07", f"date: {date}"), slug)
    build([tmp_path / "sources"], pdf=False)
    assert (tmp_path / "output" / "archive" / "2017.html").is_file()
    (tmp_path / "sources" / "event-00.yaml").unlink()
    result = build([tmp_path / "sources"], pdf=False)
    assert result.removed == ["event-00"]
    assert not (tmp_path / "output" / "archive").exists() or not list(
        (tmp_path / "output" / "archive").iterdir()
    )
    home = (tmp_path / "output" / "index.html").read_text(encoding="utf-8")
    assert "archive/" not in home and len(_entries(tmp_path / "output" / "index.html")) == 50
