"""The site around the briefings (people, topics, sides, feed, sitemap, search), built for real."""

from __future__ import annotations

import functools
import http.server
import re
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from _pages import EVIL, Node, Page, assert_clean, hostile_source, items, parse, words
from _workspace import CONFIG, LATER, SAMPLE, two_event_workspace
from click.testing import CliRunner

from briefgen.build import BuildResult, build, search
from briefgen.build import pagefind as search_runs
from briefgen.build.search import SEARCH_STAMP, shard_of
from briefgen.cli import main
from briefgen.errors import RenderError, SourceError
from briefgen.render.environment import Renderer
from briefgen.render.meta import BriefingMeta
from briefgen.site.pages import site_files
from briefgen.source.config import Config
from briefgen.verify.check import LoadedSource

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """The sample and the later event built together (no PDFs, for speed)."""
    root = two_event_workspace(tmp_path_factory.mktemp("site"))
    return root / "output", build([root / "sources"], pdf=False)


def test_build_writes_every_site_page(built: tuple[Path, BuildResult]) -> None:
    out, result = built
    for name in (
        "index.html", "feed.xml", "assets/search.js", "speakers/index.html",
        "speakers/knapper.html", "speakers/snyder.html", "speakers/tatsumi.html",
        "speakers/moon.html", "topics/index.html", "topics/bilateral-trust.html",
        "topics/us-role.html", "sides/index.html", "sides/united-states.html",
        "sides/analysts.html", "pagefind/pagefind.js", "pagefind/pagefind-ui.js",
    ):  # fmt: skip
        assert (out / name).is_file(), name
        assert out / name in result.written, name
    assert not (out / "sitemap.xml").exists(), "no sitemap without base_url"


def test_speaker_page_lists_newest_first_with_titles_as_of_each_event(
    built: tuple[Path, BuildResult],
) -> None:
    html = (built[0] / "speakers" / "knapper.html").read_text()
    page = Page(html)
    assert "<h1>" in html and "Marc J. Knapper" in words(html.split("</h1>")[0])
    assert "Also known as Marc Knapper" in " ".join(page.text.split())
    statements = [words(s) for s in items(html, "statement")]
    dates = [re.search(r"\d{1,2} \w+ \d{4}", s).group(0) for s in statements]  # type: ignore[union-attr]
    assert dates[:2] == ["12 February 2020", "12 February 2020"]
    assert set(dates[2:]) == {"7 August 2019"}
    assert len(statements) == 2 + 1 + 3 + 10  # 2020: stance, quote; history; 2019: 3 + 10
    assert "Acting Deputy Assistant Secretary of State" in statements[0]
    assert "keep talking" in statements[1] and statements[1].startswith("Quote")
    for later in statements[2:]:  # the 2019 event's, and the 2019 stance kept as history
        assert "as Deputy Assistant Secretary of State for Korea and Japan" in later, later
        assert "Acting" not in later
    assert statements[2].startswith("Earlier position")
    appearances = re.findall(r'class="appearance-event"><a href="\.\./([\w-]+)/index.html"', html)
    assert appearances == [LATER, SAMPLE]
    assert f'href="../{SAMPLE}/index.html#quote-soul-searching-in-order"' in html
    assert f'href="../{LATER}/index.html#position-united-states-bilateral-trust"' in html


def test_topic_page_shows_each_sides_stances_in_date_order_with_history(
    built: tuple[Path, BuildResult],
) -> None:
    html = (built[0] / "topics" / "bilateral-trust.html").read_text()
    assert "<h1>Bilateral trust</h1>" in html  # the newest title
    tracks = re.findall(r'<section class="track" id="side-([\w-]+)".*?</section>', html, re.DOTALL)
    assert tracks == ["united-states", "analysts"]
    us = re.search(r'id="side-united-states".*?</ol>', html, re.DOTALL)
    assert us is not None
    stances = [
        words(s)
        for s in re.findall(r"<li class=\"(?:earlier|current)\">(.*?)</li>", us.group(0), re.DOTALL)
    ]
    assert [s.split(" · ")[0] for s in stances] == [
        "7 August 2019", "7 August 2019", "12 February 2020"
    ]  # fmt: skip
    assert "Leaders should show prudence" in stances[0] and "at Seminar" in stances[0]
    assert "earlier stance, recorded in Panel" in stances[1]
    assert "reflect on the decisions that damaged trust" in stances[1]
    assert "Deputy Assistant Secretary of State for Korea and Japan" in stances[1]  # title then
    assert "keep talking" in stances[2] and "Acting Deputy" in stances[2]
    assert 'href="../sides/united-states.html">United States government<' in html
    quotes = [words(q) for q in items(html, "statement")]
    assert quotes[-1].startswith("12 February 2020") and "keep talking" in quotes[-1]
    assert (
        len(quotes) == 6 + 1
    )  # six from the sample (its one-word quote is gone), one from the panel


def test_side_page_lists_every_event_newest_first(built: tuple[Path, BuildResult]) -> None:
    html = (built[0] / "sides" / "south-korea.html").read_text()
    events = re.findall(r'<section class="side-event" id="event-([\w-]+)"', html)
    assert events == [LATER, SAMPLE]
    assert "Links the pact to Japan" in html and "very reckless" in html
    assert 'href="../topics/export-controls.html"' in html
    assert 'href="../speakers/moon.html">Moon Jae-in</a>' in html


def test_home_lists_events_links_feed_and_browse(built: tuple[Path, BuildResult]) -> None:
    html = (built[0] / "index.html").read_text()
    page = Page(html)
    assert html.index(f'id="entry-{LATER}"') < html.index(f'id="entry-{SAMPLE}"')
    assert {"rel": "alternate", "type": "application/atom+xml"}.items() <= next(
        link for link in page.head_links if link.get("type") == "application/atom+xml"
    ).items()
    hrefs = {url for _, url in page.links}
    assert f"{LATER}/transcript.html" in hrefs and f"{SAMPLE}/transcript.html" not in hrefs
    assert {"topics/bilateral-trust.html", "sides/united-states.html"} <= hrefs
    assert {"topics/index.html", "sides/index.html", "speakers/index.html"} <= hrefs
    assert "United States government · South Korea" in " ".join(page.text.split())
    assert 'id="search"' in html and "assets/search.js" in hrefs
    assert "data-pagefind-body" not in html  # the home repeats the briefings: not a result


def test_feed_is_valid_atom_with_one_entry_per_briefing(built: tuple[Path, BuildResult]) -> None:
    feed = ET.parse(built[0] / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1, name
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Example Policy Institute"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Panel on the US–Japan–Korea alliance",
        "Seminar on the Korea–Japan trade dispute",
    ]
    stamp = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
    ids = [e.findtext(f"{ATOM}id") or "" for e in entries]
    assert len(set(ids)) == 2 and all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", i) for i in ids)
    for entry in entries:
        for name in ("id", "title", "updated", "summary"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert stamp.match(entry.findtext(f"{ATOM}updated") or "")
        (link,) = entry.findall(f"{ATOM}link")
        assert link.get("rel") == "alternate"
        assert (built[0] / (link.get("href") or "missing")).is_file()
    # The newest source date: the 2021 page that corrects Knapper's title.
    assert entries[1].findtext(f"{ATOM}updated") == "2021-03-18T00:00:00Z"
    assert feed.findtext(f"{ATOM}updated") == "2021-03-18T00:00:00Z"
    summary = entries[1].findtext(f"{ATOM}summary") or ""
    assert summary.startswith("Washington holds both allies responsible.")
    assert "**" not in summary and "<" not in summary


def test_feed_ids_are_stable_and_sitemap_needs_base_url(tmp_path: Path) -> None:
    config = CONFIG + "base_url: https://briefings.example.org/notes\n"
    root = two_event_workspace(tmp_path / "site", config)
    build([root / "sources"], pdf=False)
    out = root / "output"
    feed = ET.parse(out / "feed.xml").getroot()
    entry_ids = [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")]
    assert entry_ids == [
        f"https://briefings.example.org/notes/{LATER}/index.html",
        f"https://briefings.example.org/notes/{SAMPLE}/index.html",
    ]
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links["self"] == "https://briefings.example.org/notes/feed.xml"
    sitemap = ET.parse(out / "sitemap.xml").getroot()
    locs = {u.findtext(f"{SITEMAP}loc") for u in sitemap.findall(f"{SITEMAP}url")}
    pages = {p.relative_to(out).as_posix() for p in out.rglob("*.html")}
    base = "https://briefings.example.org/notes/"
    assert locs == {base + page for page in pages}


@pytest.fixture(scope="module")
def served(built: tuple[Path, BuildResult]) -> Iterator[str]:
    """Serve the output's parent on 127.0.0.1, so that the site lives under /output/.

    Yield the site's address. A site below the server's root is how many hosts publish
    one (a project's pages); search must find its index and link its results there.
    """

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(built[0].parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{built[0].name}/"
    server.shutdown()
    thread.join()


def test_pagefind_finds_quotes_where_said_and_people_by_name(served: str, browser: Any) -> None:
    page = browser.new_page()
    try:
        page.goto(served + "index.html")
        found = page.evaluate(
            """async () => {
                const pagefind = await import('./pagefind/pagefind.js');
                const listing = await (await fetch('./pagefind/shards.json')).json();
                for (const shard of listing.shards) {
                    await pagefind.mergeIndex(`/output/pagefind/${shard}/`, {baseUrl: '/output/'});
                }
                const found = {};
                for (const term of ['contaminating', 'knapper']) {
                    const search = await pagefind.search(term);
                    const data = await Promise.all(search.results.map(r => r.data()));
                    found[term] = data.map(d => [d.url, d.meta.type]);
                }
                return found;
            }"""
        )
    finally:
        page.close()
    quote = dict(found["contaminating"])
    assert quote.get(f"/output/{SAMPLE}/index.html") == "Briefing", quote
    assert "/output/index.html" not in quote
    assert "/output/speakers/knapper.html" not in quote, "a quote is found where it was said"
    person = dict(found["knapper"])
    assert person.get("/output/speakers/knapper.html") == "Person", person
    assert f"/output/{SAMPLE}/index.html" in person, "the merged shards are searched too"


def test_person_topic_and_side_pages_search_only_their_head(
    built: tuple[Path, BuildResult],
) -> None:
    """search.py hashes only the head of these pages to decide whether to index them again."""
    out, _ = built
    pages = [p for d in ("speakers", "topics", "sides") for p in (out / d).glob("*.html")]
    assert len(pages) > 8
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if page.name == "index.html":
            assert "data-pagefind-body" not in html
            continue
        (main,) = parse(html).find_all("main")
        layout = [
            (n.tag, n.attrs.get("class"), "data-pagefind-ignore" in n.attrs)
            for n in main.children
            if isinstance(n, Node)
        ]
        assert layout[0] == ("header", "page-head", False), page
        assert all(ignored for _, _, ignored in layout[1:]), (page, layout)
        head = search.searched_head(page.read_bytes()).decode()
        assert head.startswith("<main") and head.endswith("</header>"), page


def test_search_box_finds_a_quote_when_served(served: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 900})
    try:
        page.goto(served + "index.html")
        page.fill(".pagefind-ui__search-input", "wedge")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=10_000)
        links = page.eval_on_selector_all(
            ".pagefind-ui__result-link", "els => els.map(e => e.getAttribute('href'))"
        )
        titles = page.eval_on_selector_all(
            ".pagefind-ui__result-link", "els => els.map(e => e.textContent)"
        )
        assert page.is_hidden("#search-status")
    finally:
        page.close()
    assert f"/output/{SAMPLE}/index.html" in links, links
    assert any(t.startswith("Briefing · U.S. asks Seoul and Tokyo") for t in titles), titles


def test_search_box_from_a_file_says_the_site_must_be_served(
    built: tuple[Path, BuildResult], browser: Any
) -> None:
    page = browser.new_page()
    try:
        page.goto((built[0] / "index.html").as_uri())
        status = page.text_content("#search-status") or ""
        hidden = page.is_hidden("#search")
    finally:
        page.close()
    assert "served over HTTP" in status
    assert hidden


def test_search_index_runs_only_for_bundles_whose_pages_change(tmp_path: Path) -> None:
    root = two_event_workspace(tmp_path)
    out = root / "output"
    build([root / "sources"], pdf=False)
    shard = out / "pagefind" / shard_of(f"{LATER}/index.html")
    stale = shard / "fragment" / "en_stale.pf_fragment"
    stale.write_bytes(b"old")
    main_stale = out / "pagefind" / "fragment" / "en_stale.pf_fragment"
    main_stale.write_bytes(b"old")
    again = build([root / "sources"], pdf=False)
    assert not [p for p in again.written if "pagefind" in p.parts], "pages did not change"
    assert stale.exists()
    source = root / "sources" / f"{LATER}.yaml"
    source.write_text(source.read_text().replace("keep talking;", "keep negotiating;"))
    changed = build([root / "sources"], pdf=False)
    assert shard / "pagefind-entry.json" in changed.written
    assert not stale.exists(), "index files no longer produced are removed"
    assert main_stale.exists(), "a stance shows only in lists the main bundle does not index"
    source.write_text(source.read_text().replace("Acting Deputy", "Principal Deputy"))
    retitled = build([root / "sources"], pdf=False)
    assert out / "pagefind" / "pagefind-entry.json" in retitled.written, "a person's head changed"
    assert not main_stale.exists()
    assert not list(out.rglob(".briefgen-*.tmp"))


def test_a_failed_search_run_is_redone_by_the_next_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = two_event_workspace(tmp_path)
    out = root / "output"
    build([root / "sources"], pdf=False)
    source = root / "sources" / f"{LATER}.yaml"
    source.write_text(source.read_text().replace("keep talking;", "keep negotiating;"))

    shard = out / "pagefind" / shard_of(f"{LATER}/index.html")
    with monkeypatch.context() as patch:
        patch.setattr(search_runs, "PAGEFIND", (sys.executable, "-c", "raise SystemExit(3)"))
        with pytest.raises(RenderError, match="Pagefind failed"):
            build([root / "sources"], pdf=False)
    assert not (shard / SEARCH_STAMP).exists()
    assert (out / "pagefind" / SEARCH_STAMP).is_file(), "the main bundle was current"
    again = build([root / "sources"], pdf=False)
    assert shard / "pagefind-entry.json" in again.written
    assert (shard / SEARCH_STAMP).is_file() and (out / "pagefind" / SEARCH_STAMP).is_file()


def test_a_killed_search_run_publishes_no_half_index_and_counts_the_pages_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = two_event_workspace(tmp_path)
    out = root / "output"
    build([root / "sources"], pdf=False)
    index_before = _index_files(out)
    source = root / "sources" / f"{LATER}.yaml"
    source.write_text(source.read_text().replace("keep talking;", "keep negotiating;"))
    killed = ("/bin/sh", "-c", 'kill -KILL "$$"')  # Pagefind killed mid-run (OOM, a user)
    monkeypatch.setattr(search_runs, "PAGEFIND", killed)
    result = CliRunner().invoke(main, ["build", "--no-pdf", str(root / "sources")])
    assert result.exit_code == 1
    assert "Pagefind failed" in result.output and "the pages were written" in result.output
    assert "built 1, unchanged 1, failed 0 in" in result.output, result.output
    assert "keep negotiating;" in (out / LATER / "index.html").read_text(encoding="utf-8")
    assert _index_files(out) == index_before, "no file of a half-made index is published"
    assert not (out / "pagefind" / shard_of(f"{LATER}/index.html") / SEARCH_STAMP).exists()
    assert not list(out.rglob(".briefgen-*.tmp"))


def _index_files(out: Path) -> dict[Path, bytes]:
    """Return the search index's files (not the stamps that say which are current)."""
    files = (out / "pagefind").rglob("*")
    return {p: p.read_bytes() for p in files if p.is_file() and p.name != SEARCH_STAMP}


def test_the_search_index_is_byte_identical_from_build_to_build(tmp_path: Path) -> None:
    root = two_event_workspace(tmp_path)
    build([root / "sources"], root / "one", pdf=False)
    build([root / "sources"], root / "two", pdf=False)
    one, two = (
        {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        for out in (root / "one", root / "two")
    )
    assert any(name.startswith("pagefind/index/") for name in one)
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []


def test_a_source_named_like_a_site_folder_is_refused(tmp_path: Path) -> None:
    root = two_event_workspace(tmp_path)
    (root / "sources" / f"{LATER}.yaml").rename(root / "sources" / "topics.yaml")
    with pytest.raises(SourceError, match="'topics' is the name of a folder of the site"):
        build([root / "sources"], pdf=False)
    assert not (root / "output").exists()


def test_hostile_text_never_survives_on_site_pages(
    workspace: Callable[..., LoadedSource], meta: BriefingMeta
) -> None:
    source = workspace(hostile_source())
    renderer = Renderer(source.root, Config(organisation="Org"))
    files = site_files(renderer, [(source, meta)])
    own_script = '<script src="assets/search.js" defer></script>'
    pages = {n: d.decode() for n, d in files.items() if n.endswith(".html")}
    assert len(pages) >= 8 and pages["index.html"].count(own_script) == 1
    for name, html in pages.items():
        html = html.replace(own_script, "") if name == "index.html" else html
        assert_clean(parse(html), html)
    person = parse(pages["speakers/knapper.html"])
    assert "<script>alert(1)</script>" in person.find_all("h1")[0].text()
    feed = ET.fromstring(files["feed.xml"])  # the payloads are text in well-formed XML
    assert EVIL.split()[0] in (feed.findtext(f"{ATOM}entry/{ATOM}title") or "")
