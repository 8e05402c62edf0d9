"""Fast builds: unchanged work is skipped, the manifest is committed with the outputs, PDFs
render in parallel workers, progress goes through a reporter. Real builds in tmp_path."""

from __future__ import annotations

import gc
import io
import json
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _workspace import REPO, VALID, replace, write
from click.testing import CliRunner

import briefgen.build.context as context_module
import briefgen.build.pipeline as build_module
from briefgen.build import BuildResult, build
from briefgen.build.manifest import MANIFEST
from briefgen.build.progress import Reporter, RichReporter, Summary, reporter_for
from briefgen.cli import main
from briefgen.errors import RenderError, SourceError, TemplateError

OTHER = replace('title: "Seminar on trade"', 'title: "Hearing on tariffs"').replace(
    "Both sides want calm.", "Both sides want time."
)
EDITED = replace("Both sides want calm.", "Both sides want quiet.")


class Recorder(Reporter):
    """A reporter that remembers every stage with its total, and how far each advanced."""

    def __init__(self) -> None:
        super().__init__()
        self.stages: list[list[object]] = []

    def stage(self, name: str, total: int | None) -> None:
        self.stages.append([name, total, 0])

    def advance(self, steps: int = 1) -> None:
        self.stages[-1][2] += steps  # type: ignore[operator]

    def total(self, prefix: str) -> int:
        """Return the total of the stages whose name starts with ``prefix``."""
        return sum(t or 0 for n, t, _ in self.stages if str(n).startswith(prefix))  # type: ignore[misc]


@pytest.fixture(autouse=True)
def _unpinned(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let every write stamp its own time, so that mtimes show what was rewritten."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A workspace with two briefings: 'event' and 'other'."""
    write(tmp_path, VALID, "event")
    write(tmp_path, OTHER, "other")
    return tmp_path


def state(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Return every file below a folder with its bytes and modification time."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def run(root: Path, **options: object) -> tuple[BuildResult, Recorder]:
    """Build the workspace's sources (web pages only unless asked) with a recording reporter."""
    recorder = Recorder()
    options.setdefault("pdf", False)
    result = build([root / "sources"], reporter=recorder, **options)  # type: ignore[arg-type]
    return result, recorder


def changed(before: dict[str, tuple[bytes, int]], after: dict[str, tuple[bytes, int]]) -> set[str]:
    """Return the files that were written (new, or rewritten) between two states."""
    return {name for name, value in after.items() if before.get(name) != value}


def test_a_second_build_with_no_change_renders_and_writes_nothing(root: Path) -> None:
    first, _ = run(root, pdf=True)
    assert first.built == ["event", "other"] and first.unchanged == []
    before = state(root / "output")
    result, recorder = run(root, pdf=True)
    assert result.built == [] and result.unchanged == ["event", "other"]
    assert result.written == []
    assert recorder.total("Checking") == recorder.total("Rendering pages") == 0
    assert recorder.total("Preparing PDFs") == 0
    assert not [n for n, _, _ in recorder.stages if str(n).startswith("Rendering site")]
    assert recorder.summary == Summary(0, 2, 0, result.elapsed)
    assert state(root / "output") == before


def test_editing_one_source_rebuilds_it_and_the_site_pages_only(root: Path) -> None:
    run(root, pdf=True)
    before = state(root / "output")
    (root / "sources" / "event.yaml").write_text(EDITED)
    result, recorder = run(root, pdf=True)
    assert result.built == ["event"] and result.unchanged == ["other"]
    assert recorder.total("Checking") == 1 and recorder.total("Rendering pages") == 1
    written = changed(before, state(root / "output"))
    assert "event/index.html" in written and "event/event.pdf" in written
    assert not [name for name in written if name.startswith("other/")]
    assert "index.html" in written  # the home page shows each event's bottom line
    assert "quiet" in (root / "output" / "index.html").read_text()
    assert "calm" not in (root / "output" / "index.html").read_text()


def test_an_incremental_build_makes_what_a_full_build_makes(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1565170200")
    steps = [
        lambda: None,
        lambda: (root / "sources" / "event.yaml").write_text(EDITED),
        lambda: (root / "sources" / "other.yaml").write_text(OTHER + "# a comment\n"),
    ]
    for step in steps:
        step()
        incremental = build([root / "sources"], root / "incremental")
        build([root / "sources"], root / "full", force=True)
    assert incremental.built == ["other"]
    files, again = state(root / "incremental"), state(root / "full")
    assert sorted(files) == sorted(again)
    assert [name for name in files if files[name][0] != again[name][0]] == []


def test_a_template_or_the_configuration_rebuilds_everything(root: Path) -> None:
    run(root)
    (root / "templates").mkdir()
    base = (REPO / "templates" / "base.html").read_text()
    (root / "templates" / "base.html").write_text(base.replace("<head>", "<head>\n<!-- ours -->"))
    assert run(root)[0].built == ["event", "other"]
    assert "<!-- ours -->" in (root / "output" / "other" / "index.html").read_text()
    assert run(root)[0].built == []
    (root / "briefgen.yaml").write_text("organisation: Example Institute\n")
    result, _ = run(root)
    assert result.built == ["event", "other"]
    assert "Example Institute" in (root / "output" / "other" / "index.html").read_text()


def test_a_new_version_of_a_library_that_shapes_the_output_rebuilds_everything(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(root)
    assert run(root)[0].built == []
    real = context_module.library_version
    monkeypatch.setattr(context_module, "library_version", lambda name: real(name) + "+1")
    assert run(root)[0].built == ["event", "other"], "kept Markdown conversions are redone"


def test_a_build_collects_garbage_less_often_then_as_before(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    during: list[tuple[int, int, int]] = []
    original = build_module.run

    def watched(*args: Any, **kwargs: Any) -> Any:
        during.append(gc.get_threshold())
        return original(*args, **kwargs)

    monkeypatch.setattr(build_module, "run", watched)
    before = gc.get_threshold()
    run(root)
    (root / "sources" / "event.yaml").write_text("event: [")
    with pytest.raises(SourceError):
        run(root)
    assert [t[0] for t in during] == [build_module.GC_THRESHOLD] * 2
    assert gc.get_threshold() == before, "restored, also after a failed build"


def test_a_deleted_output_is_made_again(root: Path) -> None:
    run(root, pdf=True)
    out = root / "output"
    (out / "other" / "index.html").unlink()
    (out / "event" / "event.pdf").unlink()
    before = state(out)
    result, recorder = run(root, pdf=True)
    assert result.built == ["event", "other"]
    assert recorder.total("Rendering pages") == 1 and recorder.total("Preparing PDFs") == 1
    assert (out / "other" / "index.html").is_file() and (out / "event" / "event.pdf").is_file()
    written = changed(before, state(out))
    assert "event/index.html" not in written and "other/other.pdf" not in written
    (out / "index.html").unlink()
    result, _ = run(root, pdf=True)
    assert result.built == [] and (out / "index.html").is_file()


def test_force_rebuilds_everything(root: Path) -> None:
    run(root)
    before = state(root / "output")
    result, recorder = run(root, force=True)
    assert result.built == ["event", "other"] and recorder.total("Rendering pages") == 2
    written = changed(before, state(root / "output"))
    assert {"event/index.html", "other/index.html"} <= written


def test_pdfs_after_a_build_without_them(root: Path) -> None:
    out = root / "output"
    run(root, pdf=False)
    manifest = json.loads((out / MANIFEST).read_text())
    assert set(manifest["briefings"]["event"]["made"]) == {"pages"}
    assert 'href="event.pdf"' not in (out / "event" / "index.html").read_text()
    result, recorder = run(root, pdf=True)
    assert result.built == ["event", "other"] and recorder.total("Preparing PDFs") == 2
    assert (out / "event" / "event.pdf").is_file() and (out / "other" / "other.pdf").is_file()
    assert 'href="event.pdf"' in (out / "event" / "index.html").read_text()
    # A build without PDFs keeps linking the PDFs that are current...
    assert run(root, pdf=False)[0].built == []
    # ...but not one made from an older version of its source, and does not claim it current.
    (root / "sources" / "event.yaml").write_text(EDITED)
    assert run(root, pdf=False)[0].built == ["event"]
    assert 'href="event.pdf"' not in (out / "event" / "index.html").read_text()
    assert 'href="other.pdf"' in (out / "other" / "index.html").read_text()
    result, recorder = run(root, pdf=True)
    assert result.built == ["event"] and recorder.total("Preparing PDFs") == 1
    assert 'href="event.pdf"' in (out / "event" / "index.html").read_text()


def test_the_manifest_is_committed_with_the_outputs(root: Path) -> None:
    run(root)
    before = state(root / "output")
    (root / "templates").mkdir()
    (root / "templates" / "speaker.html").write_text("{{ no_such_thing }}")
    with pytest.raises(TemplateError):
        run(root)
    assert state(root / "output") == before
    (root / "templates" / "speaker.html").unlink()
    (root / "sources" / "event.yaml").write_text(EDITED)
    with pytest.raises(RenderError, match="took longer than"):
        run(root, pdf=True, pdf_timeout=0.001)
    assert state(root / "output") == before
    assert run(root)[0].built == ["event"]


@pytest.mark.parametrize(
    "manifest",
    [b"{not json", b'{"format": 99, "briefings": {}}', b'{"format": 1}', b"[]"],
    ids=["corrupt", "unknown-format", "incomplete", "not-a-mapping"],
)
def test_an_unreadable_manifest_means_a_full_rebuild(root: Path, manifest: bytes) -> None:
    run(root)
    (root / "output" / MANIFEST).write_bytes(manifest)
    assert run(root)[0].built == ["event", "other"]
    assert run(root)[0].built == []


def test_since_rebuilds_the_briefings_it_compares(root: Path) -> None:
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "sources"], check=True)
    subprocess.run([*git, "commit", "-qm", "first"], check=True)
    (root / "sources" / "event.yaml").write_text(
        VALID.replace("Both should do some soul-searching.", "Both must stop the quarrel now.")
    )
    run(root)
    assert "Changes since HEAD" not in (root / "output" / "event" / "index.html").read_text()
    assert run(root, since="HEAD")[0].built == ["event", "other"]
    assert "Changes since HEAD" in (root / "output" / "event" / "index.html").read_text()
    assert run(root)[0].built == ["event", "other"]  # the pages show no git comparison now
    assert "Changes since HEAD" not in (root / "output" / "event" / "index.html").read_text()


def test_a_skipped_briefing_keeps_its_revision(root: Path) -> None:
    run(root)
    (root / "sources" / "event.yaml").write_text(
        VALID.replace("Both should do some soul-searching.", "Both must stop the quarrel now.")
    )
    run(root)
    page = (root / "output" / "event" / "index.html").read_text()
    assert "Revision 2 ·" in page and "Changes since revision 1" in page
    record = (root / "output" / ".briefgen/revisions/event.json").read_bytes()
    assert run(root)[0].built == []
    assert (root / "output" / ".briefgen/revisions/event.json").read_bytes() == record
    (root / "output" / ".briefgen/revisions/event.json").unlink()  # its record is an input
    assert run(root)[0].built == ["event"]


def test_warnings_are_said_again_and_fail_a_strict_build(root: Path) -> None:
    (root / "sources" / "other.yaml").write_text(OTHER.replace('"Both sides want time."', '""'))
    first, _ = run(root)
    assert [d.field for d in first.warnings] == ["event.summary"]
    again, _ = run(root)
    assert again.built == [] and again.warnings == first.warnings
    with pytest.raises(Exception, match="summary"):
        run(root, strict=True)


def test_a_build_of_one_file_lists_the_others_from_the_manifest(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefgen.build.site_stage

    run(root)
    checked: list[list[Path]] = []
    real = briefgen.build.site_stage.check_paths
    monkeypatch.setattr(
        briefgen.build.site_stage, "check_paths", lambda p: checked.append(p) or real(p)
    )
    (root / "sources" / "event.yaml").write_text(EDITED)
    one = build([root / "sources" / "event.yaml"], pdf=False)
    assert one.built == ["event"] and one.unchanged == []
    assert checked == [[]], "'other' is unchanged: the manifest describes it"
    index = (root / "output" / "index.html").read_text()
    assert 'href="other/index.html"' in index and "Hearing on tariffs" in index
    assert "quiet" in index
    (root / "sources" / "other.yaml").write_text(OTHER.replace("tariffs", "quotas"))
    (root / "sources" / "event.yaml").write_text(VALID)
    build([root / "sources" / "event.yaml"], pdf=False)
    assert [p.name for p in checked[-1]] == ["other.yaml"], "changed since: loaded again"
    assert "Hearing on quotas" in (root / "output" / "index.html").read_text()


def test_the_command_prints_a_one_line_summary(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(root)
    runner = CliRunner()
    first = runner.invoke(main, ["build", "--no-pdf"])
    assert first.exit_code == 0, first.output
    assert first.output.splitlines()[-1].startswith("built 2, unchanged 0, failed 0 in ")
    assert first.output.splitlines()[-1].endswith(" s")
    again = runner.invoke(main, ["build", "--no-pdf"])
    assert again.output.splitlines() == [again.output.splitlines()[-1]]
    assert again.output.startswith("built 0, unchanged 2, failed 0 in ")
    forced = runner.invoke(main, ["build", "--no-pdf", "--force"])
    assert forced.output.startswith("built 2, unchanged 0, failed 0 in ")
    (root / "sources" / "event.yaml").write_text(replace('title: "Seminar on trade"', "title: 4"))
    failed = runner.invoke(main, ["build", "--no-pdf"])
    assert failed.exit_code == 1
    assert "event.yaml:2:" in failed.output
    assert failed.output.splitlines()[-1].startswith("built 0, unchanged 1, failed 1 in ")


def test_progress_is_silent_unless_on_a_terminal(root: Path) -> None:
    assert type(reporter_for(io.StringIO())) is Reporter

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    reporter = reporter_for(screen)
    assert isinstance(reporter, RichReporter)
    build([root / "sources"], pdf=False, reporter=reporter)
    assert "Rendering pages" in screen.getvalue()  # drawn, then cleared
    assert reporter.summary is not None and reporter.summary.built == 2


def test_the_command_draws_no_progress_into_a_pipe(root: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "briefgen", "build", "--no-pdf"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout == ""
    assert out.stderr.startswith("built 2, unchanged 0, failed 0 in ")
    assert "\x1b" not in out.stderr and len(out.stderr.splitlines()) == 1


def tagged(tag: str) -> set[int]:
    """Return the ids of this process's PDF workers (children whose environment has ``tag``).

    A worker's own children (WeasyPrint's library lookup runs gcc) share its command line
    until they exec: only direct children of this process count.
    """
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            environ = (entry / "environ").read_bytes()
            command = (entry / "cmdline").read_bytes()
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if tag.encode() in environ and b"briefgen.pdf" in command and parent == os.getpid():
            found.add(int(entry.name))
    return found


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[set[int]]]:
    """Watch the PDF worker processes of this test: each sample is the set alive then."""
    if not Path("/proc/self/environ").exists():
        pytest.skip("needs /proc to see the worker processes")
    tag = f"BRIEFGEN_TEST_{uuid.uuid4().hex}"
    monkeypatch.setenv("BRIEFGEN_TEST_TAG", tag)
    samples: list[set[int]] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(0.02):
            samples.append(tagged(tag))

    watcher = threading.Thread(target=watch)
    watcher.start()
    yield samples
    stop.set()
    watcher.join()


def test_jobs_2_renders_pdfs_in_two_workers_at_once(root: Path, workers: list[set[int]]) -> None:
    result, _ = run(root, pdf=True, workers=2)
    assert result.built == ["event", "other"]
    assert len(set().union(*workers)) == 2, "two workers for four PDFs"
    assert max(len(alive) for alive in workers) == 2, "both alive at the same time"
    assert os.getpid() not in set().union(*workers)


def test_jobs_1_renders_in_one_worker_and_a_no_op_starts_none(
    root: Path, workers: list[set[int]]
) -> None:
    run(root, pdf=True, workers=1)
    assert len(set().union(*workers)) == 1
    workers.clear()
    assert run(root, pdf=True)[0].built == []
    assert set().union(*workers) == set()


def test_a_page_failing_while_the_pdfs_render_fails_the_build(
    root: Path, workers: list[set[int]]
) -> None:
    (root / "templates").mkdir()
    (root / "templates" / "speaker.html").write_text("{{ no_such_thing }}")  # a web page only
    with pytest.raises(TemplateError, match=r"speaker\.html"):
        run(root, pdf=True, workers=2)
    assert len(set().union(*workers)) == 2, "the PDFs were rendering meanwhile"
    assert not (root / "output").exists()
    assert tagged(os.environ["BRIEFGEN_TEST_TAG"]) == set(), "no worker is left behind"


def test_a_build_without_pdfs_never_imports_weasyprint(root: Path) -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from briefgen.cli import main\n"
        f"r = CliRunner().invoke(main, ['build', '--no-pdf', {str(root / 'sources')!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "print('weasyprint' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    assert (root / "output" / "event" / "index.html").is_file()


def test_planted_warnings_are_not_believed(root: Path) -> None:
    """A no-op build says the warnings it kept; a kept file it did not seal makes it load again."""
    (root / "sources" / "other.yaml").write_text(OTHER.replace('"Both sides want time."', '""'))
    first, _ = run(root)
    kept = root / "output" / ".briefgen" / "cache" / "other.warnings.json"
    assert kept.is_file() and b"event.summary" in kept.read_bytes()
    body = kept.read_bytes().partition(b"\n")[2].replace(b"event.summary", b"event.title")
    kept.write_bytes(b"# briefgen-seal " + b"0" * 64 + b"\n" + body)
    again, _ = run(root)
    assert "other" in again.built, "loaded again, not taken on trust"
    assert again.warnings == first.warnings
