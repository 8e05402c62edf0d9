"""Cross-references and editorial warnings over a loaded source; collects every problem."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from briefgen.errors import Diagnostic, Severity
from briefgen.paths import inside
from briefgen.source.loader import Document, Loc
from briefgen.source.model import SLUG_PATTERN
from briefgen.source.schema import did_you_mean

_COLLECTIONS = ("sides", "speakers", "topics", "sources", "quotes")
_SINGULAR = {"sides": "side", "speakers": "speaker", "topics": "topic", "sources": "source"}
WARN = Severity.WARNING


def _items(data: dict[str, Any], key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (index, mapping) for each mapping in a top-level list, ignoring malformed ones."""
    value = data.get(key)
    if isinstance(value, list):
        yield from ((n, item) for n, item in enumerate(value) if isinstance(item, dict))


def _ids(data: dict[str, Any], key: str) -> list[str]:
    """Return the string ids declared in a top-level list."""
    return [i["id"] for _, i in _items(data, key) if isinstance(i.get("id"), str)]


# Folders and files of the site itself: a briefing with one of these names would overwrite them.
RESERVED_SLUGS = frozenset(
    {"speakers", "topics", "sides", "books", "assets", "pagefind", "archive"}
)


def check_slug(doc: Document, stem: str) -> list[Diagnostic]:
    """The file name is the briefing's slug: lower-case letters, digits, hyphens, not reserved."""
    if stem in RESERVED_SLUGS:
        message = f"'{stem}' is the name of a folder of the site; rename the source file"
        return [doc.diagnostic((), message)]
    if re.fullmatch(SLUG_PATTERN.removeprefix("^").removesuffix("$"), stem):
        return []
    message = f"file name {stem!r} must be a slug: lower-case letters, digits and hyphens"
    return [doc.diagnostic((), message)]


def check_unique(doc: Document) -> list[Diagnostic]:
    """Ids must be unique within each list, and each side/topic pair stated once."""
    problems = []
    for key in _COLLECTIONS:
        seen: dict[str, int] = {}
        for n, item in _items(doc.data, key):
            ident = item.get("id")
            if not isinstance(ident, str):
                continue
            if ident in seen:
                message = f"duplicate id '{ident}' (also {key}[{seen[ident]}])"
                problems.append(doc.diagnostic((key, n, "id"), message))
            seen.setdefault(ident, n)
    pairs: dict[tuple[Any, Any], int] = {}
    for n, item in _items(doc.data, "positions"):
        pair = (item.get("side"), item.get("topic"))
        if pair in pairs and all(isinstance(p, str) for p in pair):
            message = (
                f"a second position of '{pair[0]}' on '{pair[1]}' (also positions[{pairs[pair]}]);"
                " put earlier stances under history"
            )
            problems.append(doc.diagnostic(("positions", n, "topic"), message))
        pairs.setdefault(pair, n)
    return problems


def _reference(
    doc: Document, loc: Loc, value: Any, kind: str, known: list[str]
) -> list[Diagnostic]:
    """Report a reference that names no declared id."""
    if not isinstance(value, str) or value in known:
        return []
    hint = did_you_mean(value, known)
    return [doc.diagnostic(loc, f"unknown {_SINGULAR[kind]} '{value}'{hint}")]


def _references_in(
    doc: Document, loc: Loc, item: dict[str, Any], fields: dict[str, str]
) -> list[Diagnostic]:
    """Check the reference fields of one mapping; a field naming a list holds many."""
    problems = []
    for name, kind in fields.items():
        known = _ids(doc.data, kind)
        value = item.get(name)
        values = enumerate(value) if isinstance(value, list) else [(None, value)]
        for n, each in values:
            where = (*loc, name) if n is None else (*loc, name, n)
            problems += _reference(doc, where, each, kind, known)
    return problems


_REFERENCES = {
    "speakers": {"side": "sides"},
    "positions": {"side": "sides", "topic": "topics", "speaker": "speakers", "sources": "sources"},
    "quotes": {"speaker": "speakers", "topic": "topics", "source": "sources"},
    "transcript": {"speaker": "speakers"},
}


def check_references(doc: Document) -> list[Diagnostic]:
    """Every id a source mentions must be declared."""
    problems = []
    for key, fields in _REFERENCES.items():
        for n, item in _items(doc.data, key):
            problems += _references_in(doc, (key, n), item, fields)
    for n, item in _items(doc.data, "positions"):
        history = item.get("history")
        for h, past in enumerate(history if isinstance(history, list) else []):
            if isinstance(past, dict):
                fields = {"speaker": "speakers", "sources": "sources"}
                problems += _references_in(doc, ("positions", n, "history", h), past, fields)
    return problems


def check_history(doc: Document) -> list[Diagnostic]:
    """Earlier stances run newest first, all before the current one."""
    problems = []
    for n, item in _items(doc.data, "positions"):
        history = item.get("history")
        history = history if isinstance(history, list) else []
        previous = _date(item.get("as_of"))
        for h, past in enumerate(history):
            when = _date(past.get("as_of")) if isinstance(past, dict) else None
            if when and previous and when > previous:
                message = f"history must run newest first: {when} is later than {previous}"
                problems.append(doc.diagnostic(("positions", n, "history", h, "as_of"), message))
            previous = when or previous
    return problems


def _date(value: Any) -> dt.date | None:
    """Parse an ISO date leniently (the schema reports bad ones)."""
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def check_files(doc: Document, root: Any) -> list[Diagnostic]:
    """A source's evidence ``file`` must exist inside the workspace."""
    problems = []
    for n, item in _items(doc.data, "sources"):
        relative = item.get("file")
        if not isinstance(relative, str):
            continue
        target = inside(root, relative)
        loc = ("sources", n, "file")
        if target is None:
            problems.append(doc.diagnostic(loc, f"'{relative}' lies outside the workspace {root}"))
        elif not target.is_file():
            problems.append(
                doc.diagnostic(loc, f"file '{relative}' not found in the workspace {root}")
            )
    return problems


def check_coverage(doc: Document) -> list[Diagnostic]:
    """Warn about sides, topics and speakers the briefing says nothing about."""
    data = doc.data
    positions = [p for _, p in _items(data, "positions")]
    problems = []
    for key, field in (("sides", "side"), ("topics", "topic")):
        for n, item in _items(data, key):
            if item.get("id") not in {p.get(field) for p in positions}:
                noun = (
                    "side states no position" if key == "sides" else "topic has no side's position"
                )
                problems.append(doc.diagnostic((key, n, "id"), f"this {noun}", WARN))
    voiced = {p.get("speaker") for p in positions}
    voiced |= {q.get("speaker") for _, q in _items(data, "quotes")}
    voiced |= {t.get("speaker") for _, t in _items(data, "transcript")}
    for n, item in _items(data, "speakers"):
        if item.get("present") is True and item.get("id") not in voiced:
            message = "present speaker has no quote, position or transcript turn"
            problems.append(doc.diagnostic(("speakers", n, "id"), message, WARN))
    return problems + _empty_summaries(doc)


def _empty_summaries(doc: Document) -> list[Diagnostic]:
    """Warn where a summary is missing its text."""
    problems = []
    event = doc.data.get("event")
    if isinstance(event, dict) and event.get("summary") == "":
        problems.append(
            doc.diagnostic(("event", "summary"), "empty summary: write the bottom line", WARN)
        )
    for n, side in _items(doc.data, "sides"):
        if side.get("summary") == "":
            problems.append(
                doc.diagnostic(("sides", n, "summary"), "empty summary of this side's view", WARN)
            )
    return problems


def check_document(doc: Document, root: Any, stem: str) -> list[Diagnostic]:
    """Run every cross-reference and editorial check on a parsed source."""
    problems = (
        check_slug(doc, stem)
        + check_unique(doc)
        + check_references(doc)
        + check_history(doc)
        + check_files(doc, root)
    )
    # Coverage warnings on a source with broken references would only echo those errors.
    return problems if problems else check_coverage(doc)
