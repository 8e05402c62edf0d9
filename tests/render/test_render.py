"""The renderer: sections and anchors, attribution, markings, templates, safety, goldens."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable
from types import ModuleType

import pytest
from _pages import EVIL, PAYLOADS, Node, assert_clean, hostile_source, parse
from _workspace import REPO, SMALL

from briefgen.errors import TemplateError
from briefgen.paths import builtin_templates
from briefgen.render.brief import position_line
from briefgen.render.cjk import native_lang
from briefgen.render.environment import Renderer
from briefgen.render.markdown import first_sentence, markdown_inline, markdown_to_html, plain_text
from briefgen.render.meta import BriefingMeta
from briefgen.render.views import citation_numbers
from briefgen.source.config import Config
from briefgen.verify.check import LoadedSource

GOLDEN = REPO / "tests" / "golden"


# --- a small DOM from the standard library's parser -------------------------------------------


# --- sections, anchors, attribution ------------------------------------------------------------

# So-what first: the reader's part, then the reference annexes.
SECTIONS = [
    "Bottom line",
    "Takeaways",
    "Questions to ask",
    "Where the sides stand",
    "Each side’s view",
    "Annex A · Background",
    "Annex B · Quotes and their verification",
    "Annex C · Participants",
    "Annex D · Sources",
]


@pytest.fixture(scope="module")
def pages(sample: LoadedSource, sample_renderer: Renderer, meta: BriefingMeta) -> dict[str, Node]:
    """The sample's web page and print HTML, parsed."""
    return {
        "page": parse(sample_renderer.briefing_page(sample, meta)),
        "print": parse(sample_renderer.briefing_print(sample, meta)),
    }


@pytest.mark.parametrize("kind", ["page", "print"])
def test_every_section_in_order(pages: dict[str, Node], kind: str) -> None:
    doc = pages[kind]
    article = doc.find_all("article", class_="briefing")[0]
    headings = [
        h.text() for h in article.find_all("h2") if "toc-title" not in h.attrs.get("class", "")
    ]
    assert headings == SECTIONS
    assert len(article.find_all("h1")) == 1
    masthead = article.find_all("header", class_="masthead")[0]
    assert masthead.iter().index(masthead.find_all("h1")[0]) > 0
    assert "Revision 1 · Prepared 1 May 2024 · ID 0123abc" in masthead.text()
    for label in ("Date", "Host", "Location", "Format"):
        assert label in [dt_.text() for dt_ in masthead.find_all("dt")]


@pytest.mark.parametrize("kind", ["page", "print"])
def test_headings_descend_one_level_at_a_time(pages: dict[str, Node], kind: str) -> None:
    levels = [int(n.tag[1]) for n in pages[kind].iter() if re.fullmatch(r"h[1-6]", n.tag)]
    assert levels[0] == 1 if kind == "print" else levels[0] in (1, 2)
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1


def test_sides_are_parallel(pages: dict[str, Node], sample: LoadedSource) -> None:
    sides = pages["page"].find_all("section", class_="side")
    names = [s.find_all("h3")[0].text() for s in sides]
    assert [n.removesuffix(" (not represented at the event)") for n in names] == [
        s.name for s in sample.briefing.sides
    ]
    for section in sides:
        assert section.find_all("div", class_="side-summary")
        assert section.find_all("dl", class_="positions") or section.find_all(class_="none")
        (voices,) = section.find_all("p", class_="voices")
        assert "Voiced by" in voices.text() and "Quotes in Annex B" in voices.text()


def test_quote_and_position_anchors(pages: dict[str, Node], sample: LoadedSource) -> None:
    b = sample.briefing
    for kind in ("page", "print"):
        doc = pages[kind]
        for anchor in b.quote_ids():
            assert doc.by_id(f"quote-{anchor}").tag == "li"
        for position in b.positions:
            node = doc.by_id(f"position-{position.side}-{position.topic}")
            assert "position" in node.attrs["class"]


@pytest.mark.parametrize("kind", ["page", "print"])
def test_every_fragment_link_has_a_target(pages: dict[str, Node], kind: str) -> None:
    doc = pages[kind]
    ids = [n.attrs["id"] for n in doc.iter() if n.attrs.get("id")]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for link in doc.find_all("a"):
        href = link.attrs.get("href") or ""
        if href.startswith("#"):
            assert href[1:] in ids, href


def test_matrix_is_a_real_table(pages: dict[str, Node], sample: LoadedSource) -> None:
    b = sample.briefing
    table = pages["page"].find_all("table", class_="matrix")[0]
    assert table.find_all("caption")[0].text()
    cols = [
        th.text().removesuffix(" (not represented)") for th in table.find_all("th", scope="col")
    ]
    assert cols == ["Topic", *[s.name for s in b.sides]]
    rows = [th.text() for th in table.find_all("th", scope="row")]
    assert rows == [t.title for t in b.topics]
    cells = table.find_all("td")
    assert len(cells) == len(b.topics) * len(b.sides)
    empty = [c for c in cells if c.text() == "No stated position"]
    assert len(empty) == len(b.topics) * len(b.sides) - len(b.positions)
    for topic_index, topic in enumerate(b.topics):
        for side_index, side in enumerate(b.sides):
            cell = cells[topic_index * len(b.sides) + side_index]
            position = b.position(side.id, topic.id)
            if position is None:
                assert cell.text() == "No stated position"
            else:
                (link,) = cell.find_all("a")
                assert link.attrs["href"] == f"#position-{side.id}-{topic.id}"
                # A line per cell: the position's summary, else the stance's first sentence.
                assert link.text() == position_line(position)
                if position.summary is None:
                    assert plain_text(position.stance).startswith(link.text().rstrip("…"))


def test_matrix_scroll_region_is_labelled_and_focusable(pages: dict[str, Node]) -> None:
    (region,) = pages["page"].find_all("div", class_="table-scroll")
    assert region.attrs["role"] == "region"
    assert region.attrs["tabindex"] == "0"
    assert pages["page"].by_id(region.attrs["aria-labelledby"] or "").tag == "caption"


OPENING_QUOTES = ("“", '"', "‘", "'", "«", "„")


def test_paraphrase_is_never_in_quotation_marks(pages: dict[str, Node]) -> None:
    for kind in ("page", "print"):
        doc = pages[kind]
        paraphrase = (
            doc.find_all("div", class_="stance")
            + doc.find_all("div", class_="side-summary")
            + [doc.by_id("bottom-line")]
            + doc.find_all("td")
        )
        assert paraphrase
        for node in paraphrase:
            text = node.text().removeprefix("Bottom line").strip()
            assert not text.startswith(OPENING_QUOTES), text[:60]
            assert not text.endswith(("”", '"')), text[-60:]


def test_quotes_are_in_quotation_marks_and_attributed(
    pages: dict[str, Node], sample: LoadedSource
) -> None:
    b = sample.briefing
    numbers = citation_numbers(b)
    for anchor, quote in zip(b.quote_ids(), b.quotes, strict=True):
        item = pages["page"].by_id(f"quote-{anchor}")
        number = item.attrs["value"]
        assert item.find_all("blockquote")[0].text() == f"B{number} “{quote.text}”"
        speaker = b.speaker(quote.speaker)
        # Quotes are grouped under their speaker, whose heading attributes them.
        group = next(
            g for g in pages["page"].find_all("section", class_="quote-group") if item in g.iter()
        )
        heading = group.find_all("h3")[0].text()
        for part in (speaker.name, speaker.title, speaker.affiliation):
            assert part in heading
        meta = item.find_all("p", class_="quote-meta")[0]
        assert "Verified: matches the words of the Korea Herald report, para" in meta.text()
        cited = {a.attrs["href"] for a in pages["page"].by_id("quotes").find_all("a", class_="ref")}
        assert f"#source-{quote.source}" in cited
        assert f"[{numbers[quote.source]}]" in pages["page"].by_id("quotes").text()


def test_side_sections_hold_their_own_speakers_quotes(
    pages: dict[str, Node], sample: LoadedSource
) -> None:
    b = sample.briefing
    anchors = dict(zip(b.quote_ids(), b.quotes, strict=True))
    for side in b.sides:
        section = pages["page"].by_id(f"side-{side.id}")
        assert not section.find_all("blockquote")  # each quote is printed once, in Annex B
        (voices,) = section.find_all("p", class_="voices")
        linked = [
            a.attrs["href"] or ""
            for a in voices.find_all("a")
            if "#quote-" in (a.attrs["href"] or "")
        ]
        shown = [anchors[href.removeprefix("#quote-")].text for href in linked]
        assert shown == [q.text for q in b.quotes if b.speaker(q.speaker).side == side.id]


def test_sources_numbered_in_order_of_first_citation(
    fixture_source: LoadedSource, fixture_renderer: Renderer, meta: BriefingMeta
) -> None:
    doc = parse(fixture_renderer.briefing_page(fixture_source, meta))
    items = doc.by_id("sources").find_all("li")
    # statement-2022 is listed first in the file but minutes is cited... after it: the
    # coastal states' registry position cites statement-2022 before anything else.
    assert [li.attrs["id"] for li in items] == [
        "source-statement-2022",
        "source-minutes",
        "source-unused",
    ]
    assert [li.attrs["value"] for li in items] == ["1", "2", "3"]
    refs = [a.text() for a in doc.find_all("a", class_="ref")]
    assert refs[0] == "[1]" and "[2]" in refs and "[3]" not in refs


def test_quote_without_id_is_anchored_by_position(
    fixture_source: LoadedSource, fixture_renderer: Renderer, meta: BriefingMeta
) -> None:
    doc = parse(fixture_renderer.briefing_page(fixture_source, meta))
    assert "“A voluntary" in doc.by_id("quote-q1").find_all("blockquote")[0].text()
    assert doc.by_id("quote-five-years")


def test_side_without_positions_or_voices_keeps_the_structure(
    fixture_source: LoadedSource, fixture_renderer: Renderer, meta: BriefingMeta
) -> None:
    doc = parse(fixture_renderer.briefing_page(fixture_source, meta))
    section = doc.by_id("side-observers")
    assert section.find_all("div", class_="side-summary")
    (voices,) = section.find_all("p", class_="voices")
    assert "no one named in the briefing" in voices.text()
    assert "none from this side’s speakers" in voices.text()
    assert "No stated position on: A regional vessel registry; Joint patrols." in section.text()
    history = doc.by_id("position-fishing-nations-registry").find_all("ul", class_="history")[0]
    assert "Earlier, as of 01 Jun 2022" in history.text()
    assert "Opposed any registry." in history.text()


def test_participants_marked_and_native_names_tagged(
    fixture_source: LoadedSource, fixture_renderer: Renderer, meta: BriefingMeta
) -> None:
    doc = parse(fixture_renderer.briefing_page(fixture_source, meta))
    items = doc.by_id("participants").find_all("li")
    text = {li.find_all("span", class_="name")[0].text(): li for li in items}
    assert "Speaker" in text["Park Ji-won"].find_all("span", class_="badge")[0].text()
    assert text["Alofa Tuilagi"].find_all("span", class_="badge")[0].text() == "Referred to"
    korean = text["Park Ji-won"].find_all("span", class_="native")[0]
    assert (korean.text(), korean.attrs["lang"]) == ("박지원", "ko")
    japanese = text["Hiroshi Tanaka"].find_all("span", class_="native")[0]
    assert (japanese.text(), japanese.attrs["lang"]) == ("田中ひろし", "ja")
    assert not text["Alofa Tuilagi"].find_all("span", class_="native")


def test_native_lang_guess() -> None:
    assert native_lang("문재인") == "ko"
    assert native_lang("たなか") == "ja"
    assert native_lang("辰巳由紀") == "ja"  # Han only: documented as ja
    assert native_lang("Владимир") is None


# --- configuration in the output ---------------------------------------------------------------


def _marking_texts(doc: Node) -> list[str]:
    return [n.text() for n in doc.iter() if "marking" in (n.attrs.get("class") or "")]


def test_marking_present_when_configured(
    workspace: Callable[..., LoadedSource], meta: BriefingMeta
) -> None:
    source = workspace(SMALL)
    renderer = Renderer(source.root, Config(marking="CUI"))
    page = parse(renderer.briefing_page(source, meta))
    assert _marking_texts(page) == ["CUI", "CUI"]  # top and bottom of the page
    printed = renderer.briefing_print(source, meta)
    assert _marking_texts(parse(printed)) == ["CUI"]  # the running string for every page
    assert "@top-center { content: none" not in printed


def test_marking_absent_when_unset(
    workspace: Callable[..., LoadedSource], meta: BriefingMeta
) -> None:
    source = workspace(SMALL)
    renderer = Renderer(source.root, Config())
    assert _marking_texts(parse(renderer.briefing_page(source, meta))) == []
    printed = renderer.briefing_print(source, meta)
    assert _marking_texts(parse(printed)) == []
    assert "@top-center { content: none" in printed


def test_paper_language_and_dates_follow_the_configuration(
    workspace: Callable[..., LoadedSource], meta: BriefingMeta
) -> None:
    source = workspace(SMALL)
    config = Config(paper="a4", language="en-GB", date_format="%Y-%m-%d")
    printed = Renderer(source.root, config).briefing_print(source, meta)
    assert "@page { size: A4; }" in printed
    doc = parse(printed)
    assert doc.find_all("html")[0].attrs["lang"] == "en-GB"
    assert "Prepared 2024-05-01" in doc.text()
    letter = Renderer(source.root, Config()).briefing_print(source, meta)
    assert "@page { size: letter; }" in letter


def test_print_metadata_tags(pages: dict[str, Node], sample: LoadedSource) -> None:
    doc = pages["print"]
    meta_tags = {m.attrs.get("name"): m.attrs.get("content") for m in doc.find_all("meta")}
    b = sample.briefing
    assert doc.find_all("title")[0].text() == b.event.title
    assert meta_tags["author"] == "Example Policy Institute"
    assert meta_tags["description"] == b.event.subtitle
    assert meta_tags["keywords"] == ", ".join(t.title for t in b.topics)
    assert re.fullmatch(r"briefgen \S+", meta_tags["generator"] or "")
    assert meta_tags["dcterms.created"] == meta_tags["dcterms.modified"] == "2024-05-01"


def test_print_author_falls_back_to_host_and_description_to_bottom_line(
    workspace: Callable[..., LoadedSource], meta: BriefingMeta
) -> None:
    source = workspace(SMALL)
    doc = parse(Renderer(source.root, Config()).briefing_print(source, meta))
    meta_tags = {m.attrs.get("name"): m.attrs.get("content") for m in doc.find_all("meta")}
    assert meta_tags["author"] == "Example Institute"
    assert meta_tags["description"] == "Both sides want calm."


def test_print_html_is_self_contained(
    fixture_source: LoadedSource, fixture_renderer: Renderer, meta: BriefingMeta
) -> None:
    printed = fixture_renderer.briefing_print(fixture_source, meta)
    doc = parse(printed)
    assert not doc.find_all("link")
    assert not doc.find_all("script")
    (logo,) = doc.find_all("img")
    assert (logo.attrs["src"] or "").startswith("data:image/svg+xml;base64,")
    for node in doc.iter():
        for name in ("src", "srcset", "data", "poster"):
            value = node.attrs.get(name)
            assert value is None or value.startswith("data:"), (node.tag, name, value)
    assert "url(" not in printed
    assert "@import" not in printed
    assert "size: A4" in printed


def test_web_page_links_are_relative(
    fixture_source: LoadedSource, fixture_renderer: Renderer, meta: BriefingMeta
) -> None:
    doc = parse(fixture_renderer.briefing_page(fixture_source, meta))
    (css,) = doc.find_all("link", rel="stylesheet")
    assert css.attrs["href"] == "../assets/briefgen.css"
    assert doc.find_all("img", class_="logo")[0].attrs["src"] == "../assets/logo.svg"
    hrefs = [a.attrs.get("href") or "" for a in doc.find_all("a")]
    assert "pacific-fisheries-2024.pdf" in hrefs
    assert "../index.html" in hrefs
    assert not [h for h in hrefs if h.startswith("/")]


def test_no_pdf_link_without_a_pdf(
    fixture_source: LoadedSource, fixture_renderer: Renderer
) -> None:
    meta = BriefingMeta("abc", dt.date(2024, 5, 1), has_pdf=False)
    page = fixture_renderer.briefing_page(fixture_source, meta)
    index = fixture_renderer.index_page([(fixture_source, meta)])
    assert ".pdf" not in page and ".pdf" not in index


def test_index_lists_newest_first(
    sample: LoadedSource, fixture_source: LoadedSource, meta: BriefingMeta
) -> None:
    renderer = Renderer(sample.root, Config())
    doc = parse(renderer.index_page([(sample, meta), (fixture_source, meta)]))
    entries = doc.find_all("article", class_="entry")
    assert [e.find_all("h2")[0].text() for e in entries] == [
        fixture_source.briefing.event.title,  # 2024
        sample.briefing.event.title,  # 2019
    ]
    first = entries[0]
    links = [a.attrs["href"] for a in first.find_all("a")]
    assert links == [
        "pacific-fisheries-2024/index.html",
        "pacific-fisheries-2024/index.html",
        "pacific-fisheries-2024/pacific-fisheries-2024.pdf",
    ]
    assert "11 Mar 2024" not in first.text()  # the sample renderer's own date format
    assert "11 March 2024" in first.text() and "Northbridge Policy Forum" in first.text()
    summary = first.find_all("p", class_="entry-summary")[0].text()
    assert summary.startswith("Officials agreed that illegal fishing is rising")
    assert "<" not in summary and "**" not in summary
    assert doc.find_all("link", rel="stylesheet")[0].attrs["href"] == "assets/briefgen.css"


def test_assets_and_template_files(fixture_renderer: Renderer) -> None:
    assets = fixture_renderer.assets()
    assert set(assets) == {"briefgen.css", "logo.svg"}
    assert b"@media print" in assets["briefgen.css"]
    assert assets["logo.svg"].startswith(b"<svg")
    files = fixture_renderer.template_files()
    names = {p.name for p in files}
    assert {"briefing.html", "print.html", "index.html", "briefgen.css", "print.css"} <= names
    assert "logo.svg" in names
    assert all(p.is_file() for p in files)


def test_builtin_templates_are_found() -> None:
    folder = builtin_templates()
    assert (folder / "briefing.html").is_file()
    assert (folder / "assets" / "print.css").is_file()


# --- template search path and errors -----------------------------------------------------------


def test_workspace_template_overrides_the_builtin_by_name(
    workspace: Callable[..., LoadedSource], meta: BriefingMeta
) -> None:
    source = workspace(SMALL)
    templates = source.root / "templates"
    templates.mkdir()
    (templates / "_toc.html").write_text('<p id="custom-toc">Our own contents</p>\n')
    renderer = Renderer(source.root, Config())
    assert renderer.search_path[0] == templates
    doc = parse(renderer.briefing_page(source, meta))
    assert doc.by_id("custom-toc").text() == "Our own contents"
    assert not doc.find_all("nav", class_="toc")
    assert templates / "_toc.html" in renderer.template_files()


def test_an_edited_template_is_recompiled_by_the_next_renderer(
    workspace: Callable[..., LoadedSource], meta: BriefingMeta
) -> None:
    source = workspace(SMALL)
    templates = source.root / "templates"
    templates.mkdir()
    toc = templates / "_toc.html"
    toc.write_text('<p id="custom-toc">First</p>\n')
    assert parse(Renderer(source.root, Config()).briefing_page(source, meta)).by_id("custom-toc")
    toc.write_text('<p id="custom-toc">Second</p>\n')
    doc = parse(Renderer(source.root, Config()).briefing_page(source, meta))
    assert doc.by_id("custom-toc").text() == "Second"


def test_workspace_css_overrides_the_builtin(
    workspace: Callable[..., LoadedSource], meta: BriefingMeta
) -> None:
    source = workspace(SMALL)
    (source.root / "templates" / "assets").mkdir(parents=True)
    (source.root / "templates" / "assets" / "print.css").write_text("body { color: #123456; }")
    (source.root / "templates" / "assets" / "briefgen.css").write_text("main { margin: 0; }")
    renderer = Renderer(source.root, Config())
    assert "#123456" in renderer.briefing_print(source, meta)
    assert renderer.assets()["briefgen.css"] == b"main { margin: 0; }"


def test_template_typo_raises_template_error(
    workspace: Callable[..., LoadedSource], meta: BriefingMeta
) -> None:
    source = workspace(SMALL)
    (source.root / "templates").mkdir()
    (source.root / "templates" / "_toc.html").write_text("<p>\n{{ b.event.titel }}</p>\n")
    with pytest.raises(TemplateError) as caught:
        Renderer(source.root, Config()).briefing_page(source, meta)
    message = str(caught.value)
    assert "titel" in message
    assert "_toc.html:2" in message


def test_undefined_variable_raises_template_error(
    workspace: Callable[..., LoadedSource], meta: BriefingMeta
) -> None:
    source = workspace(SMALL)
    (source.root / "templates").mkdir()
    (source.root / "templates" / "index.html").write_text("{{ no_such_thing }}")
    with pytest.raises(TemplateError, match="no_such_thing"):
        Renderer(source.root, Config()).index_page([(source, meta)])


def test_missing_template_names_the_search_path(
    workspace: Callable[..., LoadedSource], meta: BriefingMeta
) -> None:
    source = workspace(SMALL)
    (source.root / "templates").mkdir()
    (source.root / "templates" / "_toc.html").write_text('{% include "sidebar.html" %}')
    with pytest.raises(TemplateError) as caught:
        Renderer(source.root, Config()).briefing_page(source, meta)
    message = str(caught.value)
    assert "'sidebar.html' not found" in message
    assert str(source.root / "templates") in message
    assert str(builtin_templates()) in message


def test_template_syntax_error_is_located(
    workspace: Callable[..., LoadedSource], meta: BriefingMeta
) -> None:
    source = workspace(SMALL)
    (source.root / "templates").mkdir()
    (source.root / "templates" / "_toc.html").write_text("<p>\n{% if %}</p>")
    with pytest.raises(TemplateError, match=r"_toc\.html:2"):
        Renderer(source.root, Config()).briefing_page(source, meta)


def test_author_text_is_never_a_template(
    workspace: Callable[..., LoadedSource], meta: BriefingMeta
) -> None:
    text = SMALL.replace('"Both sides want calm."', '"{{ config }} {% raw %} {{ 7*7 }}"')
    source = workspace(text)
    renderer = Renderer(source.root, Config())
    for html in (renderer.briefing_page(source, meta), renderer.briefing_print(source, meta)):
        assert "{{ config }} {% raw %} {{ 7*7 }}" in html
        assert "49" not in html


# --- safety ------------------------------------------------------------------------------------


def test_hostile_text_never_survives(
    workspace: Callable[..., LoadedSource], meta: BriefingMeta
) -> None:
    source = workspace(hostile_source())
    b = source.briefing
    filled = [
        b.event.title, b.event.subtitle, b.event.format, b.event.host, b.event.location,
        b.event.summary, b.event.background, b.sides[0].summary, b.sides[0].name,
        b.speakers[0].name, b.speakers[0].native_name, b.speakers[0].bio, b.speakers[0].title,
        b.speakers[0].affiliation, b.topics[0].title, b.topics[0].description,
        b.positions[0].stance, b.quotes[0].text, b.quotes[0].context, b.quotes[0].locator,
        b.sources[0].title, b.sources[0].publisher, b.takeaways[0], b.questions[0],
        b.transcript[0].text,
    ]  # fmt: skip
    assert all(value and EVIL in value for value in filled)
    renderer = Renderer(source.root, Config(organisation="Org"))
    rendered = [
        renderer.briefing_page(source, meta),
        renderer.briefing_print(source, meta),
        renderer.index_page([(source, meta)]),
    ]
    for html in rendered:
        assert_clean(parse(html), html)
    page = parse(rendered[0])
    # Plain text fields show the payload as text, escaped, not as markup.
    assert "<script>alert(1)</script>" in page.find_all("h1")[0].text()
    # Markdown fields keep the harmless parts: the link to an https address survives.
    assert page.find_all("a", href="https://ok.example/")
    ok = page.find_all("a", href="https://ok.example/")[0]
    assert ok.attrs["rel"] == "noopener noreferrer"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_sanitiser_on_each_payload(payload: str) -> None:
    html = str(markdown_to_html(f"Text {payload} more"))
    doc = parse(html)
    assert_clean(doc, html)
    assert "alert(1)" not in "".join(str(v) for n in doc.iter() for v in n.attrs.values())
    assert "Text" in doc.text() and "more" in doc.text()


def test_markdown_basics() -> None:
    assert (
        str(markdown_to_html("*a* **b** `c`"))
        == "<p><em>a</em> <strong>b</strong> <code>c</code></p>"
    )
    assert str(markdown_inline("one *two*")) == "one <em>two</em>"
    assert str(markdown_inline("one\n\ntwo")) == "<p>one</p>\n<p>two</p>"
    assert str(markdown_to_html("# Heading")) == "<p><strong>Heading</strong></p>"
    image = str(markdown_to_html("![chart](https://example.org/c.png)"))
    assert "<img" not in image and 'href="https://example.org/c.png"' in image
    assert plain_text("**Bold** & <em>x</em>") == "Bold & x"


def test_markdown_work_is_bounded() -> None:
    deep = ">" * 5_000 + " deep\n" + "    " * 2_000 + "- item"
    html = str(markdown_to_html(deep))
    assert html.count("<blockquote>") <= 6
    huge = str(markdown_to_html("word " * 40_000))
    assert len(huge) < 60_000


def test_first_sentence() -> None:
    assert first_sentence("Mr. Knapper spoke in the U.S. yesterday. Then left.") == (
        "Mr. Knapper spoke in the U.S. yesterday."
    )
    assert first_sentence("He said “no.” Then left.") == "He said “no.”"
    assert first_sentence("word " * 100).endswith("…")


# --- goldens -----------------------------------------------------------------------------------


def test_golden_html(regen_golden: ModuleType) -> None:
    pages = regen_golden.golden_pages()
    stored = {str(p.relative_to(GOLDEN)): p for p in GOLDEN.rglob("*.html")}
    assert set(pages) == set(stored), "run `python scripts/regen_golden.py`"
    for name, html in pages.items():
        expected = stored[name].read_text(encoding="utf-8")
        assert html == expected, f"{name} differs; run `python scripts/regen_golden.py`"
