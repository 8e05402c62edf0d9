"""What the browser tests share: viewport widths, WCAG tags and page scripts."""

from __future__ import annotations

from typing import Any

WIDTHS = {"desktop": 1280, "phone": 390}


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


OVERFLOW_SCRIPT = """() => {
  const width = document.documentElement.clientWidth;
  const outside = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.table-scroll') || el.closest('.visually-hidden')) continue;
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1) outside.push(el.tagName + '.' + el.className);
  }
  return {width, scrollWidth: document.documentElement.scrollWidth, outside};
}"""


SCROLL_REGION_SCRIPT = """() => {
  const region = document.querySelector('.table-scroll');
  const box = region.getBoundingClientRect();
  return {right: box.right, width: document.documentElement.clientWidth,
          scrolls: region.scrollWidth > region.clientWidth};
}"""


def axe_and_fit(browser: Any, axe: Any, url: str, width: int) -> tuple[Any, dict[str, Any]]:
    """Open a page at a width; return axe's WCAG results and what overflows the viewport."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(url)
        result = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        fit = page.evaluate(OVERFLOW_SCRIPT)
    finally:
        page.close()
    return result, fit
