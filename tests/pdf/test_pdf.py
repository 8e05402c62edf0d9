"""PDF rendering: real WeasyPrint in worker processes, read back with pypdf and pdftotext."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from pypdf import PdfReader

from briefgen.errors import RenderError
from briefgen.pdf.jobs import MAX_HTML_CHARS, PdfJob, PdfOutput, allowed_folders, source_date
from briefgen.pdf.pool import PdfPool, render_pdf, render_pdfs

CREATED = dt.datetime(2019, 8, 7, 9, 30, tzinfo=dt.UTC)
MARKING = "INTERNAL USE ONLY"
QUOTES = [
    f"Quote {n}: we believe that some soul-searching is in order on both sides, and that "
    "leaders in Seoul and Tokyo should choose calm words over sharp ones. Each bears "
    "responsibility for the damage to trust, and each must do its part to repair it, so that "
    "tensions do not spill into economic and security ties. We stand ready to help, as a "
    f"friend and ally of both, in whatever way they find useful, number {n}."
    for n in range(1, 13)
]
FILLER = (
    "The seminar heard remarks on the export restrictions, the whitelist and the "
    "information-sharing pact, followed by a discussion among the analysts. "
)


def document(body: str, *, head: str = "", paper: str = "letter", avoid: bool = True) -> str:
    """Return a print HTML document like the renderer's: meta tags, @page rules, a marking."""
    rule = "blockquote { break-inside: avoid; }" if avoid else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Korea and Japan: the trade dispute</title>
<meta name="author" content="Example Institute">
<meta name="description" content="What each side said at the seminar">
<meta name="keywords" content="trade, export controls, GSOMIA">
<meta name="generator" content="briefgen test">
<meta name="dcterms.created" content="2019-08-07T09:30:00Z">
<meta name="dcterms.modified" content="2019-08-08T10:00:00Z">
<style>
@page {{ size: {paper}; margin: 2.5cm 2cm;
  @top-center {{ content: "{MARKING}"; }} @bottom-center {{ content: "{MARKING}"; }} }}
body {{ font-family: "DejaVu Serif", serif; font-size: 11pt; }}
{rule}
</style>{head}</head><body>{body}</body></html>"""


def quotes_body() -> str:
    """Headings, filler of growing length and quotes: some quotes fall on page breaks."""
    parts = ["<h1>Briefing note</h1>"]
    for n, quote in enumerate(QUOTES):
        if n % 4 == 0:
            parts.append(f"<h2>Part {n // 4 + 1}</h2>")
        parts.append(f"<p>{FILLER * (3 + n % 5)}</p><blockquote><p>{quote}</p></blockquote>")
    return "\n".join(parts)


def job(slug: str, html: str, root: Path, **extra: Any) -> PdfJob:
    """Return a job with fixed dates and identifier."""
    options: dict[str, Any] = {"created": CREATED, "identifier": b"test-identifier", **extra}
    return PdfJob(slug, html, root, **options)


def pdf_text(data: bytes, tmp: Path, page: int | None = None) -> str:
    """Return pdftotext's text of the PDF (or of one page), whitespace normalised."""
    path = tmp / f"doc-{abs(hash(data))}.pdf"
    path.write_bytes(data)
    pages = ["-f", str(page), "-l", str(page)] if page else []
    text = subprocess.run(
        ["pdftotext", *pages, str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return " ".join(text.split())


def reader(data: bytes) -> PdfReader:
    """Open PDF bytes with pypdf."""
    return PdfReader(io.BytesIO(data))


def output(result: PdfOutput | RenderError) -> PdfOutput:
    """Return a successful result, failing the test with the error otherwise."""
    if isinstance(result, RenderError):
        pytest.fail(str(result))
    return result


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace root with a templates/ folder."""
    root = tmp_path_factory.mktemp("workspace")
    (root / "templates").mkdir()
    return root


@pytest.fixture(scope="module")
def rendered(workspace: Path) -> dict[str, PdfOutput]:
    """Render the documents most tests read, in one batch of two workers."""
    attachment = ("source.yaml", b"event:\n  title: Seminar\n", "The curated source")
    jobs = [
        job("letter", document(quotes_body()), workspace, attachments=(attachment,)),
        job("a4", document("<h1>A4</h1><p>Paper</p>", paper="A4"), workspace),
        job("split", document(quotes_body(), avoid=False), workspace),
    ]
    results = render_pdfs(jobs, workers=2)
    return {j.slug: output(r) for j, r in zip(jobs, results, strict=True)}


def test_page_size_follows_the_page_rule(rendered: dict[str, PdfOutput]) -> None:
    letter = reader(rendered["letter"].data).pages[0].mediabox
    a4 = reader(rendered["a4"].data).pages[0].mediabox
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)


def test_metadata_comes_from_the_meta_tags(rendered: dict[str, PdfOutput]) -> None:
    info = reader(rendered["letter"].data).metadata
    assert info is not None
    assert info.title == "Korea and Japan: the trade dispute"
    assert info.author == "Example Institute"
    assert info.subject == "What each side said at the seminar"
    assert info["/Keywords"] == "trade, export controls, GSOMIA"
    assert info.creator == "briefgen test"
    assert info.creation_date == CREATED
    assert info.modification_date == dt.datetime(2019, 8, 8, 10, tzinfo=dt.UTC)


def test_bookmarks_follow_the_headings(rendered: dict[str, PdfOutput]) -> None:
    outline = reader(rendered["letter"].data).outline
    assert outline[0].title == "Briefing note"
    assert [item.title for item in outline[1]] == ["Part 1", "Part 2", "Part 3"]


def test_tagged_and_identified_as_pdf_ua(rendered: dict[str, PdfOutput]) -> None:
    root = reader(rendered["letter"].data).trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert root["/Lang"] == "en"
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdfuaid:part="1"' in xmp


def test_source_is_attached(rendered: dict[str, PdfOutput]) -> None:
    attachments = reader(rendered["letter"].data).attachments
    assert dict(attachments) == {"source.yaml": [b"event:\n  title: Seminar\n"]}


def test_every_font_is_embedded_and_subset(rendered: dict[str, PdfOutput]) -> None:
    fonts = []
    for page in reader(rendered["letter"].data).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.append(font)
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descendant["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]
            assert re.match(r"^/[A-Z]{6}\+", font["/BaseFont"]), font["/BaseFont"]
    assert fonts


def test_every_quote_comes_out_whole_on_one_page(
    rendered: dict[str, PdfOutput], tmp_path: Path
) -> None:
    data = rendered["letter"].data
    pages = len(reader(data).pages)
    assert pages >= 3
    texts = [pdf_text(data, tmp_path, n) for n in range(1, pages + 1)]
    for quote in QUOTES:
        assert sum(quote in text for text in texts) == 1, quote
    assert all(text.count(MARKING) == 2 for text in texts)


def test_the_quote_test_would_catch_a_split(rendered: dict[str, PdfOutput], tmp_path: Path) -> None:
    """Without break-inside: avoid, the same document splits a quote (so the check bites)."""
    data = rendered["split"].data
    texts = [pdf_text(data, tmp_path, n) for n in range(1, len(reader(data).pages) + 1)]
    assert any(not any(quote in text for text in texts) for quote in QUOTES)


def test_same_input_same_bytes(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1565170200")
    html = document(quotes_body())
    attachment = [("source.yaml", b"a: 1\n", "source")]
    first = render_pdf(html, root=workspace, attachments=attachment, created=None, identifier=b"x")
    second = render_pdf(html, root=workspace, attachments=attachment, created=None, identifier=b"x")
    assert first == second
    embedded = reader(first).trailer["/Root"]["/Names"]["/EmbeddedFiles"]["/Names"][1]
    params = embedded.get_object()["/EF"]["/F"].get_object()["/Params"]
    assert params["/CreationDate"] == "D:20190807093000Z"


def variable_font(path: Path) -> None:
    """Write a tiny variable font: WeasyPrint instantiates it with fontTools, which stamps
    the time (or SOURCE_DATE_EPOCH) into it, and fails on an empty SOURCE_DATE_EPOCH."""
    chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ "
    order = [".notdef"] + [f"g{ord(c)}" for c in chars]
    pen = TTGlyphPen(None)
    pen.moveTo((50, 0))
    pen.lineTo((50, 700))
    pen.lineTo((500, 700))
    pen.lineTo((500, 0))
    pen.closePath()
    glyph = pen.glyph()
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap({ord(c): f"g{ord(c)}" for c in chars})
    builder.setupGlyf({name: glyph for name in order})
    builder.setupHorizontalMetrics({name: (600, 50) for name in order})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Briefgen Test VF", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    builder.setupFvar(axes=[("wght", 100, 400, 900, "Weight")], instances=[])
    builder.setupGvar({})
    builder.save(str(path))


VARIABLE_FONT_PAGE = document(
    "<p>HELLO WORLD</p>",
    head="<style>@font-face { font-family: VF; src: url(vf.ttf); } p { font-family: VF; }</style>",
)


def test_font_timestamps_follow_created(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    variable_font(tmp_path / "templates" / "vf.ttf")
    day_after = CREATED + dt.timedelta(days=1)
    first, other = render_pdfs(
        [
            job("a", VARIABLE_FONT_PAGE, tmp_path),
            job("b", VARIABLE_FONT_PAGE, tmp_path, created=day_after),
        ]
    )
    time.sleep(1.1)
    [again] = render_pdfs([job("a", VARIABLE_FONT_PAGE, tmp_path)])
    assert output(first).messages == ()
    assert output(first).data == output(again).data
    assert output(first).data != output(other).data


def test_empty_source_date_epoch_is_unset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "templates").mkdir()
    variable_font(tmp_path / "templates" / "vf.ttf")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")
    [result] = render_pdfs([job("empty", VARIABLE_FONT_PAGE, tmp_path, created=None)])
    assert output(result).messages == ()
    assert output(result).data.startswith(b"%PDF-1.7")
    data = render_pdf(document("<p>Hello</p>"), root=tmp_path, created=None, identifier=b"x")
    assert data.startswith(b"%PDF-1.7")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("  ", None),
        ("soon", None),
        ("-5", None),
        ("1565170200", CREATED),
    ],
)
def test_source_date(value: str | None, expected: dt.datetime | None) -> None:
    env = {} if value is None else {"SOURCE_DATE_EPOCH": value}
    assert source_date(env) == expected


class _Recorder(BaseHTTPRequestHandler):
    """Record every connection that reaches the server."""

    hits: ClassVar[list[str]] = []

    def handle(self) -> None:
        self.hits.append(str(self.client_address))
        super().handle()

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body::after { content: 'FROM-HTTP'; }")

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def http_server() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on 127.0.0.1 that records every connection."""
    hits: ClassVar[list[str]] = []
    handler = type("Handler", (_Recorder,), {"hits": hits})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def hostile_body(base: str) -> tuple[str, str]:
    """Return the head and body of a document that tries to load what it must not."""
    head = f"""
<link rel="attachment" href="file:///etc/passwd" title="passwd">
<link rel="attachment" href="secret-link.txt">
<link rel="stylesheet" href="{base}/linked.css">
<link rel="stylesheet" href="allowed.css">
<link rel="stylesheet" href="data:text/css,h2::after%7Bcontent:'FROM-DATA-URI'%7D">
<style>
@import url({base}/imported.css);
@font-face {{ font-family: Remote; src: url({base}/font.woff2); }}
body {{ background: url({base}/background.png); }}
h1 {{ background-image: url(file:///etc/passwd); }}
</style>"""
    body = f"""<h1>Hostile</h1><h2>Data</h2>
<img src="file:///etc/passwd" alt="">
<img src="../../etc/hostname" alt="">
<img src="{base}/x.png" alt="">
<a rel="attachment" href="file:///etc/passwd">passwd</a>
<p>End of document.</p>"""
    return head, body


def test_fetcher_loads_only_templates_and_data(
    tmp_path: Path, http_server: tuple[str, list[str]]
) -> None:
    base, hits = http_server
    root = tmp_path / "ws"
    (root / "templates").mkdir(parents=True)
    (root / "templates" / "allowed.css").write_text("h1::after { content: 'FROM-TEMPLATES'; }")
    (tmp_path / "secret.txt").write_text("TOP-SECRET-CONTENT")
    (root / "templates" / "secret-link.txt").symlink_to(tmp_path / "secret.txt")
    head, body = hostile_body(base)
    result = output(render_pdfs([job("hostile", document(body, head=head), root)])[0])
    assert hits == []
    text = pdf_text(result.data, tmp_path)
    assert "FROM-TEMPLATES" in text and "FROM-DATA-URI" in text
    assert "FROM-HTTP" not in text and "root:" not in text
    assert b"TOP-SECRET" not in result.data and b"root:x:0:0" not in result.data
    assert reader(result.data).attachments == {}
    refused = set(result.refused)
    assert {"file:///etc/passwd", f"{base}/x.png"} <= refused
    assert (tmp_path / "etc" / "hostname").as_uri() in refused
    assert {f"{base}/linked.css", f"{base}/imported.css", f"{base}/background.png"} <= refused
    assert (root / "templates" / "secret-link.txt").as_uri() in refused


def test_allowed_folders_are_the_two_template_folders(workspace: Path) -> None:
    folders = allowed_folders(workspace)
    assert folders[0] == (workspace / "templates").resolve()
    assert (folders[1] / "print.html").is_file()


def test_overrunning_and_failing_renders_become_errors(workspace: Path) -> None:
    pages = "<div style='break-after: page'>x</div>" * 30_000
    crash = "<p style='font-size: 1e7px'>Enormous</p>"
    jobs = [
        job("good", document("<p>Fine</p>"), workspace),
        job("pages", document(pages), workspace, timeout=2),
        job("crash", document(crash), workspace),
        job("also-good", document("<p>Also fine</p>"), workspace),
    ]
    started = time.monotonic()
    results = render_pdfs(jobs, workers=2)
    assert time.monotonic() - started < 30
    assert isinstance(results[0], PdfOutput) and isinstance(results[3], PdfOutput)
    assert isinstance(results[1], RenderError)
    assert str(results[1]) == "pages: PDF rendering took longer than 2 s"
    assert isinstance(results[2], RenderError)
    assert str(results[2]).startswith("crash: PDF rendering failed")


def test_render_pdf_raises_the_timeout(workspace: Path) -> None:
    pages = "<div style='break-after: page'>x</div>" * 30_000
    with pytest.raises(RenderError, match="took longer than 1 s"):
        render_pdf(document(pages), root=workspace, created=CREATED, identifier=b"x", timeout=1)


def test_absurd_input_is_refused_before_rendering(workspace: Path) -> None:
    huge = document("<p>" + "x" * MAX_HTML_CHARS + "</p>")
    started = time.monotonic()
    [result] = render_pdfs([job("huge", huge, workspace)])
    assert isinstance(result, RenderError)
    assert "larger than" in str(result)
    assert time.monotonic() - started < 1


def _ended(pid: int) -> bool:
    """Tell whether a child process has exited and been reaped."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_workers_started_ahead_render_the_jobs_and_unused_ones_end(tmp_path: Path) -> None:
    pool = PdfPool(3)  # started before the jobs exist, as a build does
    pids = [worker.process.pid for worker in pool.workers]
    jobs = [job(name, document(f"<p>{name}</p>"), tmp_path) for name in ("one", "two")]
    results = render_pdfs(jobs, workers=2, pool=pool)
    texts = [PdfReader(io.BytesIO(output(r).data)).pages[0].extract_text() for r in results]
    assert ["one" in texts[0], "two" in texts[1]] == [True, True]
    assert pool.workers == []
    assert all(_ended(pid) for pid in pids), "the third worker, never needed, is ended"


def test_a_pool_closed_unused_leaves_no_process() -> None:
    pool = PdfPool(2)
    pids = [worker.process.pid for worker in pool.workers]
    pool.close()
    assert pool.workers == [] and all(_ended(pid) for pid in pids)
