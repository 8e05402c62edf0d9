"""Page workers: many briefings are rendered in processes side by side, as one process would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from _workspace import replace, write

from briefgen.build import build
from briefgen.build.progress import Reporter
from briefgen.build.rendering import PARALLEL_FROM
from briefgen.errors import BriefgenError, SourceError

EVENTS = PARALLEL_FROM + 8


class Stages(Reporter):
    """Remember the stages a build went through."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []

    def stage(self, name: str, total: int | None) -> None:
        self.names.append(name)


def _workspace(root: Path, count: int = EVENTS) -> Path:
    """Write ``count`` small events; return the sources folder."""
    for n in range(count):
        text = replace("date: 2019-08-07", f"date: 2019-{1 + n % 12:02d}-{1 + n % 28:02d}")
        write(
            root, replace('title: "Seminar on trade"', f'title: "Meeting {n}"', text), f"m-{n:02d}"
        )
    return root / "sources"


def _files(out: Path) -> dict[str, bytes]:
    """Return every file of an output but the search index, by relative path."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.relative_to(out).as_posix().startswith("pagefind/")
    }


@pytest.fixture(autouse=True)
def _pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pin the build's date, so that two builds can be compared byte for byte."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def test_workers_render_what_one_process_renders(tmp_path: Path) -> None:
    sources = _workspace(tmp_path)
    stages = Stages()
    build([sources], tmp_path / "two", pdf=False, workers=2, reporter=stages)
    assert "Rendering pages in 2 processes" in stages.names
    build([sources], tmp_path / "one", pdf=False, workers=1)
    two, one = _files(tmp_path / "two"), _files(tmp_path / "one")
    assert sorted(two) == sorted(one) and len(one) > 4 * EVENTS
    differ = [path for path in one if one[path] != two[path]]
    assert differ == []


def test_every_problem_is_reported_and_nothing_written(tmp_path: Path) -> None:
    sources = _workspace(tmp_path)
    build([sources], pdf=False, workers=2)
    before = _files(tmp_path / "output")
    for name in ("m-01", f"m-{EVENTS - 2:02d}"):  # in the first batch and in the last
        path = sources / f"{name}.yaml"
        path.write_text(path.read_text("utf-8").replace("side: us\n", "side: nobody\n", 1))
    with pytest.raises(SourceError) as raised:
        build([sources], pdf=False, workers=2)
    failed = {Path(d.path).stem for d in raised.value.diagnostics if d.severity == "error"}
    assert failed == {"m-01", f"m-{EVENTS - 2:02d}"}
    assert all(d.line > 1 for d in raised.value.diagnostics), "located in each file"
    assert _files(tmp_path / "output") == before


def test_a_template_error_in_a_worker_fails_the_build_and_keeps_the_output(
    tmp_path: Path,
) -> None:
    sources = _workspace(tmp_path)
    build([sources], pdf=False, workers=2)
    before = _files(tmp_path / "output")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "memo.html").write_text("{{ no_such.thing.at_all }}")
    with pytest.raises(BriefgenError) as raised:
        build([sources], pdf=False, workers=2, force=True)
    assert "memo.html" in str(raised.value)
    assert _files(tmp_path / "output") == before


def test_a_script_without_a_main_guard_can_build_in_workers(tmp_path: Path) -> None:
    sources = _workspace(tmp_path)
    script = tmp_path / "make_site.py"
    script.write_text(
        "from pathlib import Path\n"
        "from briefgen.build import build\n"
        f"result = build([Path({str(sources)!r})], pdf=False, workers=2)\n"
        "print(len(result.built))\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(EVENTS)


def test_ctrl_c_ends_the_workers_and_writes_nothing(tmp_path: Path) -> None:
    """Interrupted while page workers render: no traceback, no output, no process left."""
    import os
    import signal
    import time
    import uuid

    from _processes import tagged_processes
    from _workspace import REPO

    sources = _workspace(tmp_path, 2 * EVENTS)
    tag = f"BRIEFGEN_TEST_{uuid.uuid4().hex}"
    env = {**os.environ, "BRIEFGEN_TEST_TAG": tag, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "build", "--no-pdf", "--jobs", "2", str(sources)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own group: Ctrl-C reaches the build and its workers
    )

    def workers() -> int:
        return sum("briefgen.build.workers" in c for c in tagged_processes(tag).values())

    try:
        deadline = time.monotonic() + 120
        while workers() < 2 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert workers() == 2, "the page workers started"
        os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode != 0
    assert "Traceback" not in stderr, stderr
    assert not (tmp_path / "output" / "index.html").exists(), "nothing was committed"
    deadline = time.monotonic() + 60
    while tagged_processes(tag) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert tagged_processes(tag) == {}
