"""The output writer: confined to its folder, atomic per file, never through a symlink."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from briefgen.errors import WriteError
from briefgen.writer import TEMP_PREFIX, OutputWriter


def temps(folder: Path) -> list[Path]:
    """Return the writer's temporary files anywhere below a folder."""
    return [p for p in folder.rglob(f"{TEMP_PREFIX}*")]


@pytest.mark.parametrize(
    "relative",
    ["../x", "a/../../x", "/etc/passwd", "", "a/./b", "a/", "a\\b", "nul\x00l", "..", "a/.."],
)
def test_paths_that_could_leave_the_output_are_refused(tmp_path: Path, relative: str) -> None:
    writer = OutputWriter(tmp_path / "out")
    with pytest.raises(WriteError):
        writer.stage(relative, b"x")
    assert writer.staged == []


def test_a_symlinked_folder_leading_outside_is_refused(tmp_path: Path) -> None:
    out, outside = tmp_path / "out", tmp_path / "outside"
    out.mkdir()
    outside.mkdir()
    (out / "briefing").symlink_to(outside)
    writer = OutputWriter(out)
    with pytest.raises(WriteError, match="outside"):
        writer.stage("briefing/index.html", b"x")
    assert list(outside.iterdir()) == []


def test_nothing_is_written_before_commit(tmp_path: Path) -> None:
    out = tmp_path / "out"
    writer = OutputWriter(out)
    writer.stage("a/index.html", b"<p>a</p>")
    writer.stage("index.html", b"<p>index</p>")
    assert not out.exists()
    assert writer.staged == ["a/index.html", "index.html"]
    written = writer.commit()
    assert written == [out.resolve() / "a" / "index.html", out.resolve() / "index.html"]
    assert (out / "a" / "index.html").read_bytes() == b"<p>a</p>"
    assert (out / "index.html").read_bytes() == b"<p>index</p>"
    assert temps(out) == []


def test_commit_replaces_existing_files_and_sets_mtime(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)
    (out / "a" / "index.html").write_bytes(b"old and much longer than the new text")
    writer = OutputWriter(out, mtime=1565170200)
    writer.stage("a/index.html", b"new")
    writer.commit()
    assert (out / "a" / "index.html").read_bytes() == b"new"
    assert (out / "a" / "index.html").stat().st_mtime == 1565170200


def test_a_symlink_at_the_target_is_replaced_not_followed(tmp_path: Path) -> None:
    out, victim = tmp_path / "out", tmp_path / "victim.txt"
    out.mkdir()
    victim.write_bytes(b"precious")
    (out / "index.html").symlink_to(victim)
    writer = OutputWriter(out)
    writer.stage("index.html", b"new")
    writer.commit()
    assert victim.read_bytes() == b"precious"
    assert not (out / "index.html").is_symlink()
    assert (out / "index.html").read_bytes() == b"new"


def test_a_symlinked_folder_planted_after_staging_is_replaced(tmp_path: Path) -> None:
    out, outside = tmp_path / "out", tmp_path / "outside"
    out.mkdir()
    outside.mkdir()
    writer = OutputWriter(out)
    writer.stage("briefing/index.html", b"new")
    (out / "briefing").symlink_to(outside)
    writer.commit()
    assert list(outside.iterdir()) == []
    assert not (out / "briefing").is_symlink()
    assert (out / "briefing" / "index.html").read_bytes() == b"new"


def test_a_file_where_a_folder_belongs_is_an_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "briefing").write_bytes(b"in the way")
    writer = OutputWriter(out)
    writer.stage("index.html", b"staged first")
    writer.stage("briefing/index.html", b"x")
    with pytest.raises(WriteError, match="not a folder"):
        writer.commit()
    assert not (out / "index.html").exists()
    assert temps(out) == []


def test_temp_files_are_removed_when_commit_fails(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "b" / "index.html").mkdir(parents=True)
    (out / "a.html").write_bytes(b"old")
    writer = OutputWriter(out)
    writer.stage("a.html", b"new")
    writer.stage("b/index.html", b"blocked by a folder")
    with pytest.raises(WriteError, match="folder is in the way"):
        writer.commit()
    assert temps(out) == []


def test_a_failed_rename_puts_back_every_file_the_commit_had_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "site").mkdir(parents=True)
    for name in ("a.html", "site/b.html", "site/c.html"):
        (out / name).write_bytes(b"old " + name.encode())
    (out / "z").mkdir()
    (out / "z" / "index.html").mkdir()  # the last rename fails: a folder is in the way
    writer = OutputWriter(out)
    for name in ("a.html", "site/b.html", "site/new.html", "site/c.html", "z/index.html"):
        writer.stage(name, b"new")
    with pytest.raises(WriteError, match="folder is in the way"):
        writer.commit()
    for name in ("a.html", "site/b.html", "site/c.html"):
        assert (out / name).read_bytes() == b"old " + name.encode(), f"{name} was left new"
    assert not (out / "site" / "new.html").exists(), "a file the failed commit added remains"
    assert temps(out) == []
    assert sorted(p.name for p in (out / "site").iterdir()) == ["b.html", "c.html"]


def test_an_interrupted_write_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    writer = OutputWriter(out)
    writer.stage("a.html", b"first")
    writer.stage("b.html", b"second")
    real_fsync = os.fsync
    calls = []

    def interrupt(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        writer.commit()
    assert temps(out) == []
    assert not (out / "a.html").exists()


def test_a_failed_write_among_many_written_at_once_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    writer = OutputWriter(out)
    for n in range(40):
        writer.stage(f"d{n % 4}/f{n}.html", b"new")
    real_fsync, calls = os.fsync, []

    def failing(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 17:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing)
    with pytest.raises(WriteError, match="No space left on device; the previous output"):
        writer.commit()
    assert temps(out) == []
    assert not list(out.rglob("*.html")), "no file is replaced unless every one was written"


KILLED_COMMIT = """
import sys
from pathlib import Path
from briefgen.writer import OutputWriter

out, count, size = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
writer = OutputWriter(out)
for n in range(count):
    writer.stage(f"d{n % 5}/f{n}.bin", bytes([66]) * (size + n))
writer.commit()
"""


def test_a_killed_commit_leaves_every_file_old_or_new(tmp_path: Path) -> None:
    out, count, size = tmp_path / "out", 40, 2_000_000
    for n in range(count):
        (out / f"d{n % 5}").mkdir(parents=True, exist_ok=True)
        (out / f"d{n % 5}" / f"f{n}.bin").write_bytes(b"A" * 1000)
    script = tmp_path / "commit.py"
    script.write_text(textwrap.dedent(KILLED_COMMIT))
    process = subprocess.Popen([sys.executable, str(script), str(out), str(count), str(size)])
    deadline = time.monotonic() + 60
    while not temps(out) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the commit finished before it was killed"
    for n in range(count):
        data = (out / f"d{n % 5}" / f"f{n}.bin").read_bytes()
        assert data in (b"A" * 1000, b"B" * (size + n)), f"f{n} is partial ({len(data)} bytes)"
    leftovers = temps(out)
    assert leftovers, "expected the killed commit to leave temporary files"
    writer = OutputWriter(out, sweep_after=0)
    writer.stage("d0/f0.bin", b"again")
    writer.commit()
    assert not [p for p in leftovers if p.parent.name == "d0" and p.exists()]


def test_a_commit_into_more_folders_than_open_files_allowed(tmp_path: Path) -> None:
    """A first build of thousands of briefings writes into more folders than fit open at once."""
    script = f"""
import resource
from pathlib import Path
from briefgen.writer import OutputWriter
resource.setrlimit(resource.RLIMIT_NOFILE, (200, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
writer = OutputWriter(Path({str(tmp_path / "out")!r}))
for n in range(1500):
    writer.stage(f"event-{{n:04d}}/sources/page.html", b"page %d" % n)
print(len(writer.commit()))
"""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1500"
    assert (tmp_path / "out" / "event-1499" / "sources" / "page.html").read_bytes() == b"page 1499"
    leftovers = [p for p in (tmp_path / "out").rglob("*") if p.name.startswith(".briefgen-")]
    assert leftovers == []


def test_a_failure_in_a_later_batch_of_folders_undoes_the_earlier_ones(tmp_path: Path) -> None:
    """All or nothing holds across batches: the first folders' files are put back."""
    out = tmp_path / "out"
    for n in range(60):
        (out / f"e{n:02d}").mkdir(parents=True)
        (out / f"e{n:02d}" / "page.html").write_bytes(b"old")
    (out / "e59" / "new.html").mkdir()  # a folder in the way, in the last batch
    script = f"""
import resource
from pathlib import Path
from briefgen.errors import WriteError
from briefgen.writer import OutputWriter
resource.setrlimit(resource.RLIMIT_NOFILE, (200, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
writer = OutputWriter(Path({str(out)!r}))
for n in range(60):
    writer.stage(f"e{{n:02d}}/page.html", b"new")
    writer.stage(f"e{{n:02d}}/added.html", b"added")
writer.stage("e59/new.html", b"new")
try:
    writer.commit()
except WriteError as exc:
    print("refused:", exc)
"""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0 and "refused:" in done.stdout, done.stdout + done.stderr
    assert {p.read_bytes() for p in out.glob("e*/page.html")} == {b"old"}
    assert list(out.glob("e*/added.html")) == []
    assert [p for p in out.rglob(".briefgen-*")] == []
