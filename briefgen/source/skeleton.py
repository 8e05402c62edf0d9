"""`briefgen new`: a commented source skeleton, its comments derived from the models."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from briefgen.errors import UsageError
from briefgen.source.model import SLUG_PATTERN, Briefing
from briefgen.source.schema import model_at

_EXAMPLE: dict[str, Any] = {
    "event": {
        "title": "Title of the event",
        "date": "DATE",
        "host": "Host organisation",
        "location": "City",
        "format": "seminar",
        "summary": "",
        "background": "",
    },
    "sides": [{"id": "side-a", "name": "First side", "summary": ""}],
    "speakers": [
        {
            "id": "speaker-a",
            "name": "Full Name",
            "aliases": [],
            "title": "Title as of the event",
            "affiliation": "Affiliation as of the event",
            "side": "side-a",
            "present": True,
        }
    ],
    "topics": [{"id": "topic-a", "title": "First topic"}],
    "positions": [
        {
            "side": "side-a",
            "topic": "topic-a",
            "stance": "Paraphrase of the side's view.",
            "speaker": "speaker-a",
            "sources": ["source-a"],
        }
    ],
    "quotes": [],
    "sources": [
        {
            "id": "source-a",
            "kind": "article",
            "title": "Title of the report",
            "publisher": "Publisher",
        }
    ],
    "takeaways": [],
    "questions": [],
}


def _comment(model: type[BaseModel] | None, key: str) -> str:
    """Describe a field: required or optional, and its description."""
    if model is None or key not in model.model_fields:
        return ""
    info = model.model_fields[key]
    words = "required" if info.is_required() else "optional"
    return f"  # {words}" + (f": {info.description}" if info.description else "")


def _scalar(value: Any) -> str:
    """Write a scalar so that YAML reads it back as the same text."""
    if value == "DATE":
        return dt.date.today().isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


def _emit(value: Any, loc: tuple[str | int, ...], indent: str, lines: list[str]) -> None:
    """Append YAML lines for a mapping, with a comment per key."""
    model = model_at(Briefing, loc)
    for key, item in value.items():
        comment = _comment(model, key)
        if isinstance(item, dict):
            lines.append(f"{indent}{key}:{comment}")
            _emit(item, (*loc, key), indent + "  ", lines)
        elif isinstance(item, list) and item and isinstance(item[0], dict):
            lines.append(f"{indent}{key}:{comment}")
            for n, entry in enumerate(item):
                sub: list[str] = []
                _emit(entry, (*loc, key, n), indent + "    ", sub)
                lines.append(indent + "  - " + sub[0].lstrip())
                lines.extend(sub[1:])
        elif isinstance(item, list):
            listed = ", ".join(_scalar(v) for v in item)
            lines.append(f"{indent}{key}: [{listed}]{comment}")
        else:
            lines.append(f"{indent}{key}: {_scalar(item)}{comment}")


def skeleton(slug: str) -> str:
    """Return the text of a new source that passes ``briefgen check`` (with warnings)."""
    lines = [
        "# yaml-language-server: $schema=../schema/briefgen-source.schema.json",
        f"# {slug}: a briefgen source. Fill in each field, then run `briefgen check`.",
        "# Text fields are Markdown where noted; quote values YAML could misread (no, 1.10).",
        "",
    ]
    for key in _EXAMPLE:
        _emit({key: _EXAMPLE[key]}, (), "", lines)
        lines.append("")
    return "\n".join(lines)


def write_new_source(folder: Path, slug: str, text: str) -> Path:
    """Write ``folder/slug.yaml``; refuse a bad slug or an existing file."""
    if not re.fullmatch(SLUG_PATTERN.removeprefix("^").removesuffix("$"), slug):
        raise UsageError(f"'{slug}' is not a slug: use lower-case letters, digits and hyphens")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug}.yaml"
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise UsageError(f"{path} already exists; briefgen never overwrites a source") from None
    return path


def write_skeleton(slug: str, folder: Path) -> Path:
    """Write a new commented source skeleton for ``slug``."""
    return write_new_source(folder, slug, skeleton(slug))
