"""The live preview: a real server on 127.0.0.1, real edits on disk, a real Chromium."""

from __future__ import annotations

import http.client
import os
import queue
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from _processes import tagged_processes
from _workspace import REPO, line_of, replace
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.errors import SourceError, TemplateError, UsageError
from briefgen.preview.http import STATE_PATH, content_type, inject, resolve
from briefgen.preview.server import Outcome, Preview, describe
from briefgen.verify.check import check_paths

SLUG = "korea-japan-trade-2019"
LEAD = "Washington holds both allies responsible."
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Only guards against a hang: each wait is for a state (a build reported, a page changed),
# however long a loaded machine takes to reach it.
HANG_S = 300.0
WAIT_MS = int(HANG_S * 1000)
BANNER = "#briefgen-preview-problem"


def sample_workspace(root: Path) -> Path:
    """Copy the sample source, its article and briefgen.yaml into ``root``; return the source."""
    (root / "sources").mkdir(parents=True)
    for suffix in (".yaml", ".article.txt"):
        shutil.copy(REPO / "sources" / f"{SLUG}{suffix}", root / "sources")
    shutil.copy(REPO / "briefgen.yaml", root / "briefgen.yaml")
    return root / "sources" / f"{SLUG}.yaml"


def save(path: Path, text: str, *, by_rename: bool = False) -> None:
    """Save as editors do: in place, or by renaming a new file over the old one."""
    if not by_rename:
        path.write_text(text, encoding="utf-8")
        return
    temp = path.with_name(f".{path.name}.new")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def get(preview: Preview, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """Send a GET with the path exactly as given (no normalising); return status, headers, body."""
    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=HANG_S)
    try:
        connection.putrequest("GET", path, skip_host="Host" in headers)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def eventually(condition: Callable[[], Any], timeout: float = HANG_S) -> Any:
    """Return the first truthy value of ``condition()``; fail only if it hangs (``timeout``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"condition not met within {timeout} s")


def built(outcomes: list[Outcome], count: int) -> Outcome:
    """Wait until the preview has reported ``count`` builds; return the last."""
    return eventually(lambda: len(outcomes) >= count and outcomes[count - 1])


def port_is_free(port: int) -> bool:
    """Tell whether 127.0.0.1:port can be bound again."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """The sample workspace in tmp_path; its source file."""
    return sample_workspace(tmp_path)


@pytest.fixture
def outcomes() -> list[Outcome]:
    """What the preview reported, in order."""
    return []


@pytest.fixture
def preview(source: Path, outcomes: list[Outcome]) -> Iterator[Preview]:
    """A started preview of the sample (web pages only) on a free port."""
    running = Preview([source.parent], port=0, report=outcomes.append)
    running.start()
    yield running
    running.stop()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh desktop-sized browser page."""
    opened = browser.new_page(viewport=DESKTOP)
    yield opened
    opened.close()


# -- the pieces, without a server ------------------------------------------------------------


def test_resolve_maps_urls_to_files_inside_the_output_only(tmp_path: Path) -> None:
    out = tmp_path / "output"
    (out / "brief" / "sub").mkdir(parents=True)
    (out / "brief" / "index.html").write_text("page")
    (out / ".briefgen").mkdir()
    (out / ".briefgen" / "state.json").write_text("{}")
    (tmp_path / "secret.txt").write_text("secret")
    (out / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (out / "escape").symlink_to(tmp_path)
    real = out.resolve()
    assert resolve(out, "/brief/") == real / "brief" / "index.html"
    assert resolve(out, "/brief/index.html") == real / "brief" / "index.html"
    assert resolve(out, "/brief") == "/brief/"
    assert resolve(out, "/%62rief/") == real / "brief" / "index.html"
    for refused in (
        "/brief/sub/",  # a folder without index.html is not listed
        "/brief/index.html/",
        "/../secret.txt",
        "/brief/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/leak.txt",
        "/escape/secret.txt",
        "/escape",
        "/.briefgen/state.json",
        "/missing.html",
        "/brief/%00",
    ):
        assert resolve(out, refused) is None, refused


def test_resolve_never_redirects_off_the_site(tmp_path: Path) -> None:
    (tmp_path / "evil.example").mkdir()
    assert resolve(tmp_path, "//evil.example") == "/evil.example/"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("index.html", "text/html; charset=utf-8"),
        ("briefgen.css", "text/css; charset=utf-8"),
        ("pagefind.js", "text/javascript; charset=utf-8"),
        ("feed.XML", "application/xml; charset=utf-8"),
        ("brief.pdf", "application/pdf"),
        ("wasm.en.pagefind", "application/octet-stream"),
        ("pagefind.wasm", "application/wasm"),
        ("en_abc.pf_meta", "application/octet-stream"),
        ("logo.svg", "image/svg+xml"),
        ("search.json", "application/json"),
    ],
)
def test_content_types(name: str, expected: str) -> None:
    assert content_type(Path(name)) == expected


def test_inject_escapes_the_problem_and_keeps_the_page() -> None:
    page = b"<!DOCTYPE html><html><body class='x'><p>Kept</p></body></html>"
    out = inject(page, "tok123", "x.yaml:3:5: error: unknown speaker '<script>alert(1)</script>'")
    text = out.decode()
    assert "<p>Kept</p>" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<script>alert(1)" not in text
    assert text.index("briefgen-preview-problem") < text.index("<p>Kept</p>")
    assert text.index('"tok123"') < text.index("</body>")
    assert "briefgen-preview-problem" not in inject(page, "tok", None).decode()
    assert inject(b"no body at all", "tok", None).startswith(b"no body at all<script")


def test_outcome_and_describe_say_what_happened(source: Path) -> None:
    text = replace("    speaker: tatsumi", "    speaker: tatsumy", source.read_text())
    source.write_text(text)
    error = SourceError(check_paths([source]).errors)
    described = describe(error)
    assert f"{source}:{line_of('speaker: tatsumy', text)}:14: error:" in described
    assert describe(TemplateError("t.html:3: boom")) == "error: t.html:3: boom"
    assert "Traceback" in describe(_raised(KeyError("bug")))
    failed = Outcome("pages", 0.1, problem=described).text()
    assert failed.startswith(described) and "still serving the last good build" in failed
    built = Outcome("pages", 0.123, ("w",), trigger=("sources/x.yaml",)).text()
    assert built == "w\npages built in 0.12 s (sources/x.yaml changed)"


def _raised(exc: Exception) -> Exception:
    """Return an exception with a traceback, as a build would raise it."""
    try:
        raise exc
    except Exception as raised:
        return raised


# -- a running preview, over HTTP --------------------------------------------------------------


def test_serves_the_built_site_with_types_redirects_and_a_404(preview: Preview) -> None:
    status, headers, body = get(preview, "/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"
    assert SLUG.encode() in body
    status, headers, _ = get(preview, f"/{SLUG}")
    assert (status, headers["Location"]) == (301, f"/{SLUG}/")
    status, headers, body = get(preview, f"/{SLUG}/?x=1")
    assert status == 200 and b"soul-searching" in body
    status, headers, _ = get(preview, "/assets/briefgen.css")
    assert (status, headers["Content-Type"]) == (200, "text/css; charset=utf-8")
    status, headers, body = get(preview, "/assets/")
    assert status == 404 and b"briefgen.css" not in body  # no listing
    assert b"Not found" in body and STATE_PATH.encode() in body


def test_paths_outside_the_output_are_not_served(preview: Preview, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("TOP SECRET")
    (preview.output / "leak.txt").symlink_to(tmp_path / "secret.txt")
    for path in (
        "/../secret.txt",
        "/../sources/korea-japan-trade-2019.yaml",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        f"/{SLUG}/../../secret.txt",
        "/leak.txt",
        "/.briefgen/",
        "/../briefgen.yaml",
    ):
        status, _, body = get(preview, path)
        assert status == 404, path
        assert b"TOP SECRET" not in body and b"organisation:" not in body, path


def test_other_host_names_are_refused(preview: Preview) -> None:
    status, _, body = get(preview, "/", Host="attacker.example:80")
    assert status == 403 and SLUG.encode() not in body
    assert get(preview, "/", Host="attacker.example")[0] == 403
    assert get(preview, "/", Host=f"localhost:{preview.port}")[0] == 200
    assert get(preview, "/", Host=f"127.0.0.1:{preview.port}")[0] == 200


def test_the_reload_script_is_served_but_never_written(preview: Preview) -> None:
    _, _, body = get(preview, f"/{SLUG}/")
    assert b"briefgen-preview-reload" in body and STATE_PATH.encode() in body
    files = [p for p in preview.output.rglob("*") if p.is_file()]
    assert any(p.suffix == ".html" for p in files)
    for path in files:
        data = path.read_bytes()
        assert b"briefgen-preview" not in data and STATE_PATH.encode() not in data, path


def test_the_page_state_changes_only_when_the_page_does(preview: Preview, source: Path) -> None:
    path = f"/{SLUG}/"
    before = preview.token(path)
    assert before == preview.token(f"/{SLUG}/index.html")
    assert preview.token("/") != before
    preview.build_once()
    assert preview.token(path) == before  # same content, no reload
    assert LEAD in source.read_text()
    save(source, source.read_text().replace(LEAD, f"Kumquat {LEAD}", 1))
    eventually(lambda: preview.token(path) != before)


def test_a_template_mistake_shows_in_a_banner_until_fixed(preview: Preview, source: Path) -> None:
    good = get(preview, f"/{SLUG}/")[2]
    templates = source.parent.parent / "templates"
    templates.mkdir()  # a folder that did not exist when the preview started
    (templates / "briefing.html").write_text("{% extends 'base.html' %}\n{{ oops( }}\n")
    problem = eventually(lambda: preview.problem())
    assert "briefing.html:2" in problem and "template syntax error" in problem
    status, _, body = get(preview, f"/{SLUG}/")
    assert status == 200 and b"briefgen-preview-problem" in body
    assert b"template syntax error" in body and b"soul-searching" in body
    assert len(body) > len(good)  # the last good page, plus the banner
    shutil.rmtree(templates)
    eventually(lambda: not preview.problem())
    assert b"briefgen-preview-problem" not in get(preview, f"/{SLUG}/")[2]


def test_a_configuration_saved_by_renaming_is_seen_every_time(
    preview: Preview, source: Path
) -> None:
    config = source.parent.parent / "briefgen.yaml"
    for marking in ("RESTRICTED ONE", "RESTRICTED TWO", "RESTRICTED THREE"):
        text = re.sub(r"(?m)^marking: .*$", f'marking: "{marking}"', config.read_text())
        save(config, text, by_rename=True)  # a watch on the file itself would lose it
        eventually(lambda m=marking: m.encode() in get(preview, f"/{SLUG}/")[2])


def test_a_print_template_mistake_shows_once_the_pdf_build_fails(source: Path) -> None:
    templates = source.parent.parent / "templates"
    templates.mkdir()
    (templates / "print.html").write_text("{% if %}\n")
    preview = Preview([source.parent], port=0, pdf=True)
    preview.start()
    try:
        assert preview.problem() == ""  # the web pages do not use print.html
        problem = eventually(lambda: preview.problem())
        assert problem.startswith("PDFs: ") and "print.html:1" in problem
        assert b"print.html:1" in get(preview, f"/{SLUG}/")[2]
    finally:
        preview.stop()


def test_stop_releases_the_port_and_ends_its_threads(source: Path) -> None:
    preview = Preview([source.parent], port=0)
    before = set(threading.enumerate())
    preview.start()
    port = preview.port
    assert port and not port_is_free(port)
    assert get(preview, "/")[0] == 200
    started = time.monotonic()
    preview.stop()
    print(f"\nstop() took {time.monotonic() - started:.2f} s")
    assert port_is_free(port)
    assert set(threading.enumerate()) <= before
    with pytest.raises(OSError):
        get(preview, "/")
    preview.stop()  # a second stop is harmless


def test_ctrl_c_during_the_first_build_stops_cleanly(source: Path) -> None:
    def interrupted(outcome: Outcome) -> None:
        raise KeyboardInterrupt  # as if Ctrl-C came while the first build ran

    before = set(threading.enumerate())
    preview = Preview([source.parent], port=0, report=interrupted)
    ready: list[str] = []
    preview.run(ready.append)
    assert ready == []
    assert port_is_free(preview.port)
    assert set(threading.enumerate()) <= before


def test_a_port_in_use_is_a_clear_usage_error(source: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        with pytest.raises(UsageError, match=f"port {port} is already in use"):
            Preview([source.parent], port=port).start()
        result = CliRunner().invoke(main, ["serve", "--port", str(port), str(source.parent)])
    assert result.exit_code == 2
    assert f"port {port} is already in use" in result.output


# -- in Chromium -----------------------------------------------------------------------------


def test_a_saved_edit_reloads_the_open_page(
    preview: Preview, source: Path, page: Any, outcomes: list[Outcome]
) -> None:
    page.goto(f"{preview.url}{SLUG}/")
    page.get_by_text(LEAD).first.wait_for()
    latencies = []
    for n in range(4):
        marker = f"Quokka{n}"
        page.evaluate("window.beforeEdit = true")
        text = source.read_text().replace(LEAD, f"{marker} {LEAD}", 1)
        started = time.monotonic()
        save(source, text, by_rename=n % 2 == 1)
        assert built(outcomes, n + 2).ok, "the preview rebuilt the edit"
        page.get_by_text(f"{marker} {LEAD}").first.wait_for(timeout=WAIT_MS)
        latencies.append(time.monotonic() - started)
        assert page.evaluate("window.beforeEdit") is None, "the page should have reloaded"
    shown = ", ".join(f"{s:.2f}" for s in latencies)
    builds = ", ".join(f"{o.elapsed:.2f}" for o in outcomes[1:])
    # measured, not asserted: a loaded machine is slower, and the README reports the median
    print(f"\nedit-to-visible latency: {shown} s (median {statistics.median(latencies):.2f} s)")
    print(f"of which build(pdf=False): {builds} s")


def test_a_broken_edit_shows_a_banner_over_the_last_good_page(
    preview: Preview, source: Path, browser: Any
) -> None:
    good = source.read_text()
    pages = [browser.new_page(viewport=size) for size in (DESKTOP, PHONE)]
    for tab in pages:
        tab.goto(f"{preview.url}{SLUG}/")
    broken = replace("    speaker: tatsumi", "    speaker: tatsumi<b>x</b>", good)
    save(source, broken)
    expected = [d.format() for d in check_paths([source]).errors]
    assert f"{source}:{line_of('speaker: tatsumi<b>', broken)}:14: error:" in expected[0]
    for tab in pages:
        banner = tab.locator(BANNER)
        banner.wait_for(timeout=WAIT_MS)
        shown = banner.inner_text()
        assert all(line in shown for line in expected), shown
        assert banner.locator("b").count() == 0  # the diagnostics are text, not markup
        assert tab.get_by_text(LEAD).first.is_visible()  # the last good page is still served
    pages[0].screenshot(path="/tmp/briefgen-preview-banner-desktop.png")
    pages[1].screenshot(path="/tmp/briefgen-preview-banner-phone.png")
    save(source, good)
    for tab in pages:
        tab.locator(BANNER).wait_for(state="detached", timeout=WAIT_MS)
        assert tab.get_by_text(LEAD).first.is_visible()
        tab.close()


def test_the_404_page_turns_into_the_page_once_it_is_built(
    preview: Preview, source: Path, page: Any
) -> None:
    renamed = source.with_name("renamed-briefing.yaml")
    page.goto(f"{preview.url}renamed-briefing/")
    page.get_by_role("heading", name="Not found").wait_for()
    shutil.copy(source, renamed)
    page.get_by_text(LEAD).first.wait_for(timeout=WAIT_MS)


# -- PDFs in the background, and the command line ----------------------------------------------


def test_pdfs_follow_the_latest_edit_and_stop_ends_their_workers(
    source: Path, outcomes: list[Outcome], monkeypatch: pytest.MonkeyPatch
) -> None:
    tag = f"BRIEFGEN_TEST_{uuid.uuid4().hex}"
    monkeypatch.setenv("BRIEFGEN_TEST_TAG", tag)
    preview = Preview([source.parent], port=0, pdf=True, report=outcomes.append)
    preview.start()
    try:
        pdf = preview.output / SLUG / f"{SLUG}.pdf"
        first = eventually(lambda: tagged_processes(tag))  # a PDF build runs
        save(source, source.read_text().replace(LEAD, f"Wombat {LEAD}", 1))  # cancels it
        started = time.monotonic()
        eventually(lambda: not set(first) & set(tagged_processes(tag)))
        print(f"\ncancelled the PDF build {time.monotonic() - started:.2f} s after the edit")
        done = eventually(lambda: [o for o in outcomes if o.stage == "PDFs"])
        assert done[0].ok, done[0].text()
        assert len(done) == 1, "the cancelled PDF build must not report"
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "Wombat" in text
        assert f"{SLUG}.pdf".encode() in get(preview, f"/{SLUG}/")[2]  # the page links it now
        assert get(preview, f"/{SLUG}/{SLUG}.pdf")[1]["Content-Type"] == "application/pdf"
        save(source, source.read_text().replace("Wombat", "Numbat", 1))
        eventually(lambda: len(tagged_processes(tag)) > 1)  # build and a worker
    finally:
        preview.stop()
    assert tagged_processes(tag) == {}
    pdfs = [o for o in outcomes if o.stage == "PDFs"]
    assert len(pdfs) == 1, "stop() ended the second PDF build: it neither finished nor reported"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Numbat" not in text and "Wombat" in text


def test_the_command_serves_until_ctrl_c(source: Path) -> None:
    tag = f"BRIEFGEN_TEST_{uuid.uuid4().hex}"
    env = {**os.environ, "BRIEFGEN_TEST_TAG": tag, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "serve", "--port", "0", "--pdf"],
        cwd=source.parent.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(x) for x in process.stdout or []])
    reader.start()
    try:
        first = lines.get(timeout=HANG_S)
        while not first.startswith("Serving"):
            first = lines.get(timeout=HANG_S)
        url = first.split()[1]
        assert first.strip() == f"Serving {url} — Ctrl-C to stop"
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        port = int(url.rsplit(":", 1)[1].strip("/"))
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=HANG_S)
        connection.request("GET", f"/{SLUG}/")
        assert connection.getresponse().status == 200
        connection.close()
        # serve, its `briefgen build --pdf` and at least one PDF worker
        eventually(lambda: len(tagged_processes(tag)) > 2)
        process.send_signal(signal.SIGINT)
        process.wait(timeout=HANG_S)
    finally:
        if process.poll() is None:
            process.kill()
        reader.join()
    stderr = process.stderr.read() if process.stderr else ""
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr, stderr
    assert port_is_free(port)
    eventually(lambda: tagged_processes(tag) == {})
