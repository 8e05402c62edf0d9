"""Rendered pages pass the Nu HTML Checker and axe-core, and fit a phone."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from _browser import OVERFLOW_SCRIPT, SCROLL_REGION_SCRIPT, WCAG_TAGS, WIDTHS

PAGES = [
    "sample/index.html",
    "sample/korea-japan-trade-2019/index.html",
    "fixture/index.html",
    "fixture/pacific-fisheries-2024/index.html",
    "sample/korea-japan-trade-2019/memo.html",
    "fixture/pacific-fisheries-2024/memo.html",
]


def test_pages_pass_the_nu_html_checker(site: Path, nu_checker: list[str]) -> None:
    assert sorted(str(p.relative_to(site)) for p in site.rglob("*.html")) == sorted(PAGES)
    result = subprocess.run(
        [*nu_checker, "--root", str(site)], capture_output=True, text=True, timeout=300
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "error" not in report.lower(), report


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("name", PAGES)
def test_no_axe_violations(site: Path, page_at: Any, axe: Any, name: str, width: int) -> None:
    page = page_at(site / name, width)
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
    result = axe.run(page, options=options)
    assert result.violations_count == 0, result.generate_report()


@pytest.mark.parametrize("name", PAGES)
def test_nothing_overflows_a_phone_but_the_matrix(site: Path, page_at: Any, name: str) -> None:
    page = page_at(site / name, WIDTHS["phone"])
    found = page.evaluate(OVERFLOW_SCRIPT)
    assert found["scrollWidth"] <= found["width"], found
    assert found["outside"] == [], found


def test_matrix_scrolls_inside_its_region_on_a_phone(site: Path, page_at: Any) -> None:
    page = page_at(site / "sample/korea-japan-trade-2019/index.html", WIDTHS["phone"])
    region = page.evaluate(SCROLL_REGION_SCRIPT)
    assert region["scrolls"], "the matrix should scroll sideways, not squeeze"
    assert region["right"] <= region["width"] + 1
    page.focus(".table-scroll")
    page.keyboard.press("ArrowRight")  # keyboard users can scroll the focused region
    page.wait_for_function("document.querySelector('.table-scroll').scrollLeft > 0", timeout=3000)


STICKY_SCRIPT = """() => {
  const region = document.querySelector('.table-scroll');
  region.scrollLeft = region.scrollWidth;
  const topic = document.querySelector('.matrix tbody th').getBoundingClientRect();
  return {scrolled: region.scrollLeft, topicLeft: topic.left,
          regionLeft: region.getBoundingClientRect().left};
}"""


def test_the_topic_column_stays_in_view_while_the_matrix_scrolls(site: Path, page_at: Any) -> None:
    page = page_at(site / "sample/korea-japan-trade-2019/index.html", WIDTHS["phone"])
    found = page.evaluate(STICKY_SCRIPT)
    assert found["scrolled"] > 0, found
    assert abs(found["topicLeft"] - found["regionLeft"]) <= 2, found


def test_skip_link_reaches_main(site: Path, page_at: Any) -> None:
    page = page_at(site / "sample/korea-japan-trade-2019/index.html", WIDTHS["desktop"])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    landmarks = page.evaluate(
        "['header', 'nav', 'main', 'footer'].map(t => document.querySelectorAll(t).length)"
    )
    assert all(count >= 1 for count in landmarks)
