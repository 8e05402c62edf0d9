"""Transcript and evidence pages: passages anchored, the briefing's quotes marked where they occur.

Passages are numbered as ``briefgen.verify`` numbers them (``t-<n>`` turns, ``p-<n>``
paragraphs), so a verdict's anchor is a place on these pages. The quote's words are found
again in the rendered passage text, so that the highlight follows the words themselves,
elisions and all; where they cannot be found the whole passage is marked.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from markupsafe import Markup, escape

from briefgen.paths import inside
from briefgen.render import markdown
from briefgen.render.cjk import CJK_RUN, cjk
from briefgen.source.model import Source, Speaker
from briefgen.verify.check import LoadedSource
from briefgen.verify.evidence import MAX_EVIDENCE_BYTES, split_prose
from briefgen.verify.quotes import Status, Verdict, verify_briefing
from briefgen.verify.text import WORD, QuoteGap, QuoteWord, normalise, quote_elements, same_word

_BLOCK_ENDS = {"</p>", "</li>", "</blockquote>", "</pre>"}

Range = tuple[int, int]

MARKED = (Status.VERIFIED, Status.NEAR_MISS)  # the verdicts that place a quote in its evidence


@dataclass(frozen=True)
class Highlight:
    """A quote to highlight in one passage: its anchor, number and the words to find."""

    anchor: str
    number: int
    words: str
    near: bool


@dataclass(frozen=True)
class TurnView:
    """One transcript turn, ready for the template."""

    anchor: str
    speaker: Speaker
    first: bool
    time: str | None
    duration: str | None
    html: Markup


@dataclass(frozen=True)
class ParagraphView:
    """One paragraph of an evidence text, ready for the template."""

    anchor: str
    html: Markup


@dataclass(frozen=True)
class Evidence:
    """A source's full text as paragraphs, published at ``sources/<id>.html``."""

    source: Source
    paragraphs: list[str]
    headline: str | None = None
    trailer: tuple[str, ...] = ()

    @property
    def href(self) -> str:
        """Return the page's path relative to the briefing folder."""
        return f"sources/{self.source.id}.html"


# Finding a quote's words in a passage


def _normalised(text: str) -> tuple[str, list[int], list[int]]:
    """Normalise text as verify does, keeping each character's span in the original."""
    norm: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    start = 0
    for end in range(1, len(text) + 1):
        if end < len(text) and unicodedata.combining(text[end]):
            continue  # keep a base character with its combining marks
        char = text[start:end]
        if char.isascii():  # as normalise leaves it, but for blank space (most characters)
            piece = " " if char.isspace() else "'" if char == "`" else char
        else:
            piece = normalise(char) or " "
        norm.append(piece)
        starts += [start] * len(piece)
        ends += [end] * len(piece)
        start = end
    return "".join(norm), starts, ends


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Return the passage's words with their spans in the original text."""
    norm, starts, ends = _normalised(text)
    return [(m.group(), starts[m.start()], ends[m.end() - 1]) for m in WORD.finditer(norm)]


def _step(element: QuoteWord | QuoteGap, row: dict[int, int], words: list[str]) -> dict[int, int]:
    """Return the positions reachable after one more quote element, each with where it came from.

    A gap keeps the latest start it can: the shortest gap, so the highlight stays tight.
    """
    if isinstance(element, QuoteWord):
        return {j + 1: j for j in row if j < len(words) and same_word(element, words[j])}
    if element.most is None:
        step: dict[int, int] = {}
        last = min(row)
        for k in range(last, len(words) + 1):
            last = k if k in row else last
            step[k] = last
        return step
    return {k: j for j in sorted(row) for k in range(j, min(len(words), j + element.most) + 1)}


def locate(quote: str, text: str) -> list[Range]:
    """Return the spans of ``text`` holding the quote's words, a span per unbroken run."""
    tokens = _tokens(text)
    words = [word for word, _, _ in tokens]
    elements = quote_elements(quote)
    rows = [{j: j for j in range(len(words) + 1)}]
    for element in elements:
        rows.append(_step(element, rows[-1], words))
        if not rows[-1]:
            return []
    matched, j = [], min(rows[-1])
    for element, row in zip(reversed(elements), reversed(rows[1:]), strict=True):
        j = row[j]
        if isinstance(element, QuoteWord):
            matched.append(j)
    runs: list[list[int]] = []
    for index in sorted(matched):
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return [(tokens[run[0]][1], tokens[run[-1]][2]) for run in runs]


# Marking the words in rendered HTML


class _Fragment(HTMLParser):
    """Split sanitised HTML into raw tags and decoded text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[str, str]] = []  # (kind, text): kind is "text", "open", "close"
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        """Keep a start tag as written (the sanitiser wrote it)."""
        self.parts.append(("open" if tag == "a" else "tag", self.get_starttag_text() or ""))

    def handle_startendtag(self, tag: str, attrs: Any) -> None:
        """Keep an empty element as written."""
        self.parts.append(("tag", self.get_starttag_text() or ""))

    def handle_endtag(self, tag: str) -> None:
        """Keep an end tag."""
        self.parts.append(("close" if tag == "a" else "tag", f"</{tag}>"))

    def handle_data(self, data: str) -> None:
        """Keep text, decoded."""
        self.parts.append(("text", data))


@dataclass(frozen=True)
class _Placed:
    """A mark with the spans of the passage text it covers."""

    mark: Highlight
    spans: list[Range]


def _place(marks: Sequence[Highlight], text: str) -> list[_Placed]:
    """Find each mark's words in the passage text; mark the whole passage where they are not."""
    return [_Placed(m, locate(m.words, text) or [(0, len(text))]) for m in marks]


def _cuts(start: int, end: int, placed: Sequence[_Placed]) -> list[int]:
    """Return where a text node must be split so that no piece straddles a mark's edge."""
    edges = {e for p in placed for span in p.spans for e in span if start < e < end}
    return [start, *sorted(edges), end]


def _piece(text: str, start: int, end: int, placed: Sequence[_Placed], opened: set[str]) -> str:
    """Render one piece of text, inside a <mark> if a quote covers it."""
    covering = [p for p in placed if any(s <= start and end <= e for s, e in p.spans)]
    body = cjk(text)
    if not covering:
        return body
    starting = [p.mark.anchor for p in covering if p.mark.anchor not in opened]
    opened.update(starting)
    extra = "".join(f'<span id="tq-{a}"></span>' for a in starting[1:])
    near = " near-miss" if all(p.mark.near for p in covering) else ""
    ident = f' id="tq-{starting[0]}"' if starting else ""
    return f'{extra}<mark class="quote-mark{near}"{ident}>{body}</mark>'


def _back(mark: Highlight, briefing: str | None) -> str:
    """Link a mark back to its quote in the briefing (in print: name the quote)."""
    label = f"Key quote {mark.number}"
    if briefing is None:
        return f' <span class="quote-tag">{label}</span>'
    return (
        f' <a class="quote-back" href="{briefing}#quote-{escape(mark.anchor)}">{label}'
        '<span class="visually-hidden"> in the briefing</span></a>'
    )


def highlight(html: str, marks: Sequence[Highlight], briefing: str | None) -> Markup:
    """Highlight the quotes' words in sanitised HTML; ``briefing`` is the backlink target.

    Each quote's link back to the briefing closes the paragraph it ends in, so that it does
    not break into the quoted words (and is never put inside an author's link).
    """
    parts = _Fragment(html).parts
    text = "".join(t for kind, t in parts if kind == "text")
    placed = _place(marks, text)
    out: list[str] = []
    opened: set[str] = set()
    pending: list[str] = []
    depth = offset = 0
    for kind, value in parts:
        if kind == "text":
            for a, b in itertools.pairwise(_cuts(offset, offset + len(value), placed)):
                out.append(_piece(text[a:b], a, b, placed, opened))
                pending += [_back(p.mark, briefing) for p in placed if p.spans[-1][1] == b]
            offset += len(value)
            continue
        if value in _BLOCK_ENDS and depth == 0:
            out += pending
            pending = []
        depth += {"open": 1, "close": -1}.get(kind, 0)
        out.append(value)
    return Markup("".join(out + pending))


# What the briefing and the pages are told


def verdicts(source: LoadedSource) -> list[Verdict]:
    """Return each quote's verdict; verify afresh if the check left them out."""
    if len(source.verdicts) == len(source.briefing.quotes):
        return source.verdicts
    return verify_briefing(source.briefing, source.root)


def _marks(source: LoadedSource, prefix: str, source_id: str | None) -> dict[str, list[Highlight]]:
    """Return the quotes to mark in each passage (by anchor) of the transcript or one source."""
    b = source.briefing
    marks: dict[str, list[Highlight]] = {}
    for n, (anchor, quote, verdict) in enumerate(
        zip(b.quote_ids(), b.quotes, verdicts(source), strict=True), 1
    ):
        if verdict.status not in MARKED or not (verdict.anchor or "").startswith(prefix):
            continue
        if source_id is not None and quote.source != source_id:
            continue
        near = verdict.status is Status.NEAR_MISS
        words = verdict.closest if near and verdict.closest else quote.text
        marks.setdefault(verdict.anchor or "", []).append(Highlight(anchor, n, words, near))
    return marks


def duration(time: str) -> str:
    """Return a transcript time (H:MM:SS or M:SS, seconds maybe fractional) as PT…H…M…S."""
    *head, seconds = time.split(":")
    hours, minutes = ([0, 0] + [int(p) for p in head])[-2:]
    whole, _, fraction = seconds.partition(".")
    seconds = f"{int(whole)}.{fraction}" if fraction else str(int(whole))
    return f"PT{hours}H{minutes}M{seconds}S".replace("PT0H", "PT")


def _passage_html(html: str, marks: Sequence[Highlight], briefing: str | None) -> Markup:
    """Highlight quotes in a passage, and tag its CJK script; plain passages pass unchanged."""
    if not marks and not CJK_RUN.search(html):
        return Markup(html)
    return highlight(html, marks, briefing)


def turn_views(source: LoadedSource, for_print: bool) -> list[TurnView]:
    """Return every turn, anchored t-1, t-2, ..., with the quotes marked."""
    b = source.briefing
    marks = _marks(source, "t-", None)
    seen: set[str] = set()
    views = []
    for n, turn in enumerate(b.transcript, 1):
        anchor = f"t-{n}"
        html = str(markdown.markdown_to_html(turn.text))
        marked = _passage_html(html, marks.get(anchor, []), None if for_print else "index.html")
        first = turn.speaker not in seen
        seen.add(turn.speaker)
        when = duration(turn.time) if turn.time else None
        views.append(TurnView(anchor, b.speaker(turn.speaker), first, turn.time, when, marked))
    return views


def transcript_context(source: LoadedSource, for_print: bool) -> dict[str, Any]:
    """Return what the transcript templates add to the briefing context."""
    b = source.briefing
    turns = turn_views(source, for_print)
    order = list(dict.fromkeys(turn.speaker for turn in b.transcript))
    return {
        "turns": turns,
        "speaking": [b.speaker(s) for s in order],
        "marked": bool(_marks(source, "t-", None)),
        "cjk": cjk,
    }


def evidence_texts(source: LoadedSource) -> list[Evidence]:
    """Return each source with a readable text ``file``, split as verify splits it."""
    texts = []
    for item in source.briefing.sources:
        text = _read(source, item.file) if item.file else None
        if text is not None:
            prose = split_prose(text)
            texts.append(Evidence(item, prose.paragraphs, prose.headline, tuple(prose.trailer)))
    return texts


def _read(source: LoadedSource, file: str) -> str | None:
    """Read an evidence file inside the workspace; None when verify could not have read it."""
    path = inside(source.root, file)
    try:
        if path is None or path.stat().st_size > MAX_EVIDENCE_BYTES:
            return None
        return path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None


def evidence_context(source: LoadedSource, evidence: Evidence) -> dict[str, Any]:
    """Return what the evidence template adds: the source and its marked paragraphs."""
    marks = _marks(source, "p-", evidence.source.id)
    paragraphs = [
        ParagraphView(
            f"p-{n}", _passage_html(str(escape(text)), marks.get(f"p-{n}", []), "../index.html")
        )
        for n, text in enumerate(evidence.paragraphs, 1)
    ]
    return {
        "source": evidence.source,
        "evidence": evidence,
        "paragraphs": paragraphs,
        "marked": bool(marks),
        "cjk": cjk,
    }
