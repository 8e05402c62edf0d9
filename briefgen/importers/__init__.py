"""Transcript importers: a text, WebVTT or SRT transcript -> a commented source skeleton."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from briefgen.importers.common import ParsedTranscript, fail, read_transcript, slugify
from briefgen.importers.detect import FORMATS, detect_format, format_name
from briefgen.importers.emit import render_yaml
from briefgen.importers.skeleton import Skeleton, build_skeleton
from briefgen.importers.subrip import parse_srt
from briefgen.importers.text import parse_text
from briefgen.importers.vtt import parse_vtt
from briefgen.source.model import SLUG_PATTERN, Briefing

__all__ = ["FORMATS", "ImportedSource", "import_transcript", "speaker_names"]

_PARSERS: dict[str, Callable[[str, Path], ParsedTranscript]] = {
    "text": parse_text,
    "vtt": parse_vtt,
    "srt": parse_srt,
}
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class ImportedSource:
    """A transcript turned into a source skeleton, ready to write to sources/<slug>.yaml."""

    slug: str
    data: dict[str, Any]
    yaml_text: str


def import_transcript(
    path: Path,
    fmt: str = "auto",
    slug: str | None = None,
    taken: Mapping[str, str] | None = None,
) -> ImportedSource:
    """Import a transcript file (text, vtt or srt; auto-detected) as a source skeleton.

    ``taken``: the speaker ids the workspace's sources use, and whom each names
    (``speaker_names``): a new speaker never takes an id that names someone else.
    """
    path = Path(path)
    kind = format_name(fmt)
    if kind is None:
        raise fail(path, f"unknown transcript format {fmt!r} (use one of: {', '.join(FORMATS)})")
    if slug is not None and not re.fullmatch(SLUG_PATTERN, slug):
        raise fail(path, f"invalid slug {slug!r}: use lower-case letters, digits and hyphens")
    text = read_transcript(path)
    parsed = _PARSERS[detect_format(text) if kind == "auto" else kind](text, path)
    skeleton = build_skeleton(parsed, path, dt.date.today(), taken)
    _validate(path, skeleton.data)
    yaml_text = render_yaml(skeleton.data, skeleton.notes, path.name)
    if yaml.load(yaml_text, Loader=_YAML_LOADER) != skeleton.data:
        raise fail(path, "internal error: the YAML written does not read back as the data")
    return ImportedSource(slug or _slug(skeleton, path), skeleton.data, yaml_text)


def _validate(path: Path, data: dict[str, Any]) -> None:
    """Check the skeleton against the source model, as one line on failure."""
    try:
        Briefing.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise fail(path, f"could not build a valid source: {where}: {first['msg']}") from None


def _slug(skeleton: Skeleton, path: Path) -> str:
    """Derive the slug from the transcript's title, else its file name."""
    title = skeleton.data["event"]["title"] if skeleton.title_found else ""
    return slugify(title) or slugify(path.stem) or "transcript"


def speaker_names(folder: Path) -> dict[str, str]:
    """Return the speaker ids the sources in a folder use, and the name each gives."""
    names: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = yaml.load(path.read_bytes(), Loader=_YAML_LOADER)
        except (OSError, yaml.YAMLError):
            continue  # check reports it; the import only avoids the ids it can read
        speakers = data.get("speakers") if isinstance(data, dict) else None
        for entry in speakers if isinstance(speakers, list) else []:
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                names.setdefault(entry["id"], str(entry.get("name", "")))
    return names
