"""Safe YAML loading that keeps line/column marks and refuses YAML's traps.

Duplicate keys, anchors/aliases and non-core tags are errors; scalars keep the
type YAML 1.1 gives them so that the schema can refuse a `no` where text belongs,
and the original text is remembered for a helpful hint.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from briefgen.errors import Diagnostic, Severity, SourceError

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader

Loc = tuple[str | int, ...]
MAX_BYTES = 5_000_000
MAX_DEPTH = 40
_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {f"{_CORE}{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq")}
_ALLOWED_TAGS |= {"!", f"{_CORE}timestamp"}
_SEXAGESIMAL = re.compile(r"^[-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.\d*)?$")
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCT = yaml.constructor.SafeConstructor()


@dataclass(frozen=True)
class Mark:
    """A 1-based position in a file."""

    line: int
    column: int


@dataclass
class Document:
    """A loaded YAML mapping and where each of its values came from."""

    display: str
    data: Any = None
    marks: dict[Loc, Mark] = field(default_factory=dict)
    key_marks: dict[Loc, Mark] = field(default_factory=dict)
    raw: dict[Loc, str] = field(default_factory=dict)

    def mark(self, loc: Loc, *, key: bool = False) -> Mark:
        """Return the mark of the deepest known prefix of ``loc``."""
        for end in range(len(loc), -1, -1):
            prefix = loc[:end]
            if key and prefix in self.key_marks:
                return self.key_marks[prefix]
            if prefix in self.marks:
                return self.marks[prefix]
        return Mark(1, 1)

    def diagnostic(
        self, loc: Loc, message: str, severity: Severity = Severity.ERROR, *, key: bool = False
    ) -> Diagnostic:
        """Build a diagnostic located at ``loc``."""
        mark = self.mark(loc, key=key)
        return Diagnostic(self.display, mark.line, mark.column, severity, field_path(loc), message)


def field_path(loc: Loc) -> str:
    """Render a location as ``quotes[2].speaker``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _mark(yaml_mark: Any) -> Mark:
    return Mark(yaml_mark.line + 1, yaml_mark.column + 1)


class _Builder:
    """Turns a PyYAML event stream into plain data, recording marks and problems."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[Diagnostic] = []

    def error(self, mark: Mark, loc: Loc, message: str) -> None:
        """Record a problem at ``mark``."""
        self.problems.append(
            Diagnostic(
                self.doc.display, mark.line, mark.column, Severity.ERROR, field_path(loc), message
            )
        )

    def node(self, event: Any, events: Iterator[Any], loc: Loc) -> Any:
        """Build the value that starts with ``event``."""
        mark = _mark(event.start_mark)
        self.doc.marks[loc] = mark
        if isinstance(event, yaml.AliasEvent):
            self.error(
                mark, loc, f"YAML alias '*{event.anchor}' is not allowed; write the value out"
            )
            return None
        if event.anchor is not None:
            self.error(mark, loc, f"YAML anchor '&{event.anchor}' is not allowed; write values out")
        if event.tag is not None and event.tag not in _ALLOWED_TAGS:
            self.error(mark, loc, f"YAML tag '{_short_tag(event.tag)}' is not allowed")
            _skip(event, events)
            return None
        if len(loc) > MAX_DEPTH:
            self.error(mark, loc, f"nested more than {MAX_DEPTH} levels deep")
            _skip(event, events)
            return None
        if isinstance(event, yaml.ScalarEvent):
            return self.scalar(event, loc)
        if isinstance(event, yaml.SequenceStartEvent):
            return self.sequence(events, loc)
        return self.mapping(events, loc)

    def scalar(self, event: Any, loc: Loc) -> Any:
        """Resolve a scalar the YAML 1.1 way, keeping dates and clock times as text."""
        tag = event.tag if event.tag not in (None, "!") else None
        tag = tag or _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
        value = event.value
        if tag in (f"{_CORE}int", f"{_CORE}float") and _SEXAGESIMAL.match(value):
            return value
        if tag in (f"{_CORE}str", f"{_CORE}timestamp", f"{_CORE}merge", f"{_CORE}value"):
            return value
        try:
            result = _CONSTRUCT.construct_object(yaml.ScalarNode(tag, value))
        except (ValueError, yaml.YAMLError):
            return value
        self.doc.raw[loc] = value
        return result

    def sequence(self, events: Iterator[Any], loc: Loc) -> list[Any]:
        """Build a list."""
        items: list[Any] = []
        for event in events:
            if isinstance(event, yaml.SequenceEndEvent):
                break
            items.append(self.node(event, events, (*loc, len(items))))
        return items

    def mapping(self, events: Iterator[Any], loc: Loc) -> dict[str, Any]:
        """Build a dict, refusing duplicate and non-scalar keys."""
        result: dict[str, Any] = {}
        for event in events:
            if isinstance(event, yaml.MappingEndEvent):
                break
            mark = _mark(event.start_mark)
            if not isinstance(event, yaml.ScalarEvent):
                self.error(mark, loc, "a mapping key must be plain text")
                _skip(event, events)
                _skip(next(events), events)
                continue
            key = event.value
            child = (*loc, key)
            if key in result:
                first = self.doc.key_marks[child]
                self.error(mark, child, f"duplicate key '{key}' (first given on line {first.line})")
                self.node(next(events), events, (*loc, f"{key}#dup"))
                continue
            self.doc.key_marks[child] = mark
            result[key] = self.node(next(events), events, child)
        return result


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


def _skip(event: Any, events: Iterator[Any]) -> None:
    """Consume the rest of a collection that starts with ``event``."""
    depth = 1 if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)) else 0
    while depth:
        nxt = next(events)
        if isinstance(nxt, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
        elif isinstance(nxt, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


def _decode(raw: bytes, display: str) -> str:
    """Decode UTF-8 (a BOM is fine) or raise a located error."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        message = f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        raise SourceError(
            [Diagnostic(display, line, column, Severity.ERROR, "", message)]
        ) from None


_UNCLOSED = ("quoted scalar", "flow sequence", "flow mapping", "flow collection")


def _opening(exc: yaml.YAMLError) -> Any:
    """Return where an unclosed quote or bracket opens, when the scanner gave up further on.

    PyYAML reports an unterminated ``"...`` or ``[`` where it ran out of text (often the end
    of the file); the staffer needs the line where it began: PyYAML's context mark.
    """
    context, opened = getattr(exc, "context", None) or "", getattr(exc, "context_mark", None)
    problem, mark = getattr(exc, "problem", None) or "", getattr(exc, "problem_mark", None)
    if opened is None or mark is None or not any(kind in context for kind in _UNCLOSED):
        return None
    ran_out = "end of stream" in problem or "<stream end>" in problem
    return opened if ran_out or mark.line > opened.line else None


def _runaway_quote(text: str, exc: yaml.YAMLError) -> Diagnostic | None:
    """Find a quoted value that ran on over lines into the error: its closing quote is missing.

    An unclosed ``"...`` usually ends at the next line's quote, and the error then shows where
    the text after it stopped making sense. The mistake is where the quote opened.
    """
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return None
    runaway = None
    try:
        for token in yaml.scan(text):
            quoted = isinstance(token, yaml.ScalarToken) and token.style in ('"', "'")
            if quoted and token.end_mark.line > token.start_mark.line:
                runaway = token
    except yaml.YAMLError:
        pass
    if runaway is None or not 0 <= mark.line - runaway.end_mark.line <= 1:
        return None
    start, end = runaway.start_mark, runaway.end_mark
    message = (
        f"YAML syntax error: this quoted text runs on to line {end.line + 1}; "
        "is its closing quote missing?"
    )
    return Diagnostic("", start.line + 1, start.column + 1, Severity.ERROR, "", message)


def _syntax_diagnostic(exc: yaml.YAMLError, text: str, display: str) -> Diagnostic:
    """Turn a PyYAML error into a located diagnostic."""
    runaway = _runaway_quote(text, exc)
    if runaway is not None and _first_tab(text, runaway.line) is None:
        return dataclasses.replace(runaway, path=display)
    mark = _opening(exc) or getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = getattr(exc, "problem", None) or str(exc)
    tab = _first_tab(text, line)
    if tab:
        line, column = tab
        message = "tab character: YAML indentation must use spaces, not tabs"
    else:
        context = getattr(exc, "context", None)
        message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
        message += _SYNTAX_HINTS.get(problem, "")
    return Diagnostic(display, line, column, Severity.ERROR, "", message)


_SYNTAX_HINTS = {
    "mapping values are not allowed here": "; a value containing ': ' must be put in quotes",
    "mapping values are not allowed in this context": (
        "; a value containing ': ' must be put in quotes"
    ),
    "found unexpected end of stream": "; the quoted text that starts here is never closed",
    "found character that cannot start any token": (
        "; a value starting with @, ` or % must be put in quotes"
    ),
}


def _first_tab(text: str, near_line: int) -> tuple[int, int] | None:
    """Locate a tab in the leading whitespace of a line at or before ``near_line``."""
    lines = text.split("\n")[:near_line]
    for number in range(len(lines), 0, -1):
        line = lines[number - 1]
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            return number, indent.index("\t") + 1
    return None


def parse_text(text: str, display: str) -> Document:
    """Parse YAML text into a Document; raise SourceError listing every problem."""
    doc = Document(display)
    builder = _Builder(doc)
    text = text.replace("\r\n", "\n")
    try:
        events = iter(yaml.parse(text, Loader=_Loader))
        roots = list(_documents(builder, events))
    except yaml.YAMLError as exc:
        raise SourceError([*builder.problems, _syntax_diagnostic(exc, text, display)]) from None
    if not roots:
        builder.error(Mark(1, 1), (), "the file is empty; a source starts with 'event:'")
    elif len(roots) > 1:
        builder.error(doc.marks.get((), Mark(1, 1)), (), "more than one YAML document ('---')")
    elif not isinstance(roots[0], dict):
        builder.error(Mark(1, 1), (), "the top level must be a mapping of keys such as 'event:'")
    if builder.problems:
        raise SourceError(builder.problems)
    doc.data = roots[0]
    return doc


def _documents(builder: _Builder, events: Iterator[Any]) -> Iterator[Any]:
    """Yield the root value of each document in the stream."""
    for event in events:
        if isinstance(event, yaml.DocumentStartEvent):
            first = next(events)
            if isinstance(first, yaml.DocumentEndEvent):
                continue
            root = builder.node(first, events, ())
            next(events)  # DocumentEndEvent
            if root is not None or builder.problems:
                yield root


def load_bytes(raw: bytes, display: str) -> Document:
    """Parse YAML file contents; raise SourceError for any problem."""
    if len(raw) > MAX_BYTES:
        message = f"file is larger than {MAX_BYTES // 1_000_000} MB"
        raise SourceError([Diagnostic(display, 1, 1, Severity.ERROR, "", message)])
    return parse_text(_decode(raw, display), display)


def read_bytes(path: Path, display: str) -> bytes:
    """Read a file, turning OS errors into a located diagnostic."""
    try:
        return path.read_bytes()
    except OSError as exc:
        message = f"cannot read: {exc.strerror or exc}"
        raise SourceError([Diagnostic(display, 1, 1, Severity.ERROR, "", message)]) from None


def load_yaml(path: Path, display: str | None = None) -> Document:
    """Read and parse a YAML file; raise SourceError for any problem."""
    display = display or str(path)
    return load_bytes(read_bytes(path, display), display)
