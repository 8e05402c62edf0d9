"""Indexing the published pages: the sitemap, and Pagefind's search index in shards.

Pagefind has no incremental mode, so the index is split: the pages of each briefing go to
one of ``SHARDS`` bundles chosen by a hash of its name (``pagefind/shard-NN/``), and the
people, topics and sides to the main bundle (``pagefind/``), which also carries the search
UI. The search box merges the shards listed in ``pagefind/shards.json``; Pagefind ranks the
merged results together. An edit re-indexes only the bundles whose pages changed, and a
briefing's shard is indexed while the site pages render (``index_early``), from the pages
the build is about to publish; after the commit, a run whose pages still hash the same is
taken, and a shard that changed meanwhile is indexed again.

Why 16 shards (measured with 200 events, 2 CPUs): once the edited briefing's shard is
indexed early, more shards no longer shorten a one-edit rebuild (index_search 0.063 s at
16, 0.066 s at 32 and 64), while a visitor's first search loads every bundle in turn: 59
requests (540 KB) and 2.3 s to the first result over a 40 ms, 10 Mbit/s link at 16, 107
(900 KB) and 4.1 s at 32, 197 (1.4 MB) and 7.3 s at 64. Fewer (8: 1.4 s) make each edit's
Pagefind run longer; its CPU competes with site rendering (a rebuild took 0.1 s longer).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import os
import re
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

from briefgen.build.context import Workspace
from briefgen.build.pagefind import MAIN, PagefindRuns
from briefgen.site.pages import site_url
from briefgen.site.urls import SEARCH_DIR, SITE_FOLDERS
from briefgen.writer import TEMP_PREFIX, OutputWriter, read_or_none

logger = logging.getLogger(__name__)

SEARCH_STAMP = "briefgen-pages.sha256"
LIST_STAMP = "briefgen-list.sha256"  # which pages a bundle was last found current with
SHARDS_FILE = "shards.json"
SHARD_PREFIX = "shard-"
SHARDS = 16
_LAST = {"pagefind-entry.json": 1, SEARCH_STAMP: 2, LIST_STAMP: 3}
_SEARCHED_HEAD = re.compile(
    rb"<main\b[^>]*\bdata-pagefind-body\b[^>]*>\s*<header class=\"page-head\">.*?</header>", re.S
)


def index_search(
    ws: Workspace, written: Sequence[Path], runs: PagefindRuns, removed: Sequence[str] = ()
) -> list[Path]:
    """Index the pages now in the output: the sitemap, and the search bundles whose pages changed.

    Both run after the build's commit, over the pages actually published (those of
    earlier builds too), and are committed through a writer of their own. Pagefind runs
    in ``runs``, which the build owns and ends. A build that wrote and ``removed`` no page,
    into an output whose every bundle is stamped, has nothing to index: the output is
    not even walked.
    """
    if not ws.config.outputs.html:
        return []
    if not any(p.suffix == ".html" for p in written) and not removed and _all_stamped(ws.out_dir):
        return []
    pages = published_pages(ws.out_dir)
    writer = OutputWriter(ws.out_dir, mtime=ws.pinned.timestamp() if ws.pinned else None)
    stage_sitemap(writer, ws, pages)
    groups = shard_pages(pages)
    bundles = search_bundles(ws, written, groups, runs)
    for relative, data in bundle_files(bundles):
        # an edit changes few of a bundle's files (their names are hashes of their content)
        if data != read_or_none(ws.out_dir / SEARCH_DIR / relative):
            writer.stage(f"{SEARCH_DIR}/{relative}", data)
    listing = shards_listing(groups)
    if listing != read_or_none(ws.out_dir / SEARCH_DIR / SHARDS_FILE):
        writer.stage(f"{SEARCH_DIR}/{SHARDS_FILE}", listing)
    written = writer.commit()
    for shard, files in bundles.items():
        if SEARCH_STAMP in files:  # indexed again: what its new index no longer has goes
            remove_stale(ws.out_dir / SEARCH_DIR / shard, set(files))
    remove_shards(ws.out_dir / SEARCH_DIR, keep=set(groups))
    return written


def _all_stamped(out_dir: Path) -> bool:
    """Tell whether the main bundle and every shard it lists carry their stamps."""
    folder = out_dir / SEARCH_DIR
    try:
        shards = json.loads((folder / SHARDS_FILE).read_bytes())["shards"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    if not isinstance(shards, list) or not all(isinstance(s, str) for s in shards):
        return False
    return all((folder / name / SEARCH_STAMP).is_file() for name in [MAIN, *shards])


def published_pages(out_dir: Path) -> list[str]:
    """Return the output path of every page in the output, but the search bundle's and hidden.

    The hidden folders (.briefgen) and the bundle's are not walked: they hold thousands
    of files and no page. A symlink is none of the build's pages (the writer never makes
    one), so it is not indexed.
    """
    pages = []
    for folder, dirs, files in os.walk(out_dir):
        here = Path(folder).relative_to(out_dir)
        dirs[:] = [d for d in dirs if not d.startswith(".") and (here.parts or d != SEARCH_DIR)]
        for name in files:
            relative = (here / name).as_posix()
            if is_page(relative) and not os.path.islink(os.path.join(folder, name)):
                pages.append(relative)
    return sorted(pages, key=page_order)


def is_page(relative: str) -> bool:
    """Tell whether an output path is a page that search indexes: not the bundle's, not hidden."""
    parts = relative.split("/")
    hidden = any(part.startswith(".") for part in parts)
    return relative.endswith(".html") and parts[0] != SEARCH_DIR and not hidden


def page_order(relative: str) -> tuple[str, ...]:
    """Order pages folder by folder, as paths sort (a bundle's digest depends on the order)."""
    return tuple(relative.split("/"))


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
    ws: Workspace, written: Sequence[Path], groups: Mapping[str, Sequence[str]], runs: PagefindRuns
) -> dict[str, dict[str, bytes]]:
    """Return the files of each bundle that is out of date, by bundle; nothing if all are current.

    A bundle's stamp (a hash of its pages) vouches for it; it is removed before a run, so
    that a run that fails leaves the next build to index again. A bundle none of whose
    pages this build wrote, and whose list of pages is the one it was last indexed with
    (its second stamp), is current without reading its pages: an edit reads one shard
    and the main bundle, not the whole site. Pagefind writes into temporary folders,
    never into the output.
    """
    folder = ws.out_dir / SEARCH_DIR
    stamped = {name for name in groups if (folder / name / SEARCH_STAMP).is_file()}
    if stamped == set(groups) and not any(p.suffix == ".html" for p in written):
        return {}
    touched = {shard_of(page) for page in _relative_pages(ws.out_dir, written)}
    stale: dict[str, bytes] = {}
    listed: dict[str, bytes] = {}
    for name, pages in groups.items():
        listing = hashlib.sha256("\n".join(pages).encode()).hexdigest().encode()
        unread = name in stamped and name not in touched
        if unread and read_or_none(folder / name / LIST_STAMP) == listing:
            continue  # the same pages, none of them rewritten
        contents = read_pages(ws.out_dir, pages)
        digest = pages_digest(contents, heads_only=name == MAIN)
        listed[name] = listing
        if read_or_none(folder / name / SEARCH_STAMP) != digest:
            (folder / name / SEARCH_STAMP).unlink(missing_ok=True)
            if not runs.claim(name, digest):  # a run started early on these very pages
                runs.start(name, digest, contents)
            stale[name] = digest
    if not stale:
        logger.debug("search index is up to date")
    found = {name: runs.finish(name) | {SEARCH_STAMP: digest} for name, digest in stale.items()}
    for name, listing in listed.items():  # the list each bundle is now current for
        found.setdefault(name, {})[LIST_STAMP] = listing
    return found


def _relative_pages(out_dir: Path, written: Sequence[Path]) -> list[str]:
    """Return the pages among files written into the output, by output path."""
    found = []
    for path in written:  # the writer's paths: under the resolved output, none a symlink
        if path.is_relative_to(out_dir):
            relative = path.relative_to(out_dir).as_posix()
            if is_page(relative):
                found.append(relative)
    return found


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


def index_early(
    runs: PagefindRuns, ws: Workspace, writer: OutputWriter, *, main: bool = False
) -> None:
    """Start Pagefind on bundles of the pages staged so far, as the commit will publish them.

    Called once the briefing pages are staged, for their shards, so that Pagefind runs
    while the site renders; then with ``main`` once the site pages are staged too, for
    the main bundle, so that it runs while the PDFs render (or the output is written). A
    bundle's pages are those published_pages will list after the commit: the staged ones,
    and its others in the output. After the commit, search_bundles takes a run whose pages
    still hash the same, and runs again for one whose pages changed meanwhile.
    """
    if not ws.config.outputs.html:
        return
    staged = writer.staged_files()  # read back from the writer's spool, a bundle at a time
    pages = [page for page in staged if is_page(page)]
    names = [MAIN] if main else sorted({shard_of(page) for page in pages} - {MAIN})
    if not pages or not names:
        return
    groups = shard_pages(sorted({*published_pages(ws.out_dir), *pages}, key=page_order))
    for name in names:
        contents = read_pages(ws.out_dir, groups[name], staged)
        digest = pages_digest(contents, heads_only=name == MAIN)
        if digest != read_or_none(ws.out_dir / SEARCH_DIR / name / SEARCH_STAMP):
            runs.start(name, digest, contents)


def read_pages(
    out_dir: Path, pages: Sequence[str], staged: Mapping[str, bytes] | None = None
) -> dict[str, bytes]:
    """Read pages by path: from ``staged`` if there, else from the output (if not gone since)."""
    staged = staged or {}
    contents = {p: staged[p] if p in staged else read_or_none(out_dir / p) for p in pages}
    return {page: data for page, data in contents.items() if data is not None}


def pages_digest(contents: Mapping[str, bytes], *, heads_only: bool = False) -> bytes:
    """Hash what Pagefind indexes of every page of a bundle (by path), and Pagefind's version.

    With ``heads_only`` (the main bundle), a page is hashed as the part Pagefind reads:
    nothing for a page without a search body (the home, the indexes), else its <main>
    tag and page head. A person's, topic's or side's page holds nothing else in <main>
    but sections Pagefind ignores (tests/test_site.py checks that layout), so an edit that
    changes only their lists does not make the main bundle be indexed again.
    """
    digest = hashlib.sha256(pagefind_version().encode())
    for relative, page in contents.items():
        data = searched_head(page) if heads_only else page
        digest.update(f"{relative}\0{len(data)}\0".encode())
        digest.update(data)
    return (digest.hexdigest() + "\n").encode("ascii")


def searched_head(page: bytes) -> bytes:
    """Return what Pagefind indexes of a person's, topic's or side's page (see pages_digest)."""
    if b"data-pagefind-body" not in page:
        return b""
    head = _SEARCHED_HEAD.search(page)
    return head.group(0) if head else page


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
