"""The build's memory: what each output was made from, so that unchanged work is skipped.

``output/.briefgen/manifest.json`` records, for each briefing, the key of its inputs and,
for each group of its outputs (its pages, its PDFs), the key they were made with and the
files made; and the same for the site-wide pages. A group is current when its key is
unchanged and every file it made still exists. Beside it, each source's cache (cache.py)
keeps what loading it found. Both are staged through the build's writer, so they are
committed with the outputs they describe. A missing, corrupt or other-format manifest
reads as empty: everything is rebuilt.

The keys are computed in keys.py, and plan.py decides from them, before any source is
loaded, which groups of a briefing's outputs are out of date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen import __version__
from briefgen.build.cache import text_map
from briefgen.build.seal import file_digest, sealed, unsealed
from briefgen.diff.changes import Change, Changes
from briefgen.render.meta import BriefingMeta, Revision
from briefgen.site.keys import EventRecord

logger = logging.getLogger(__name__)

FORMAT = 6
MANIFEST = ".briefgen/manifest.json"


@dataclass(frozen=True)
class Made:
    """A group of outputs, and the key of what they were made from."""

    key: str
    files: tuple[str, ...]

    def current(self, key: str, out_dir: Path) -> bool:
        """Tell whether these outputs were made from ``key`` and all still exist."""
        return self.key == key and all((out_dir / name).is_file() for name in self.files)


@dataclass(frozen=True)
class SiteRecord:
    """The site-wide files: the key of the whole set, and each file's own key ("": unkeyed).

    With them, what the next build's keys need (see sitekeys.py): each listed event's
    record and the row digest of each person's, topic's and side's page, so that it
    hashes only the events that changed and loads only those its pages are made from.
    """

    key: str
    pages: Mapping[str, str]
    rows: Mapping[str, str] = field(default_factory=dict)
    events: Mapping[str, EventRecord] = field(default_factory=dict)

    def current(self, key: str, out_dir: Path) -> bool:
        """Tell whether the site was made from ``key`` and all its files still exist."""
        return self.key == key and all((out_dir / name).is_file() for name in self.pages)

    def kept(self, path: str, key: str | None, out_dir: Path) -> bool:
        """Tell whether a keyed file was made from ``key`` and still exists."""
        return bool(key) and self.pages.get(path) == key and (out_dir / path).is_file()


@dataclass(frozen=True)
class BriefingRecord:
    """What the output remembers of one briefing."""

    key: str
    content_id: str
    prepared: dt.date
    revision: Revision
    evidence: tuple[str, ...] = ()
    warnings: int = 0
    made: Mapping[str, Made] = field(default_factory=dict)
    transcript: bool = False

    def meta(self, has_pdf: bool) -> BriefingMeta:
        """Describe the briefing as it was built, linking a PDF or not."""
        return BriefingMeta(self.content_id, self.prepared, has_pdf, self.revision, self.transcript)

    def current(self, group: str, key: str, out_dir: Path) -> bool:
        """Tell whether a group of this briefing's outputs is current for ``key``."""
        made = self.made.get(group)
        return made is not None and made.current(key, out_dir)


@dataclass
class Manifest:
    """Every briefing's entry and the site pages' record."""

    briefings: dict[str, BriefingRecord] = field(default_factory=dict)
    site: SiteRecord | None = None
    digests: Mapping[str, str] = field(default_factory=dict)

    def listed(self) -> set[str]:
        """Return every output file the manifest lists: briefings' groups and site pages."""
        files = {
            f for entry in self.briefings.values() for m in entry.made.values() for f in m.files
        }
        return files | set(self.site.pages if self.site else ())

    def digested(self, staged: Mapping[str, bytes], before: Manifest) -> Manifest:
        """Return this manifest with the digest of each file it lists: as staged, or as before."""
        listed = self.listed()
        digests = {path: d for path, d in before.digests.items() if path in listed}
        digests |= {path: file_digest(data) for path, data in staged.items() if path in listed}
        return dataclasses.replace(self, digests=digests)

    def unchanged(self, out_dir: Path, relatives: Sequence[str]) -> list[str]:
        """Return the files of ``relatives`` that still hold what the build recorded writing."""
        kept = []
        for relative in relatives:
            recorded = self.digests.get(relative)
            try:
                data = (out_dir / relative).read_bytes()
            except OSError:
                continue
            if recorded is not None and file_digest(data) == recorded:
                kept.append(relative)
            else:
                logger.warning("leaving %s: it changed since briefgen wrote it", relative)
        return kept

    def dumps(self) -> bytes:
        """Serialise as stable, readable JSON, sealed."""
        data = sealed(
            {
                "format": FORMAT,
                "briefgen": __version__,
                "briefings": {slug: _entry_data(e) for slug, e in sorted(self.briefings.items())},
                "site": _site_data(self.site),
                "digests": dict(sorted(self.digests.items())),
            }
        )
        return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _entry_data(entry: BriefingRecord) -> dict[str, Any]:
    """Return an entry as JSON-ready data."""
    version = entry.revision
    return {
        "key": entry.key,
        "content_id": entry.content_id,
        "prepared": entry.prepared.isoformat(),
        "revision": {
            "number": version.number,
            "updated": version.updated.isoformat() if version.updated else None,
            "since": version.since,
            "changes": [dataclasses.asdict(c) for c in version.changes],
        },
        "evidence": list(entry.evidence),
        "warnings": entry.warnings,
        "transcript": entry.transcript,
        "made": {group: dataclasses.asdict(made) for group, made in entry.made.items()},
    }


def _site_data(site: SiteRecord | None) -> dict[str, Any] | None:
    """Return the site's record as JSON-ready data."""
    if site is None:
        return None
    events = {slug: _event_data(r) for slug, r in sorted(site.events.items())}
    pages, rows = dict(sorted(site.pages.items())), dict(sorted(site.rows.items()))
    return {"key": site.key, "pages": pages, "rows": rows, "events": events}


def _event_data(record: EventRecord) -> dict[str, Any]:
    """Return what the site's keys need of one event as JSON-ready data (as asdict, faster)."""
    return {
        "stamp": record.stamp,
        "date": record.date,
        "parts": dict(record.parts),
        "voices": {page: list(ids) for page, ids in record.voices.items()},
        "row": record.row,
        "topics": dict(record.topics),
        "sides": dict(record.sides),
    }


def _site(data: Mapping[str, Any] | None) -> SiteRecord | None:
    """Read the site's record."""
    if data is None:
        return None
    events = {str(slug): _event_record(r) for slug, r in data["events"].items()}
    return SiteRecord(str(data["key"]), text_map(data["pages"]), text_map(data["rows"]), events)


def _event_record(data: Mapping[str, Any]) -> EventRecord:
    """Read what the site's keys need of one event; TypeError or KeyError when malformed."""
    voices = {str(page): tuple(_texts(ids)) for page, ids in data["voices"].items()}
    return EventRecord(
        stamp=str(data["stamp"]),
        date=str(data["date"]),
        parts=text_map(data["parts"]),
        voices=voices,
        row=str(data["row"]),
        topics=text_map(data["topics"]),
        sides=text_map(data["sides"]),
    )


def _texts(data: Any) -> list[str]:
    """Read a list of text; TypeError if it is anything else."""
    if not isinstance(data, list) or not all(isinstance(item, str) for item in data):
        raise TypeError("malformed site record")
    return data


def _made(data: Mapping[str, Any]) -> Made:
    """Read a group's record."""
    files = data["files"]
    if not isinstance(data["key"], str) or not all(isinstance(f, str) for f in files):
        raise TypeError("malformed record")
    return Made(data["key"], tuple(files))


def _entry(data: Mapping[str, Any]) -> BriefingRecord:
    """Read a briefing's entry; KeyError, TypeError or ValueError when malformed."""
    version = data["revision"]
    updated = version["updated"]
    return BriefingRecord(
        key=str(data["key"]),
        content_id=str(data["content_id"]),
        prepared=dt.date.fromisoformat(data["prepared"]),
        revision=Revision(
            int(version["number"]),
            dt.date.fromisoformat(updated) if updated else None,
            Changes([Change(**change) for change in version["changes"]]),
            str(version["since"]),
        ),
        evidence=tuple(str(f) for f in data["evidence"]),
        warnings=int(data["warnings"]),
        made={str(group): _made(made) for group, made in data["made"].items()},
        transcript=bool(data["transcript"]),
    )


def read_manifest(out_dir: Path) -> Manifest:
    """Read the manifest; an empty one when it is missing, unreadable or of another format."""
    try:
        read = json.loads((out_dir / MANIFEST).read_bytes())
        if not isinstance(read, dict) or read.get("format") != FORMAT:
            logger.info("the manifest is of another format or version: rebuilding everything")
            return Manifest()
        data = unsealed(read)
        if data is None:
            logger.info("the manifest was not written by this user's builds: rebuilding everything")
            return Manifest()
        if data.get("briefgen") != __version__:
            logger.info("the manifest is of another format or version: rebuilding everything")
            return Manifest()
        briefings = {s: _entry(e) for s, e in data["briefings"].items()}
        return Manifest(briefings, _site(data["site"]), text_map(data["digests"]))
    except FileNotFoundError:
        return Manifest()
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        logger.warning("ignoring the unreadable %s (%s): rebuilding everything", MANIFEST, exc)
        return Manifest()
