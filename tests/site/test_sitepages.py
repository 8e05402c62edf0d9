"""Keyed site pages: an edit re-renders only the pages it changes, and never too few."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from _workspace import LATER, SAMPLE, two_event_workspace

import briefgen.build.site_stage as build_site
from briefgen.build import build
from briefgen.render import markdown
from briefgen.render.environment import Renderer
from briefgen.render.meta import BriefingMeta, Revision
from briefgen.site.gather import gather, site_texts
from briefgen.site.keys import EventRecord, PageKeys, archive_years, names_of, newest_slugs
from briefgen.site.pages import (
    Listed,
    Listing,
    Views,
    listing_maker,
    page_maker,
    site_plan,
    views_by_page,
)
from briefgen.site.paging import Pager, page_count
from briefgen.site.views import Built, EventView, Site, TopicView
from briefgen.source.config import load_config
from briefgen.source.model import Topic
from briefgen.verify.check import LoadedSource, load_sources

SITE_PAGES = ("index.html", "feed.xml", "speakers", "topics", "sides")


def _site(root: Path) -> tuple[Renderer, list[tuple[object, BriefingMeta]]]:
    """Load the workspace's sources as a build would list them."""
    sources = load_sources(sorted((root / "sources").glob("*.yaml")))
    meta = BriefingMeta("rev", dt.date(2024, 5, 1), has_pdf=True, revision=Revision(3))
    return Renderer(root, load_config(root)), [(source, meta) for source in sources]


def _first(page: str, view: Any) -> Pager:
    """Return the pager of a person's, topic's or side's first page."""
    events = len(view.events if isinstance(view, TopicView) else view.appearances)
    return Pager(page, 1, page_count(events), events)


def _rendered(renderer: Renderer, site: Site, entries: list[Built]) -> dict[str, bytes]:
    """Render every page of a gathered site, as site_plan's makers do."""
    views, names = Views([_listed(s, m) for s, m in entries]), site.names()
    pages = {
        p: page_maker(renderer, names, v, _first(p, v))() for p, v in views_by_page(site).items()
    }
    listings = [
        "index.html",
        "feed.xml",
        *(f"{f}/index.html" for f in ("speakers", "topics", "sides")),
    ]
    records = {source.slug: PageKeys(b"").record(views[source.slug]) for source, _ in entries}
    events = Listing(newest_slugs(records), archive_years(records), records)
    return pages | {p: listing_maker(renderer, site, views, p, events)() for p in listings}


def _listed(source: LoadedSource, meta: BriefingMeta) -> Listed:
    """Describe a loaded source to the site."""
    return Listed(source.slug, source.display, meta, lambda: source)


def test_pages_show_nothing_of_an_event_beyond_what_keys_them(tmp_path: Path) -> None:
    """Keys hash an event as its details, cast, parts and row: pages must not show more of it."""
    renderer, entries = _site(two_event_workspace(tmp_path))
    site = gather(entries)  # parts and views are made here
    before = _rendered(renderer, site, entries)
    for event in site.events:  # take away, in place, all that keys leave out
        parts = ("positions", "quotes", "transcript", "takeaways", "questions")
        b = event.briefing
        others = [s.model_copy(update={"title": "Other", "publisher": "Other"}) for s in b.sources]
        emptied = b.model_copy(update={part: [] for part in parts} | {"sources": others})
        meta = event.meta
        object.__setattr__(event, "meta", replace(meta, content_id="other", revision=Revision()))
        for holder in (event, *(source for source, _ in entries if source.slug == event.slug)):
            object.__setattr__(holder, "briefing", emptied)
    after = _rendered(renderer, site, entries)
    assert len(before) > 12
    assert [path for path in before if after[path] != before[path]] == []
    other = {
        "subtitle": "Other",
        "location": "Elsewhere",
        "format": "other",
        "summary": "Other.",
        "background": "Other.",
        "url": "https://example.org/other",
    }
    for event in site.events:  # change the details only the home page and the feed show
        b = event.briefing
        changed = b.model_copy(update={"event": b.event.model_copy(update=other)})
        for holder in (event, *(source for source, _ in entries if source.slug == event.slug)):
            object.__setattr__(holder, "briefing", changed)
    again = _rendered(renderer, site, entries)
    keyed = [path for path in before if path.count("/") == 1 and "index.html" not in path]
    assert len(keyed) > 10
    assert [path for path in keyed if again[path] != before[path]] == []
    assert again["index.html"] != before["index.html"], "the home page shows the bottom line"


def _keys(root: Path, base: bytes) -> dict[str, str | None]:
    """Key every site page of a workspace's sources."""
    renderer, entries = _site(root)
    plan = site_plan(renderer, [_listed(s, m) for s, m in entries], base)
    return {page.path: page.key for page in plan.pages}


def test_a_key_changes_with_what_its_page_shows(tmp_path: Path) -> None:
    root = two_event_workspace(tmp_path)
    keys = _keys(root, b"")
    keyed = {path: key for path, key in keys.items() if key is not None}
    assert len(set(keyed.values())) == len(keyed) > 12, "every page has a key of its own"
    assert _keys(root, b"") == keys, "keys are stable from run to run"
    other = _keys(root, b"t")
    assert not set(other.values()) & set(keyed.values()), "templates and config key every page"


def test_keys_follow_values_not_object_identity() -> None:
    keys = PageKeys(b"")
    trade, same = Topic(id="trade", title="Trade"), Topic(id="trade", title="Trade")
    assert keys.key("topic.html", [trade, trade]) == keys.key("topic.html", [trade, same])
    retitled = Topic(id="trade", title="Trade policy")
    assert keys.key("topic.html", [trade]) != keys.key("topic.html", [retitled])
    assert keys.key("topic.html", [trade]) != keys.key("side.html", [trade])


EDITS = {
    "a stance": ("keep talking;", "keep negotiating;"),
    "an earlier stance": ("reflect on the decisions", "reconsider the decisions"),
    "a quote": ('both capitals to keep talking"\n', 'both capitals to keep"\n'),
    "a title": ("Acting Deputy Assistant", "Deputy Assistant"),
    "a topic title": ('"Trilateral security cooperation"', '"Trilateral security"'),
    "a side name": ('"United States government"', '"US administration"'),
    "an event title": ("Panel on the US–Japan–Korea alliance", "Alliance panel"),
    "a date": ("date: 2020-02-12", "date: 2020-03-12"),
    "a summary": ("Keeps asking both allies for calm.", "Asks both allies for calm."),
    "a side of a speaker": (
        "    side: south-korea\n    present",
        "    side: united-states\n    present",
    ),
    "a voice of a position": (
        "topic: trilateral-security\n    stance:",
        "topic: trilateral-security\n    speaker: moon\n    stance:",
    ),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_an_incremental_site_equals_one_built_from_scratch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = two_event_workspace(tmp_path)
    build([root / "sources"], root / "kept", pdf=False)
    rendered = _edit_and_compare(root, LATER, *EDITS[edit])
    assert len(rendered) < len(_site_files(root / "kept")), "an edit does not rewrite every page"


def _edit_and_compare(root: Path, slug: str, old: str, new: str) -> set[str]:
    """Edit a source, build into kept/ again and into fresh/; return the site pages written.

    Fails unless the two folders hold the same site pages, byte for byte.
    """
    source = root / "sources" / f"{slug}.yaml"
    text = source.read_text(encoding="utf-8")
    assert old in text, old
    source.write_text(text.replace(old, new, 1), encoding="utf-8")
    again = build([root / "sources"], root / "kept", pdf=False)
    build([root / "sources"], root / "fresh", pdf=False)
    kept, fresh = (_site_files(root / name) for name in ("kept", "fresh"))
    assert sorted(kept) == sorted(fresh)
    assert [name for name in kept if kept[name] != fresh[name]] == []
    return {p.relative_to(root / "kept").as_posix() for p in again.written} & set(kept)


# A topic only the later event covers, with an earlier stance that Moon voiced before it:
# its page gives him the title the sample (the older event) records.
NOTICE = """  - id: gsomia-notice
    title: "Notice to end GSOMIA"
positions:
  - side: south-korea
    topic: gsomia-notice
    stance: "Seoul has suspended its notice, conditionally."
    as_of: 2019-11-22
    history:
      - stance: "Seoul will not renew the pact."
        as_of: 2019-08-22
        speaker: moon
"""


def test_an_earlier_stance_is_re_rendered_when_another_event_retitles_its_voice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = two_event_workspace(tmp_path)
    later = root / "sources" / f"{LATER}.yaml"
    later.write_text(later.read_text(encoding="utf-8").replace("positions:\n", NOTICE, 1))
    build([root / "sources"], root / "kept", pdf=False)
    page = root / "kept" / "topics" / "gsomia-notice.html"
    assert "President of South Korea" in page.read_text(encoding="utf-8")
    title = 'title: "President of South Korea"\n    affiliation: "Government of the Republic'
    retitled = title.replace("President of", "Head of State,")
    rendered = _edit_and_compare(root, SAMPLE, title, retitled)
    assert "topics/gsomia-notice.html" in rendered
    assert "Head of State, South Korea" in page.read_text(encoding="utf-8")


def test_an_edit_hashes_the_edited_event_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hashed: list[str] = []
    original = PageKeys.record

    def counted(keys: PageKeys, event: EventView) -> EventRecord:
        hashed.append(event.slug)
        return original(keys, event)

    monkeypatch.setattr(PageKeys, "record", counted)
    root = two_event_workspace(tmp_path)
    build([root / "sources"], pdf=False)
    assert sorted(hashed) == sorted([LATER, SAMPLE])
    hashed.clear()
    source = root / "sources" / f"{LATER}.yaml"
    source.write_text(source.read_text().replace("keep talking;", "keep negotiating;"))
    build([root / "sources"], pdf=False)
    assert hashed == [LATER], "the sample's record is kept from the last build"
    hashed.clear()
    build([root / "sources"], pdf=False, force=True)
    assert sorted(hashed) == sorted([LATER, SAMPLE]), "--force keeps nothing"


def _site_files(out: Path) -> dict[str, bytes]:
    """Return the site pages of an output folder by path."""
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and path.relative_to(out).parts[0] in SITE_PAGES
    }


LEE = """\
  - id: lee-panelist
    name: "Lee Min-ho"
    title: "Research Fellow"
    affiliation: "Example Institute"
    side: south-korea
    present: true
"""


def test_a_person_no_briefing_names_any_more_loses_their_page(tmp_path: Path) -> None:
    root = two_event_workspace(tmp_path)
    out = root / "output"
    source = root / "sources" / f"{LATER}.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("topics:\n", LEE + "topics:\n", 1), encoding="utf-8")
    build([root / "sources"], pdf=False)
    assert (out / "speakers" / "lee-panelist.html").is_file()
    source.write_text(text, encoding="utf-8")
    build([root / "sources"], pdf=False)
    assert not (out / "speakers" / "lee-panelist.html").exists()
    assert (out / "speakers" / "knapper.html").is_file()
    assert "lee-panelist" not in (out / "speakers" / "index.html").read_text(encoding="utf-8")


def _fresh_memos() -> None:
    """Forget this process's Markdown memos, as a new build process starts without them."""
    markdown.converted.cache_clear()
    markdown.markdown_to_html.cache_clear()
    markdown.plain_text.cache_clear()
    markdown._kept.clear()


def test_the_site_does_not_convert_an_unchanged_sources_markdown_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = two_event_workspace(tmp_path)
    build([root / "sources"], pdf=False)
    source = root / "sources" / f"{LATER}.yaml"
    source.write_text(source.read_text().replace("keep talking;", "keep negotiating;"))
    sample = load_sources([root / "sources" / f"{SAMPLE}.yaml"])[0]
    shown = set(site_texts(sample.briefing))
    converted: list[str] = []
    original = markdown.md.Markdown.convert

    def counted(self: markdown.md.Markdown, text: str) -> str:
        converted.append(text)
        return original(self, text)

    _fresh_memos()
    monkeypatch.setattr(markdown.md.Markdown, "convert", counted)
    build([root / "sources"], pdf=False)
    assert converted, "the edited source is converted"
    assert not shown & set(converted), "the sample's texts come from its cache"
    side_page = (root / "output" / "sides" / "south-korea.html").read_text(encoding="utf-8")
    assert markdown.markdown_to_html(sample.briefing.sides[1].summary) in side_page


def test_kept_conversions_are_sanitised_again(tmp_path: Path) -> None:
    """A cache planted in the output cannot put script in a page: it is cleaned like Markdown."""
    root = two_event_workspace(tmp_path)
    build([root / "sources"], pdf=False)
    cache = root / "output" / ".briefgen" / "cache" / f"{SAMPLE}.json"
    data = json.loads(cache.read_bytes())
    planted = '<p>Seoul <script>alert(1)</script><img src=x onerror="alert(2)"></p>'
    data["markdown"] = {text: planted for text in data["markdown"]}
    cache.write_text(json.dumps(data), encoding="utf-8")
    source = root / "sources" / f"{LATER}.yaml"
    source.write_text(source.read_text().replace("keep talking;", "keep negotiating;"))
    _fresh_memos()
    build([root / "sources"], pdf=False)
    _fresh_memos()
    pages = [p.read_text(encoding="utf-8") for p in (root / "output").rglob("*.html")]
    assert any("Seoul " in page for page in pages)
    assert not [page for page in pages if "alert(" in page or "onerror" in page]


ROUNDTABLE = """\
event:
  title: "Roundtable on fisheries"
  date: 2021-03-04
  host: "Example Institute"
  location: "Wellington"
  summary: "Quotas hold for now."
sides:
  - id: coastal-states
    name: "Coastal states"
    summary: "Want the quotas kept."
speakers:
  - id: tane
    name: "Tane Walker"
    title: "Director"
    affiliation: "Fisheries Council"
    side: coastal-states
    present: true
topics:
  - id: quotas
    title: "Quotas"
positions:
  - side: coastal-states
    topic: quotas
    speaker: tane
    stance: "Keep the quotas."
"""


def test_an_edit_loads_only_the_sources_its_pages_are_made_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stance shows on its person's, topic's and side's pages, not on home or the indexes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = two_event_workspace(tmp_path)
    (root / "sources" / "fisheries-2021.yaml").write_text(ROUNDTABLE, encoding="utf-8")
    build([root / "sources"], root / "kept", pdf=False)
    restored: list[str] = []
    original = build_site.restore

    def counted(
        out_dir: Path, path: Path, key: str, staged: bytes | None = None
    ) -> LoadedSource | None:
        if staged is None:  # not the edited briefing's, restored from the cache staged now
            restored.append(path.stem)
        return original(out_dir, path, key, staged)

    monkeypatch.setattr(build_site, "restore", counted)
    rendered = _edit_and_compare(root, LATER, "keep talking;", "keep negotiating;")
    assert restored[:1] == [SAMPLE], "the sample's Knapper, trust and US pages need it"
    assert "fisheries-2021" not in restored, "no page the edit changes covers the roundtable"
    assert rendered == {
        "speakers/knapper.html",
        "topics/bilateral-trust.html",
        "sides/united-states.html",
    }
    restored.clear()
    rendered = _edit_and_compare(root, LATER, "asks both allies for restraint", "asks for calm")
    assert rendered == {"index.html", "feed.xml"}, "the bottom line shows there only"
    assert "fisheries-2021" in restored, "the home page lists every briefing"


def test_the_names_kept_in_records_are_those_the_views_show(tmp_path: Path) -> None:
    """Topic titles and side names come from the newest event that has them, either way."""
    _, entries = _site(two_event_workspace(tmp_path))
    keys, site = PageKeys(b""), gather(entries)
    records = {event.slug: keys.record(event) for event in site.events}
    names = names_of(records)
    assert names.topics == dict(sorted(site.names().topics.items()))
    assert names.sides == dict(sorted(site.names().sides.items()))
    assert names.topics["trilateral-security"] == "Trilateral security cooperation"
    assert names.sides["united-states"] == "United States government", "the later event's name"
