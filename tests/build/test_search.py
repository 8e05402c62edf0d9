"""Pagefind runs started before the commit: taken when their pages are published, else redone."""

from __future__ import annotations

import json
import subprocess
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from _workspace import LATER, two_event_workspace

import briefgen.build.rendering as build_module
from briefgen.build import build, search
from briefgen.build import pagefind as search_runs
from briefgen.build.pagefind import PagefindRuns
from briefgen.build.search import SEARCH_STAMP, shard_of
from briefgen.errors import Diagnostic, RenderError, Severity, SourceError

EDIT = ("keep talking;", "keep negotiating;")
SHARD = shard_of(f"{LATER}/index.html")
EXTRA = "<html><body><main data-pagefind-body><h1>Zebra crossing</h1></main></body></html>"


@pytest.fixture
def edited(tmp_path: Path) -> Path:
    """A built two-event workspace whose later event has since been edited; return its root."""
    root = two_event_workspace(tmp_path / "ws")
    build([root / "sources"], pdf=False)
    source = root / "sources" / f"{LATER}.yaml"
    source.write_text(source.read_text().replace(*EDIT))
    return root


@pytest.fixture
def starts(edited: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """Record each Pagefind run started: its bundle, and whether the edit was published then."""
    started: list[tuple[str, bool]] = []
    original = PagefindRuns.start
    page = edited / "output" / LATER / "index.html"

    def start(runs: PagefindRuns, name: str, digest: bytes, pages: Mapping[str, bytes]) -> None:
        started.append((name, EDIT[1] in page.read_text(encoding="utf-8")))
        original(runs, name, digest, pages)

    monkeypatch.setattr(PagefindRuns, "start", start)
    return started


@pytest.fixture
def spawned(edited: Path, monkeypatch: pytest.MonkeyPatch) -> list[subprocess.Popen[str]]:
    """Record each Pagefind process the next build starts; its temporary folders go to tmp/."""
    processes: list[subprocess.Popen[str]] = []
    original = search_runs._start

    def start(work: Path, pages: Mapping[str, bytes]) -> subprocess.Popen[str]:
        processes.append(original(work, pages))
        return processes[-1]

    (edited.parent / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(edited.parent / "tmp"))
    monkeypatch.setattr(search_runs, "_start", start)
    return processes


def shard_state(out: Path) -> tuple[int, bytes]:
    """Return the edited event's shard's count of indexed pages, and its stamp."""
    folder = out / "pagefind" / SHARD
    entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
    return entry["languages"]["en"]["page_count"], (folder / SEARCH_STAMP).read_bytes()


def published(out: Path) -> tuple[int, bytes]:
    """Return the count of the shard's pages in the output now, and their digest."""
    pages = [page for page in search.published_pages(out) if shard_of(page) == SHARD]
    return len(pages), search.pages_digest(search.read_pages(out, pages))


def bundle(out: Path) -> dict[str, bytes]:
    """Return the files of the edited event's shard."""
    folder = out / "pagefind" / SHARD
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_an_early_run_is_taken_when_its_pages_are_published_unchanged(
    edited: Path, starts: list[tuple[str, bool]]
) -> None:
    out = edited / "output"
    result = build([edited / "sources"], pdf=False)
    assert starts == [(SHARD, False)], "one run, started before the commit, and no other"
    assert out / "pagefind" / SHARD / "pagefind-entry.json" in result.written
    assert shard_state(out) == published(out)
    early = bundle(out)
    (out / "pagefind" / SHARD / SEARCH_STAMP).unlink()
    build([edited / "sources"], pdf=False)
    assert starts[1:] == [(SHARD, True)], "indexed again after the commit"
    assert bundle(out) == early, "as if Pagefind had run on the published pages"


def test_the_main_bundle_is_indexed_before_the_commit_when_a_head_changes(
    edited: Path, starts: list[tuple[str, bool]]
) -> None:
    """A person's title shows in their page's head: the main bundle runs while PDFs would."""
    out, source = edited / "output", edited / "sources" / f"{LATER}.yaml"
    source.write_text(source.read_text().replace("Acting Deputy", "Principal Deputy"))
    result = build([edited / "sources"], pdf=False)
    assert sorted(starts) == sorted([(SHARD, False), ("", False)]), "both before the commit"
    assert out / "pagefind" / "pagefind-entry.json" in result.written
    main = [page for page in search.published_pages(out) if shard_of(page) == ""]
    contents = search.read_pages(out, main)
    stamp = (out / "pagefind" / SEARCH_STAMP).read_bytes()
    assert stamp == search.pages_digest(contents, heads_only=True), "as published"


def test_an_early_run_is_redone_when_its_shard_changes_before_the_commit(
    edited: Path, starts: list[tuple[str, bool]], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = edited / "output"
    before = published(out)[0]
    original = build_module.stage_site

    def stage_site(*args: Any, **kwargs: Any) -> Any:
        (out / LATER / "extra.html").write_text(EXTRA, encoding="utf-8")  # while Pagefind runs
        return original(*args, **kwargs)

    monkeypatch.setattr(build_module, "stage_site", stage_site)
    build([edited / "sources"], pdf=False)
    assert starts == [(SHARD, False), (SHARD, True)], "the early run is not taken"
    assert shard_state(out) == published(out)
    assert published(out)[0] == before + 1


def failing(exc: BaseException) -> Any:
    """Return a stand-in for stage_site that fails the build with ``exc``."""

    def stage_site(*args: Any, **kwargs: Any) -> Any:
        raise exc

    return stage_site


SOURCE_ERROR = SourceError([Diagnostic("sources/x.yaml", 1, 1, Severity.ERROR, "", "bad")])


@pytest.mark.parametrize("exc", [SOURCE_ERROR, RenderError("no PDF"), KeyboardInterrupt()])
def test_a_build_that_fails_after_early_runs_leaves_no_pagefind_behind(
    edited: Path,
    spawned: list[subprocess.Popen[str]],
    monkeypatch: pytest.MonkeyPatch,
    exc: BaseException,
) -> None:
    out = edited / "output"
    stamp = (out / "pagefind" / SHARD / SEARCH_STAMP).read_bytes()
    monkeypatch.setattr(build_module, "stage_site", failing(exc))
    with pytest.raises(type(exc)):
        build([edited / "sources"], pdf=False)
    assert spawned, "an early run had started"
    assert all(process.returncode is not None for process in spawned), "killed and reaped"
    assert not list((edited.parent / "tmp").iterdir()), "its temporary folder is removed"
    assert (out / "pagefind" / SHARD / SEARCH_STAMP).read_bytes() == stamp, "nothing committed"


def test_the_pages_thread_starts_no_run_once_a_failed_build_has_ended_them(
    edited: Path, spawned: list[subprocess.Popen[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With PDFs planned the pages render on a thread, which may go on after the build fails."""
    closed = threading.Event()
    close, stage_pages = PagefindRuns.close, build_module.stage_pages

    def closing(runs: PagefindRuns) -> None:
        close(runs)
        closed.set()

    def late(*args: Any, **kwargs: Any) -> None:
        stage_pages(*args, **kwargs)
        assert closed.wait(30), "the build did not end its runs"

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(PagefindRuns, "close", closing)
    monkeypatch.setattr(build_module, "stage_pages", late)
    monkeypatch.setattr(build_module, "render_pdfs", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build([edited / "sources"], pdf=True)
    for thread in threading.enumerate():
        if thread.name == "briefgen-pages":
            thread.join(30)
    assert spawned == [], "a run started after its owner had ended them all"
    assert not list((edited.parent / "tmp").iterdir())


def test_a_bundle_indexed_again_writes_only_its_files_that_changed(edited: Path) -> None:
    out = edited / "output"
    folder = out / "pagefind" / SHARD
    before = bundle(out)
    result = build([edited / "sources"], pdf=False)
    after = bundle(out)
    written = {p.relative_to(folder).as_posix() for p in result.written if p.is_relative_to(folder)}
    assert written == {name for name, data in after.items() if before.get(name) != data}
    assert SEARCH_STAMP in written and len(written) < len(after)


def test_pagefind_runs_as_its_binary_not_through_an_interpreter() -> None:
    import pagefind_bin

    command = search_runs._binary()
    assert command == (str(pagefind_bin.get_executable()),)
    done = subprocess.run([*command, "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("pagefind ")


def test_an_edit_reads_only_its_shard_and_the_main_bundle(
    edited: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the commit, bundles none of whose pages changed are not read to be hashed."""
    read: list[str] = []
    original = search.read_pages

    def counted(out_dir: Path, pages: Any, staged: Any = None) -> dict[str, bytes]:
        read.extend(pages)
        return original(out_dir, pages, staged)

    monkeypatch.setattr(search, "read_pages", counted)
    build([edited / "sources"], pdf=False)
    shards = {shard_of(page) for page in read}
    assert shards <= {SHARD, ""}, shards
    assert f"{LATER}/index.html" in read
    listing = edited / "output" / "pagefind" / SHARD / search.LIST_STAMP
    assert listing.is_file(), "the shard is stamped with the pages it is current for"


def test_a_shard_that_loses_a_briefing_is_indexed_again(tmp_path: Path) -> None:
    """No page of the shard is written, but its list of pages changed: it is read again."""
    from _workspace import replace, write

    names = [f"talk-{n}" for n in range(64)]
    first = names[0]
    second = next(
        n for n in names[1:] if shard_of(f"{n}/index.html") == shard_of(f"{first}/index.html")
    )
    for name in (first, second):
        write(tmp_path, replace('title: "Seminar on trade"', f'title: "Talk {name}"'), name)
    build([tmp_path / "sources"], pdf=False)
    bundle = tmp_path / "output" / "pagefind" / shard_of(f"{first}/index.html")
    before = (bundle / SEARCH_STAMP).read_bytes(), (bundle / search.LIST_STAMP).read_bytes()
    (tmp_path / "sources" / f"{second}.yaml").unlink()
    result = build([tmp_path / "sources"], pdf=False)
    assert result.removed == [second]
    after = (bundle / SEARCH_STAMP).read_bytes(), (bundle / search.LIST_STAMP).read_bytes()
    assert after[0] != before[0] and after[1] != before[1]
