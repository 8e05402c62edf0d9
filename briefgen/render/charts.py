"""Charts drawn by the build as SVG: no script, the same in the web page and the PDF.

Each is a ``<figure>``: the SVG (``role="img"``, labelled by its title and description),
a caption that says what it shows in words, and the numbers as a table that screen
readers find (hidden on screen, and in print, where the caption speaks for it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from briefgen.render import markdown
from briefgen.source.model import Briefing

WIDTH = 480  # the drawing's own units; it scales to the column (0.75 on a phone)
LABEL = 150  # the column of row labels
ROW = 30
BAR = 18
NO_SIDE = "No side"
# Presentation attributes, not classes alone: WeasyPrint draws inline SVG without the
# page's style sheet. The web style sheet may still restyle the classes.
FONT = 'font-family="IBM Plex Sans, Noto Sans, Liberation Sans, DejaVu Sans, sans-serif"'
LABEL_STYLE = f'{FONT} font-size="14" fill="#1d1f23"'
VALUE_STYLE = f'{FONT} font-size="13" fill="#4a4f57"'
BAR_STYLE = 'fill="#15325b"'
LINE_STYLE = 'stroke="#4a4f57" stroke-width="1"'
TRACK_STYLE = 'stroke="#c8ced6" stroke-width="1"'
MARK_STYLE = 'fill="#8c2a1c" stroke="#ffffff" stroke-width="1.5"'


@dataclass(frozen=True)
class Count:
    """One row of a bar chart: what is counted, and how many."""

    label: str
    value: int


@dataclass(frozen=True)
class Mark:
    """One mark on a timeline: its row, its date, what it says.

    No link: inside an image (``role="img"``) it would be a control screen readers never
    announce; the lists beside each chart link every event.
    """

    row: str
    date: dt.date
    label: str


def _text(x: float, y: float, text: str, kind: str, anchor: str = "start") -> str:
    """Draw a label or a value (``kind``) at x, y; the text is escaped here."""
    style = LABEL_STYLE if kind == "label" else VALUE_STYLE
    return (
        f'<text x="{x}" y="{y}" class="chart-{kind}" {style} text-anchor="{anchor}">'
        f"{escape(text)}</text>"
    )


def _line(x1: float, y1: float, x2: float, y2: float, kind: str) -> str:
    """Draw a track, tick or axis line."""
    style = TRACK_STYLE if kind == "track" else LINE_STYLE
    return f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" class="chart-{kind}" {style}/>'


def day(date: dt.date) -> str:
    """Write a date as the pages do: 7 August 2019."""
    return f"{date.day} {date:%B %Y}"


def words(text: str) -> int:
    """Return the words a turn's text holds, as it reads (Markdown taken out)."""
    return len(markdown.plain_text(text).split())


def words_spoken(b: Briefing) -> tuple[list[Count], list[Count]]:
    """Return the transcript's words by speaker and by side, most first (ties by name)."""
    names = {s.id: s.name for s in b.speakers}
    sides = {s.id: s.name for s in b.sides}
    side_of = {s.id: s.side for s in b.speakers}
    by_speaker: dict[str, int] = {}
    by_side: dict[str, int] = {}
    for turn in b.transcript:
        count = words(turn.text)
        name = names.get(turn.speaker, turn.speaker)
        by_speaker[name] = by_speaker.get(name, 0) + count
        side = sides.get(side_of.get(turn.speaker) or "", NO_SIDE)
        by_side[side] = by_side.get(side, 0) + count
    return _ranked(by_speaker), _ranked(by_side)


def _ranked(counts: dict[str, int]) -> list[Count]:
    """Order counts most first, then by label."""
    return [Count(k, v) for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _short(text: str, limit: int = 18) -> str:
    """Shorten a label to fit the label column; the table carries it whole."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Drawing:
    """A chart's parts: what it is called and says, its SVG shapes, its numbers as a table."""

    ident: str
    title: str
    description: str
    height: int
    shapes: str
    head: Sequence[str]
    rows: Sequence[Sequence[str]]  # escaped cells: a row heading, then the data


def _figure(d: Drawing) -> Markup:
    """Put a drawing in a figure: the SVG, its table for screen readers, then its caption."""
    head = "".join(f'<th scope="col">{escape(cell)}</th>' for cell in d.head)
    body = "".join(
        f'<tr><th scope="row">{row[0]}</th>{"".join(f"<td>{c}</td>" for c in row[1:])}</tr>'
        for row in d.rows
    )
    return Markup(  # every text is escaped, by the callers or here
        f'<figure class="chart" id="{d.ident}">'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {d.height}" '
        f'role="img" aria-labelledby="{d.ident}-t {d.ident}-d" class="chart-svg">'
        f'<title id="{d.ident}-t">{escape(d.title)}</title><desc id="{d.ident}-d">'
        f"{escape(d.description)}</desc>{d.shapes}</svg>"
        # hidden in a div: a table takes the width of its cells, whatever its own width says
        f'<div class="visually-hidden"><table><caption>{escape(d.title)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
        f"<figcaption>{escape(d.description)}</figcaption></figure>"
    )


def bar_chart(ident: str, title: str, description: str, rows: Sequence[Count], unit: str) -> Markup:
    """Draw a horizontal bar chart of ``rows``; return the whole figure."""
    total = sum(r.value for r in rows) or 1
    most = max((r.value for r in rows), default=0) or 1
    span = WIDTH - LABEL - 70
    height = ROW * len(rows) + 8
    parts = []
    for n, row in enumerate(rows):
        y = 4 + n * ROW
        width = round(span * row.value / most, 1)
        parts.append(
            _text(LABEL - 8, y + 14, _short(row.label), "label", "end")
            + f'<rect x="{LABEL}" y="{y}" width="{width}" height="{BAR}" class="chart-bar" '
            f"{BAR_STYLE}><title>{escape(row.label)}: {row.value:,} {unit}</title></rect>"
            + _text(LABEL + width + 6, y + 14, f"{row.value:,}", "value")
        )
    rows_shown = [
        (escape(r.label), f"{r.value:,}", f"{round(100 * r.value / total)}%") for r in rows
    ]
    head = ("Who", unit.capitalize(), "Share")
    return _figure(Drawing(ident, title, description, height, "".join(parts), head, rows_shown))


def spoken_charts(b: Briefing, slug: str) -> Markup:
    """Draw who spoke how much in the transcript, by speaker and by side; empty without one."""
    if not b.transcript:
        return Markup("")
    speakers, sides = words_spoken(b)
    total = sum(c.value for c in speakers)
    top = speakers[0]
    said = (
        f"{total:,} words in {len(b.transcript)} turns; {top.label} spoke most, "
        f"{top.value:,} words ({round(100 * top.value / (total or 1))}%)."
    )
    by_side = "; ".join(f"{c.label} {round(100 * c.value / (total or 1))}%" for c in sides)
    return bar_chart(
        f"{slug}-words-speakers",
        "Words spoken in the transcript, by speaker",
        said,
        speakers,
        "words",
    ) + bar_chart(
        f"{slug}-words-sides",
        "Words spoken in the transcript, by side",
        f"By side: {by_side}.",
        sides,
        "words",
    )


def _axes(
    rows: Sequence[str], start: dt.date, end: dt.date, x: Callable[[dt.date], float]
) -> list[str]:
    """Draw a timeline's rows (a track and a label each) and its axis of years."""
    axis = ROW * len(rows) + 8
    parts = [_line(LABEL, axis - 4, WIDTH - 16, axis - 4, "axis")]
    for n, row in enumerate(rows):
        y = 4 + n * ROW
        parts.append(_line(LABEL, y + 10, WIDTH - 16, y + 10, "track"))
        parts.append(_text(LABEL - 8, y + 14, _short(row), "label", "end"))
    for year in range(start.year + (start.month > 1 or start.day > 1), end.year + 1):
        tick = x(dt.date(year, 1, 1))
        parts.append(_line(tick, axis - 4, tick, axis + 2, "tick"))
        parts.append(_text(tick, axis + 16, str(year), "value", "middle"))
    return parts


def timeline(ident: str, title: str, description: str, marks: Sequence[Mark], head: str) -> Markup:
    """Draw marks on a time axis, a row per ``Mark.row``; return the whole figure.

    ``head`` names the table's first column (what the rows are).
    """
    if not marks:
        return Markup("")
    rows = list(dict.fromkeys(m.row for m in marks))
    first, last = min(m.date for m in marks), max(m.date for m in marks)
    start, end = first - dt.timedelta(days=30), last + dt.timedelta(days=30)
    span, left, right = (end - start).days, LABEL, WIDTH - 16
    height = ROW * len(rows) + 34

    def x(date: dt.date) -> float:
        return round(left + (right - left) * (date - start).days / span, 1)

    parts = _axes(rows, start, end, x)
    for mark in marks:
        y = 4 + rows.index(mark.row) * ROW + 10
        parts.append(
            f'<circle cx="{x(mark.date)}" cy="{y}" r="6" class="chart-mark" {MARK_STYLE}>'
            f"<title>{mark.date.isoformat()}, {escape(mark.row)}: {escape(mark.label)}</title>"
            "</circle>"
        )
    shown = [
        (
            escape(m.row),
            f'<time datetime="{m.date.isoformat()}">{day(m.date)}</time>',
            escape(m.label),
        )
        for m in sorted(marks, key=lambda m: (rows.index(m.row), m.date))
    ]
    drawing = Drawing(
        ident, title, description, height, "".join(parts), (head, "Date", "What"), shown
    )
    return _figure(drawing)
