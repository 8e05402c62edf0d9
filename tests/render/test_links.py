"""Crawl the built site: every relative link and anchor resolves; every page kind is valid."""

from __future__ import annotations

import functools
import http.server
import subprocess
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from _browser import OVERFLOW_SCRIPT, WCAG_TAGS, WIDTHS
from _workspace import LATER, SAMPLE, VALID, two_event_workspace, write

from briefgen.build import build

# A third event whose side and topic have the id "index", which must not overwrite the
# folders' index pages, with an event page and a source address (external citations).
INDEX_IDS = (
    VALID.replace("- id: us\n", "- id: index\n")
    .replace("side: us\n", "side: index\n")
    .replace("- id: trust", "- id: index")
    .replace("topic: trust", "topic: index")
    .replace('  summary: "Both', '  url: "https://example.org/event"\n  summary: "Both')
    .replace(
        "    file: sources/article.txt\n",
        '    file: sources/article.txt\n    url: "https://example.org/article"\n',
    )
)
# Where a link may leave the site: the citations of sources and the event's own page.
CITATIONS = {"sources", "source-list", "citation", "facts"}
PAGE_KINDS = {
    "home": "index.html",
    "speaker": "speakers/knapper.html",
    "topic": "topics/bilateral-trust.html",
    "topic named index": "topics/_index.html",
    "side": "sides/south-korea.html",
    "side named index": "sides/_index.html",
    "people": "speakers/index.html",
    "topics": "topics/index.html",
    "sides": "sides/index.html",
    "briefing": f"{SAMPLE}/index.html",
}


@dataclass
class Link:
    """A link found in a page, and whether it sits inside a source citation."""

    tag: str
    attribute: str
    url: str
    in_citation: bool


class Crawled(HTMLParser):
    """The links and ids of one page, each link knowing whether a citation holds it."""

    VOID = frozenset({"link", "meta", "img", "br", "hr", "input", "source", "wbr", "col"})

    def __init__(self) -> None:
        super().__init__()
        self.links: list[Link] = []
        self.ids: set[str] = set()
        self._open: list[tuple[str, set[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        marks = set(values.get("class", "").split()) | {values.get("id", "")}
        if "id" in values:
            self.ids.add(values["id"])
        cited = any(CITATIONS & m for _, m in [*self._open, (tag, marks)])
        for name in ("href", "src"):
            if name in values:
                self.links.append(Link(tag, name, values[name], cited))
        if tag not in self.VOID:
            self._open.append((tag, marks))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._open) - 1, -1, -1):
            if self._open[depth][0] == tag:
                del self._open[depth:]
                return


def crawl(path: Path) -> Crawled:
    """Parse one page."""
    page = Crawled()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def problems_of(out: Path, page: Path, link: Link, pages: dict[Path, Crawled]) -> list[str]:
    """Return what is wrong with one link of a page, if anything."""
    where = f"{page.relative_to(out)}: {link.tag} {link.attribute}={link.url!r}"
    parts = urllib.parse.urlsplit(link.url)
    if parts.scheme in ("http", "https"):
        if parts.hostname in ("localhost", "127.0.0.1", "::1"):
            return [f"{where}: a link to this machine"]
        if link.tag != "a" or not link.in_citation:
            return [f"{where}: external address outside a source citation"]
        return []
    if parts.scheme in ("mailto", "data"):
        return []
    if parts.scheme or parts.netloc or link.url.startswith("/"):
        return [f"{where}: not a relative link"]
    target = (page.parent / urllib.parse.unquote(parts.path)).resolve() if parts.path else page
    if not target.is_relative_to(out) or not target.is_file():
        return [f"{where}: no such file {target}"]
    if parts.fragment:
        if target.suffix != ".html":
            return [f"{where}: a fragment into a file that is not a page"]
        ids = pages[target].ids if target in pages else crawl(target).ids
        if urllib.parse.unquote(parts.fragment) not in ids:
            return [f"{where}: no id '{parts.fragment}' in {target.relative_to(out)}"]
    return []


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample, a later event and an event with "index" ids, built with PDFs."""
    root = two_event_workspace(tmp_path_factory.mktemp("links"))
    write(root, INDEX_IDS, "third-event")
    build([root / "sources"])
    return root / "output"


def test_every_link_and_anchor_resolves(site: Path) -> None:
    pages = {p.resolve(): crawl(p) for p in sorted(site.rglob("*.html"))}
    assert len(pages) > 20
    problems = [
        problem
        for page, parsed in pages.items()
        for link in parsed.links
        for problem in problems_of(site.resolve(), page, link, pages)
    ]
    assert problems == []
    linked = {link.url for parsed in pages.values() for link in parsed.links}
    assert "topics/_index.html" in linked and "sides/_index.html" in linked
    assert {"https://example.org/event", "https://example.org/article"} <= linked


def test_every_page_is_reachable_from_the_home_page(site: Path) -> None:
    root = (site / "index.html").resolve()
    seen, queue = {root}, [root]
    while queue:
        page = queue.pop()
        for link in crawl(page).links:
            parts = urllib.parse.urlsplit(link.url)
            if parts.scheme or not parts.path.endswith(".html"):
                continue
            target = (page.parent / parts.path).resolve()
            if target not in seen and target.is_file():
                seen.add(target)
                queue.append(target)
    assert {p.relative_to(site.resolve()).as_posix() for p in seen} == {
        p.relative_to(site).as_posix() for p in site.rglob("*.html")
    }


def test_the_crawler_catches_broken_links_and_anchors(tmp_path: Path) -> None:
    tmp_path = tmp_path.resolve()
    (tmp_path / "a.html").write_text(
        '<p id="here"><a href="b.html#nowhere">1</a> <a href="missing.html">2</a>'
        ' <a href="#here">3</a> <a href="/abs.html">4</a> <a href="file:///etc/passwd">5</a>'
        ' <img src="http://localhost/x.png" alt=""> <a href="https://example.org/">6</a>'
        ' <a href="b.html">7</a></p>'
    )
    (tmp_path / "b.html").write_text('<ul class="source-list"><li><a href="https://e.org/">x</a>')
    pages = {p: crawl(p) for p in (tmp_path / "a.html", tmp_path / "b.html")}
    found = [
        problem
        for page, parsed in pages.items()
        for link in parsed.links
        for problem in problems_of(tmp_path, page, link, pages)
    ]
    assert [p.split(": ", 2)[1].split("=")[1] for p in found] == [
        "'b.html#nowhere'",
        "'missing.html'",
        "'/abs.html'",
        "'file:///etc/passwd'",
        "'http://localhost/x.png'",
        "'https://example.org/'",
    ]


def test_site_pages_pass_the_nu_html_checker(site: Path, nu_checker: list[str]) -> None:
    files = [str(site / name) for name in PAGE_KINDS.values()]
    files += [str(site / LATER / "index.html"), str(site / "speakers" / "moon.html")]
    result = subprocess.run([*nu_checker, *files], capture_output=True, text=True, timeout=300)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "error" not in report.lower(), report


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    """Serve the built site over HTTP on 127.0.0.1; yield its base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(site))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def axe() -> Any:
    """The axe-core runner for Playwright."""
    module = pytest.importorskip("axe_playwright_python.sync_playwright")
    return module.Axe()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_site_pages_have_no_axe_violations_and_fit_a_phone(
    served: str, browser: Any, axe: Any, kind: str, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(served + PAGE_KINDS[kind])
        if kind == "home":  # with the search box loaded and showing results
            page.fill(".pagefind-ui__search-input", "knapper")
            page.wait_for_selector(".pagefind-ui__result-link", timeout=10_000)
        result = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        fit = page.evaluate(OVERFLOW_SCRIPT)
    finally:
        page.close()
    assert result.violations_count == 0, result.generate_report()
    if kind != "briefing":  # the briefing's matrix scrolls sideways by design
        assert fit["scrollWidth"] <= fit["width"] and fit["outside"] == [], fit


def test_home_opened_from_a_file_has_no_axe_violations(site: Path, browser: Any, axe: Any) -> None:
    page = browser.new_page(viewport={"width": WIDTHS["phone"], "height": 900})
    try:
        page.goto((site / "index.html").as_uri())
        page.wait_for_selector("#search-status:has-text('served over HTTP')")
        result = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    finally:
        page.close()
    assert result.violations_count == 0, result.generate_report()
