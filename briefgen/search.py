"""Indexing the published pages: the sitemap, and Pagefind's search index in shards.

Pagefind has no incremental mode, so the index is split: the pages of each briefing go to
one of ``SHARDS`` bundles chosen by a hash of its name (``pagefind/shard-NN/``), and the
people, topics and sides to the main bundle (``pagefind/``), which also carries the search
UI. The search box merges the shards listed in ``pagefind/shards.json``; Pagefind ranks the
merged results together. An edit re-indexes only the bundles whose pages changed.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import RenderError
from .site import SEARCH_DIR, SITE_FOLDERS
from .sitepages import site_url
from .writer import TEMP_PREFIX, OutputWriter, read_or_none

if TYPE_CHECKING:
    from .build import BuildResult, Workspace

logger = logging.getLogger(__name__)

SEARCH_STAMP = "briefgen-pages.sha256"
SHARDS_FILE = "shards.json"
SHARD_PREFIX = "shard-"
SHARDS = 16
SEARCH_TIMEOUT = 300.0
MAIN = ""  # the main bundle's folder, relative to pagefind/
_UI_FILES = ("pagefind-ui", "pagefind-modular-ui", "pagefind-component-ui", "pagefind-highlight")
_LAST = {"pagefind-entry.json": 1, SEARCH_STAMP: 2}
_SEARCHED_HEAD = re.compile(
    rb"<main\b[^>]*\bdata-pagefind-body\b[^>]*>\s*<header class=\"page-head\">.*?</header>", re.S
)


def index_search(ws: Workspace, result: BuildResult) -> list[Path]:
    """Index the pages now in the output: the sitemap, and the search bundles whose pages changed.

    Both run after the build's commit, over the pages actually published (those of
    earlier builds too), and are committed through a writer of their own.
    """
    if not ws.config.outputs.html:
        return []
    pages = published_pages(ws.out_dir)
    writer = OutputWriter(ws.out_dir, mtime=ws.pinned.timestamp() if ws.pinned else None)
    stage_sitemap(writer, ws, pages)
    groups = shard_pages(pages)
    bundles = search_bundles(ws, result, groups)
    for relative, data in bundle_files(bundles):
        writer.stage(f"{SEARCH_DIR}/{relative}", data)
    listing = shards_listing(groups)
    if listing != read_or_none(ws.out_dir / SEARCH_DIR / SHARDS_FILE):
        writer.stage(f"{SEARCH_DIR}/{SHARDS_FILE}", listing)
    written = writer.commit()
    for shard, files in bundles.items():
        remove_stale(ws.out_dir / SEARCH_DIR / shard, set(files))
    remove_shards(ws.out_dir / SEARCH_DIR, keep=set(groups))
    return written


def published_pages(out_dir: Path) -> list[str]:
    """Return the output path of every page in the output, but the search bundle's and hidden."""
    pages = []
    for path in sorted(out_dir.rglob("*.html")):
        relative = path.relative_to(out_dir)
        if relative.parts[0] == SEARCH_DIR or any(p.startswith(".") for p in relative.parts):
            continue
        if path.is_file():
            pages.append(relative.as_posix())
    return pages


def shard_of(page: str) -> str:
    """Return the bundle a page is indexed in: its briefing's shard, else the main bundle."""
    first, _, rest = page.partition("/")
    if not rest or first in SITE_FOLDERS:
        return MAIN
    number = int.from_bytes(hashlib.sha256(first.encode()).digest()[:4], "big") % SHARDS
    return f"{SHARD_PREFIX}{number:02d}"


def shard_pages(pages: Sequence[str]) -> dict[str, list[str]]:
    """Group pages by bundle; the main bundle is always there (it carries the search UI)."""
    groups: dict[str, list[str]] = {MAIN: []}
    for page in pages:
        groups.setdefault(shard_of(page), []).append(page)
    return dict(sorted(groups.items()))


def shards_listing(groups: Mapping[str, Sequence[str]]) -> bytes:
    """Return pagefind/shards.json: the shard folders the search box merges into the main one."""
    shards = [name for name in groups if name != MAIN]
    return (json.dumps({"shards": shards}) + "\n").encode("ascii")


def stage_sitemap(writer: OutputWriter, ws: Workspace, pages: Sequence[str]) -> None:
    """Stage sitemap.xml (absolute URLs need base_url) when it changed; remove it without one."""
    target = ws.out_dir / "sitemap.xml"
    base = ws.config.base_url
    if not base:
        target.unlink(missing_ok=True)
        return
    urls = [site_url(base, page) for page in pages]
    data = ws.renderer.render("sitemap.xml", {"urls": urls}).encode("utf-8")
    if read_or_none(target) != data:
        writer.stage("sitemap.xml", data)


def search_bundles(
    ws: Workspace, result: BuildResult, groups: Mapping[str, Sequence[str]]
) -> dict[str, dict[str, bytes]]:
    """Return the files of each bundle that is out of date, by bundle; nothing if all are current.

    A bundle's stamp (a hash of its pages) vouches for it; it is removed before a run, so
    that a run that fails leaves the next build to index again. Pagefind writes into
    temporary folders, never into the output.
    """
    folder = ws.out_dir / SEARCH_DIR
    stamped = {name for name in groups if (folder / name / SEARCH_STAMP).is_file()}
    if stamped == set(groups) and not any(p.suffix == ".html" for p in result.written):
        return {}
    digests = {
        name: pages_digest(ws.out_dir, pages, heads_only=name == MAIN)
        for name, pages in groups.items()
    }
    stale = [name for name in groups if read_or_none(folder / name / SEARCH_STAMP) != digests[name]]
    if not stale:
        logger.debug("search index is up to date")
        return {}
    for name in stale:
        (folder / name / SEARCH_STAMP).unlink(missing_ok=True)
    bundles = run_pagefind(ws.out_dir, {name: groups[name] for name in stale})
    return {name: files | {SEARCH_STAMP: digests[name]} for name, files in bundles.items()}


def bundle_files(bundles: Mapping[str, Mapping[str, bytes]]) -> list[tuple[str, bytes]]:
    """Order the bundles' files for the commit: each entry file and stamp after the rest.

    A reader then never sees an entry file name index files that are not there yet.
    """
    files = [
        (_LAST.get(relative, 0), f"{shard}/{relative}" if shard else relative, data)
        for shard, bundle in bundles.items()
        for relative, data in bundle.items()
    ]
    return [(path, data) for _, path, data in sorted(files, key=lambda f: (f[0], f[1]))]


def pagefind_version() -> str:
    """Return the installed Pagefind binary's version (its output depends on it)."""
    try:
        return importlib.metadata.version("pagefind_bin")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def pages_digest(out_dir: Path, pages: Sequence[str], *, heads_only: bool = False) -> bytes:
    """Hash what Pagefind indexes of every page of a bundle, and Pagefind's version.

    With ``heads_only`` (the main bundle), a page is hashed as the part Pagefind reads:
    nothing for a page without a search body (the home, the indexes), else its <main>
    tag and page head. A person's, topic's or side's page holds nothing else in <main>
    but sections Pagefind ignores (tests/test_site.py checks that layout), so an edit that
    changes only their lists does not make the main bundle be indexed again.
    """
    digest = hashlib.sha256(pagefind_version().encode())
    for relative in pages:
        data = (out_dir / relative).read_bytes()
        if heads_only:
            data = searched_head(data)
        digest.update(f"{relative}\0{len(data)}\0".encode())
        digest.update(data)
    return (digest.hexdigest() + "\n").encode("ascii")


def searched_head(page: bytes) -> bytes:
    """Return what Pagefind indexes of a person's, topic's or side's page (see pages_digest)."""
    if b"data-pagefind-body" not in page:
        return b""
    head = _SEARCHED_HEAD.search(page)
    return head.group(0) if head else page


def run_pagefind(
    site_dir: Path, groups: Mapping[str, Sequence[str]]
) -> dict[str, dict[str, bytes]]:
    """Index each group of pages in a Pagefind process of its own, side by side.

    Each run sees a copy of its pages under a temporary site root, so that result URLs are
    the pages' paths in the output. Returns each bundle's files by relative path.
    """
    with tempfile.TemporaryDirectory(prefix="briefgen-search-") as temp:
        folders = {name: Path(temp) / f"run{n}" for n, name in enumerate(groups)}
        runs = {name: _start(site_dir, folders[name], pages) for name, pages in groups.items()}
        try:
            return {name: _finish(name, *run) for name, run in runs.items()}
        finally:
            for process, _ in runs.values():
                if process.poll() is None:
                    process.kill()
                    process.wait()


def _start(site_dir: Path, work: Path, pages: Sequence[str]) -> tuple[subprocess.Popen[str], Path]:
    """Copy a group's pages under ``work``/site and start Pagefind on them."""
    site, bundle = work / "site", work / "bundle"
    for page in pages:
        target = site / page
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(site_dir / page, target)
    site.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pagefind", "--site", str(site)]
    command += ["--output-path", str(bundle), "--keep-index-url", "--silent"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return process, bundle


def _finish(name: str, process: subprocess.Popen[str], bundle: Path) -> dict[str, bytes]:
    """Wait for one Pagefind run; return its bundle's files (a shard's without the UI)."""
    try:
        output, _ = process.communicate(timeout=SEARCH_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise RenderError(f"search index: Pagefind took over {SEARCH_TIMEOUT:.0f} s") from None
    if process.returncode != 0 or not (bundle / "pagefind.js").is_file():
        detail = (output or "").strip()[-2000:]
        raise RenderError(f"search index: Pagefind failed (is pagefind[bin] installed?)\n{detail}")
    files = sorted(p for p in bundle.rglob("*") if p.is_file())
    found = {p.relative_to(bundle).as_posix(): p.read_bytes() for p in files}
    if name == MAIN:
        return found
    return {path: data for path, data in found.items() if not path.startswith(_UI_FILES)}


def remove_stale(folder: Path, keep: set[str]) -> None:
    """Remove files of a bundle that its new index no longer has, and folders left empty.

    The main bundle's folder also holds the shards and their listing: those are left alone.
    """
    visited = []
    for current, dirs, files in os.walk(folder):
        here = Path(current)
        dirs[:] = [d for d in dirs if here != folder or not d.startswith(SHARD_PREFIX)]
        visited.append(here)
        for name in files:
            relative = (here / name).relative_to(folder).as_posix()
            # a concurrent commit's temporary files are not ours to remove
            if relative in keep or relative == SHARDS_FILE or name.startswith(TEMP_PREFIX):
                continue
            (here / name).unlink()
    for here in reversed(visited[1:]):
        if not any(here.iterdir()):
            here.rmdir()


def remove_shards(folder: Path, keep: set[str]) -> None:
    """Remove the shard folders that no published page belongs to any more."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.is_dir() and path.name.startswith(SHARD_PREFIX) and path.name not in keep:
            shutil.rmtree(path)
