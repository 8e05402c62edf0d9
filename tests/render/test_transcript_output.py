"""Transcripts and evidence published: real builds, pages and PDFs read back, links both ways."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from _browser import OVERFLOW_SCRIPT, WCAG_TAGS, WIDTHS
from _workspace import REPO, sample_workspace
from pypdf import PdfReader

from briefgen.build import BuildResult, build
from briefgen.importers import import_transcript
from briefgen.render.markdown import plain_text
from briefgen.render.transcript import Highlight, duration, highlight, locate

TRANSCRIPTS = REPO / "tests" / "fixtures" / "transcripts"
CJK_WORKSPACE = REPO / "tests" / "fixtures" / "transcript-workspace"
CJK = "seoul-tokyo-roundtable-2024"
SAMPLE = "korea-japan-trade-2019"
HERALD = "korea-herald-2019-08-08"
FORMATS = {"vtt": "seminar.vtt", "srt": "seminar.srt", "text": "heritage_allcaps.txt"}
KOREAN = "대화를 계속해야 합니다"
JAPANESE = "輸出管理は報復措置ではありません"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Page(HTMLParser):
    """A rendered page read back: ids (with the ids around them), links, marks, lang runs."""

    def __init__(self, path: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: dict[str, list[str]] = {}
        self.links: list[str] = []
        self.texts: dict[str, str] = {}  # the text inside each element with an id
        self.langs: list[tuple[str, str]] = []
        self._stack: list[tuple[str, dict[str, str | None]]] = []
        self.feed(path.read_text("utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record ids and links; track open elements."""
        found = dict(attrs)
        if found.get("id"):
            self.ids[str(found["id"])] = [str(a["id"]) for _, a in self._stack if a.get("id")]
            self.texts[str(found["id"])] = ""
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        if tag not in VOID:
            self._stack.append((tag, found))

    def handle_endtag(self, tag: str) -> None:
        """Close the innermost open element of this name."""
        while self._stack:
            name, attrs = self._stack.pop()
            if attrs.get("lang"):
                self.langs.append((str(attrs["lang"]), attrs.get("_text") or ""))
            if name == tag:
                return

    def handle_data(self, data: str) -> None:
        """Add text to every open element with an id (and every open lang run)."""
        for _, attrs in self._stack:
            if attrs.get("id"):
                self.texts[str(attrs["id"])] += data
            if attrs.get("lang"):
                attrs["_text"] = (attrs.get("_text") or "") + data


def words(text: str) -> str:
    """Reduce text to its letters and digits, lower-cased, so punctuation and spacing differ."""
    return re.sub(r"[\W_]+", "", text).lower()


def pdftotext(path: Path) -> str:
    """Return the text of a PDF."""
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def body_text(path: Path) -> str:
    """Return the text of a PDF inside the page margins: no running headers or footers."""
    box = PdfReader(path).pages[0].mediabox
    top, bottom = 68, 61  # print.css: 0.95in and 0.85in margins, in points
    area = ["-x", "0", "-y", str(top), "-W", str(int(box.width))]
    area += ["-H", str(int(box.height) - top - bottom)]
    return subprocess.run(
        ["pdftotext", *area, str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def resolves(page: Page, prefix: str, target: Page) -> list[str]:
    """Return the links of ``page`` to ``prefix#id`` whose id does not exist in ``target``."""
    anchors = [link.removeprefix(prefix) for link in page.links if link.startswith(prefix)]
    return [a for a in anchors if a not in target.ids]


# Unit: finding the quoted words


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("we believe that some soul-searching", ["We believe that some soul-searching"]),
        ("soul-searching ... political decisions", ["soul-searching", "political decisions"]),
        ("Some [...] is in order", ["some", "is in order"]),
        ("some [of it] is in order", ["some", "is in order"]),
        ("“Marc Knapper said.”", ["Marc Knapper said"]),
        ("words not in it", []),
    ],
)
def test_locate_finds_the_words_across_elisions(quote: str, expected: list[str]) -> None:
    text = (
        "“We believe that some soul-searching is in order about political decisions,” "
        "Marc Knapper said."
    )
    assert [text[a:b] for a, b in locate(quote, text)] == expected


def test_locate_keeps_offsets_of_the_original_text() -> None:
    text = "Ｆｕｌｌ\u00a0width — and cafe\u0301 ﬁne"
    assert [text[a:b] for a, b in locate("full width", text)] == ["Ｆｕｌｌ\u00a0width"]
    assert [text[a:b] for a, b in locate("café fine", text)] == ["cafe\u0301 ﬁne"]


def test_highlight_never_puts_a_link_inside_an_authors_link() -> None:
    html = '<p>We <a href="https://example.com">believe <em>that</em> some</a> more.</p>'
    marked = highlight(html, [Highlight("q1", 1, "believe that some", False)], "index.html")
    assert marked.count('id="tq-q1"') == 1
    inside = marked.split('<a href="https://example.com">')[1].split("</a>")[0]
    assert "quote-back" not in inside
    assert marked.endswith("in the briefing</span></a></p>")
    assert words(re.sub(r"<[^>]+>", "", marked)) == words(
        "We believe that some more. Key quote 1 in the briefing"
    )


def test_highlight_escapes_text_and_marks_the_passage_when_words_are_missing() -> None:
    marked = highlight(
        "a &lt;script&gt; b", [Highlight("q1", 1, "nowhere to be found", True)], None
    )
    assert marked == (
        '<mark class="quote-mark near-miss" id="tq-q1">a &lt;script&gt; b</mark>'
        ' <span class="quote-tag">Key quote 1</span>'
    )


@pytest.mark.parametrize(
    ("time", "expected"),
    [
        ("00:00:01", "PT0M1S"),
        ("01:02:03", "PT1H2M3S"),
        ("1:02", "PT1M2S"),
        ("0:03.250", "PT0M3.250S"),
    ],
)
def test_duration_is_a_valid_html_duration(time: str, expected: str) -> None:
    assert duration(time) == expected


# Imported transcripts, one per format


@dataclass(frozen=True)
class Imported:
    """An imported transcript with one quote added, as built."""

    slug: str
    data: dict[str, Any]
    turn: int  # the 1-based turn the quote comes from
    quote: str


def add_quote(data: dict[str, Any]) -> tuple[int, str]:
    """Quote five words from the middle of the first paragraph of a turn with enough words."""
    for n, turn in enumerate(data["transcript"], 1):
        first = turn["text"].split("\n\n")[0].split()
        if len(first) >= 7:
            quote = " ".join(first[1:6])
            data["quotes"] = [
                {"id": "key", "speaker": turn["speaker"], "text": quote, "source": "transcript"}
            ]
            return n, quote
    raise AssertionError("no turn long enough to quote")


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Imported]]:
    """The three fixture transcripts imported, each with a quote added, built into one output."""
    root = tmp_path_factory.mktemp("imported")
    (root / "sources").mkdir()
    cases = {}
    for fmt, name in FORMATS.items():
        result = import_transcript(TRANSCRIPTS / name)
        data = yaml.safe_load(result.yaml_text)
        turn, quote = add_quote(data)
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        (root / "sources" / f"{result.slug}.yaml").write_text(text, encoding="utf-8")
        cases[fmt] = Imported(result.slug, data, turn, quote)
    build([root / "sources"], root / "output", pdf=True)
    return root / "output", cases


@pytest.mark.parametrize("fmt", FORMATS)
def test_imported_transcript_has_anchored_turns_labels_and_times(
    imported: tuple[Path, dict[str, Imported]], fmt: str
) -> None:
    out, cases = imported
    case = cases[fmt]
    html = (out / case.slug / "transcript.html").read_text("utf-8")
    page = Page(out / case.slug / "transcript.html")
    turns = case.data["transcript"]
    assert [i for i in page.ids if re.fullmatch(r"t-\d+", i)] == [
        f"t-{n}" for n in range(1, len(turns) + 1)
    ]
    names = {s["id"]: s["name"] for s in case.data["speakers"]}
    for n, turn in enumerate(turns, 1):
        block = html.split(f'id="t-{n}"')[1].split('id="t-')[0]
        head = block.split("</p>")[0]
        assert words(names[turn["speaker"]]) in words(head)
        if turn.get("time"):
            assert f">{turn['time']}</time>" in head
        for paragraph in turn["text"].split("\n\n"):
            assert words(plain_text(paragraph)) in words(page.texts[f"t-{n}"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_imported_quote_is_marked_and_linked_both_ways(
    imported: tuple[Path, dict[str, Imported]], fmt: str
) -> None:
    out, cases = imported
    case = cases[fmt]
    transcript = Page(out / case.slug / "transcript.html")
    briefing = Page(out / case.slug / "index.html")
    assert words(transcript.texts["tq-key"]) == words(case.quote)
    assert f"t-{case.turn}" in transcript.ids["tq-key"]
    assert "index.html#quote-key" in transcript.links
    assert f"transcript.html#t-{case.turn}" in briefing.links
    assert "transcript.html" in briefing.links
    assert resolves(transcript, "index.html#", briefing) == []
    assert resolves(briefing, "transcript.html#", transcript) == []
    assert resolves(transcript, "#", transcript) == []
    assert all(not re.match(r"^(/|[a-z]+:)", link) for link in transcript.links), transcript.links


@pytest.mark.parametrize("fmt", FORMATS)
def test_imported_transcript_pdf_has_the_turns_and_anchors(
    imported: tuple[Path, dict[str, Imported]], fmt: str
) -> None:
    out, cases = imported
    case = cases[fmt]
    pdf = out / case.slug / f"{case.slug}-transcript.pdf"
    text = words(body_text(pdf))
    assert words("Transcript") in text and words(case.data["event"]["title"]) in text
    for turn in case.data["transcript"]:
        for paragraph in turn["text"].split("\n\n"):
            assert words(plain_text(paragraph)) in text
    destinations = set(PdfReader(pdf).named_destinations)
    assert {f"t-{n}" for n in range(1, len(case.data["transcript"]) + 1)} <= destinations
    assert "tq-key" in destinations


# Korean and Japanese, near misses and unverifiable quotes, prose evidence


@pytest.fixture(scope="module")
def cjk(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """The fixture workspace with Korean and Japanese speakers, built with PDFs."""
    root = tmp_path_factory.mktemp("cjk") / "workspace"
    shutil.copytree(CJK_WORKSPACE, root)
    result = build([root / "sources"], root / "output", pdf=True)
    return root / "output" / CJK, result


def test_cjk_survives_into_the_transcript_pdf_as_text(cjk: tuple[Path, BuildResult]) -> None:
    folder, _ = cjk
    for pdf in (folder / f"{CJK}-transcript.pdf", folder / f"{CJK}.pdf"):
        text = pdftotext(pdf)
        for chars in (KOREAN, JAPANESE, "김소현", "辰巳由紀"):
            assert chars in text, (pdf.name, chars)


def test_cjk_fonts_are_embedded_subsets(cjk: tuple[Path, BuildResult]) -> None:
    folder, _ = cjk
    pdf = folder / f"{CJK}-transcript.pdf"
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True, text=True)
    rows = [line.split() for line in listing.stdout.splitlines()[2:]]
    cjk_rows = {row[0].split("+")[1]: row[-5:-2] for row in rows if "CJK" in row[0]}
    assert any("KR" in name for name in cjk_rows) and any("JP" in name for name in cjk_rows)
    assert all(flags == ["yes", "yes", "yes"] for flags in cjk_rows.values()), cjk_rows
    assert all(re.fullmatch(r"[A-Z]{6}\+.+", row[0]) for row in rows if "CJK" in row[0])
    # A CJK face is 15-20 MB; a subset of a few glyphs (WeasyPrint keeps glyph ids) ~100 kB.
    assert pdf.stat().st_size < 1_000_000


def test_cjk_text_is_tagged_with_its_language(cjk: tuple[Path, BuildResult]) -> None:
    folder, _ = cjk
    transcript = Page(folder / "transcript.html")
    assert ("ko", KOREAN) in transcript.langs
    assert ("ja", JAPANESE) in transcript.langs
    assert ("ko", "김소현") in transcript.langs and ("ja", "辰巳由紀") in transcript.langs
    assert ("ko", "김소현") in Page(folder / "sources" / "release.html").langs
    briefing = Page(folder / "index.html")
    assert ("ko", KOREAN) in briefing.langs and ("ja", JAPANESE) in briefing.langs


def test_near_miss_and_unverifiable_quotes_say_so(cjk: tuple[Path, BuildResult]) -> None:
    folder, result = cjk
    html = (folder / "index.html").read_text("utf-8")
    near = html.split('id="quote-many-years"')[1].split("</li>")[0]
    assert 'class="check check-near-miss"' in near
    assert '<a href="transcript.html#t-1">Not verified: the wording differs' in near
    unverified = html.split('id="quote-from-notes"')[1].split("</li>")[0]
    assert (
        'class="check check-unverified"' in unverified
        and "<a href" not in unverified.split('class="check')[1].split("</p>")[0]
    )
    assert "Not verified: source &#39;notes&#39; has no file to check against" in unverified
    messages = [d.message for d in result.warnings]
    assert any("differs from the source" in m for m in messages)
    assert any("no file to check against" in m for m in messages)
    transcript = Page(folder / "transcript.html")
    assert words(transcript.texts["tq-many-years"]).startswith(
        words("and it usually takes several")
    )


def test_quotes_verified_against_the_transcript_link_to_their_turn(
    cjk: tuple[Path, BuildResult],
) -> None:
    folder, _ = cjk
    briefing, transcript = Page(folder / "index.html"), Page(folder / "transcript.html")
    for anchor, turn in (("keep-talking", 2), ("not-retaliation", 3), ("patient-work", 1)):
        assert f"transcript.html#t-{turn}" in briefing.links
        assert f"t-{turn}" in transcript.ids[f"tq-{anchor}"]
        assert f"index.html#quote-{anchor}" in transcript.links
    assert words(transcript.texts["tq-not-retaliation"]) == words(JAPANESE)


def test_evidence_text_is_escaped_and_marked(cjk: tuple[Path, BuildResult]) -> None:
    folder, _ = cjk
    html = (folder / "sources" / "release.html").read_text("utf-8")
    page = Page(folder / "sources" / "release.html")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;both&lt;/b&gt;" in html and "https://example.com" not in page.links
    # The one-line headline is not paragraph 1.
    assert [i for i in page.ids if i.startswith("p-")] == ["p-1", "p-2"]
    assert page.ids["tq-trust-is-earned"][-1] == "p-1"
    assert "../index.html#quote-trust-is-earned" in page.links
    assert resolves(page, "../index.html#", Page(folder / "index.html")) == []


def test_print_marks_are_text_and_no_link_leaves_the_pdf(cjk: tuple[Path, BuildResult]) -> None:
    folder, _ = cjk
    pdf = folder / f"{CJK}.pdf"
    text = pdftotext(pdf)
    flat = " ".join(text.split())
    assert "✓ Verified: matches the words of the transcript, 00:01:10" in flat
    assert re.search(r"✓ Verified: matches the words of the [^,]+ statement, para 1\b", flat)
    assert "! Not verified: the wording differs from the transcript, 00:00:05" in flat
    uris = [
        str(annot.get_object().get("/A", {}).get("/URI", ""))
        for page in PdfReader(pdf).pages
        for annot in page.get("/Annots") or []
    ]
    assert not [u for u in uris if "transcript.html" in u or "sources/" in u], uris


# The sample: prose evidence, no transcript


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample built with PDFs."""
    root = sample_workspace(tmp_path_factory.mktemp("sample"))
    build([root / "sources"], root / "output", pdf=True)
    return root / "output" / SAMPLE


def test_sample_quotes_are_verified_and_link_to_their_paragraph(sample_out: Path) -> None:
    source = yaml.safe_load((REPO / "sources" / f"{SAMPLE}.yaml").read_text("utf-8"))
    briefing = Page(sample_out / "index.html")
    evidence = Page(sample_out / "sources" / f"{HERALD}.html")
    html = (sample_out / "index.html").read_text("utf-8")
    assert not (sample_out / "transcript.html").exists()
    assert 'href="transcript.html"' not in html
    assert html.count('class="check check-verified"') == len(source["quotes"])
    for quote in source["quotes"]:
        para = quote["locator"].removeprefix("para ")
        assert f"sources/{HERALD}.html#p-{para}" in briefing.links, quote["id"]
        assert evidence.ids[f"tq-{quote['id']}"][-1] == f"p-{para}"
        assert words(quote["text"]) in words(evidence.texts[f"tq-{quote['id']}"])
    assert resolves(briefing, f"sources/{HERALD}.html#", evidence) == []
    assert resolves(evidence, "../index.html#", briefing) == []


def test_sample_pdf_says_verified_with_the_paragraph(sample_out: Path) -> None:
    text = " ".join(pdftotext(sample_out / f"{SAMPLE}.pdf").split())
    source = yaml.safe_load((REPO / "sources" / f"{SAMPLE}.yaml").read_text("utf-8"))
    verified = "✓ Verified: matches the words of the Korea Herald report, para"
    assert text.count(verified) == len(source["quotes"])
    assert f"{verified} 4" in text


# Page quality: the Nu HTML Checker and axe-core


@pytest.fixture(scope="module")
def quality_pages(
    cjk: tuple[Path, BuildResult], sample_out: Path, imported: tuple[Path, dict[str, Imported]]
) -> dict[str, Path]:
    """The transcript, evidence and checked briefing pages to hold to the quality bar."""
    folder, _ = cjk
    out, cases = imported
    return {
        "cjk-transcript": folder / "transcript.html",
        "cjk-evidence": folder / "sources" / "release.html",
        "cjk-briefing": folder / "index.html",
        "sample-evidence": sample_out / "sources" / f"{HERALD}.html",
        "text-transcript": out / cases["text"].slug / "transcript.html",
    }


def test_pages_pass_the_nu_html_checker(
    quality_pages: dict[str, Path], nu_checker: list[str]
) -> None:
    files = [str(p) for p in quality_pages.values()]
    result = subprocess.run([*nu_checker, *files], capture_output=True, text=True, timeout=300)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "error" not in report.lower(), report


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize(
    "name", ["cjk-transcript", "cjk-evidence", "cjk-briefing", "sample-evidence"]
)
def test_no_axe_violations_and_nothing_overflows(
    quality_pages: dict[str, Path], page_at: Callable[..., Any], axe: Any, name: str, width: int
) -> None:
    page = page_at(quality_pages[name], width)
    result = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert result.violations_count == 0, result.generate_report()
    found = page.evaluate(OVERFLOW_SCRIPT)
    assert found["scrollWidth"] <= found["width"], found
