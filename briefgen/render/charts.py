"""Charts drawn by the build as SVG: no script, the same in the web page and the PDF.

Each is a ``<figure>``: the SVG (``role="img"``, labelled by its title and description),
a caption that says what it shows in words, and the numbers as a table that screen
readers find (hidden on screen, and in print, where the caption speaks for it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
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
    """One mark on a timeline: its row, its date, what it says, where it links."""

    row: str
    date: dt.date
    label: str
    href: str | None = None


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
    table = "".join(
        f'<tr><th scope="row">{escape(r.label)}</th><td>{r.value:,}</td>'
        f"<td>{round(100 * r.value / total)}%</td></tr>"
        for r in rows
    )
    return Markup(
        f'<figure class="chart" id="{ident}">'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{ident}-t {ident}-d" class="chart-svg">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">'
        f"{escape(description)}</desc>{''.join(parts)}</svg>"
        f"<figcaption>{escape(description)}</figcaption>"
        f'<table class="visually-hidden"><caption>{escape(title)}</caption><thead><tr>'
        f'<th scope="col">Who</th><th scope="col">{escape(unit.capitalize())}</th>'
        f'<th scope="col">Share</th></tr></thead><tbody>{table}</tbody></table></figure>'
    )


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
    axis = ROW * len(rows) + 8

    def x(day: dt.date) -> float:
        return round(left + (right - left) * (day - start).days / span, 1)

    parts = [_line(left, axis - 4, right, axis - 4, "axis")]
    for n, row in enumerate(rows):
        y = 4 + n * ROW
        parts.append(_line(left, y + 10, right, y + 10, "track"))
        parts.append(_text(left - 8, y + 14, _short(row), "label", "end"))
    for year in range(start.year + (start.month > 1 or start.day > 1), end.year + 1):
        tick = x(dt.date(year, 1, 1))
        parts.append(_line(tick, axis - 4, tick, axis + 2, "tick"))
        parts.append(_text(tick, axis + 16, str(year), "value", "middle"))
    for mark in marks:
        y = 4 + rows.index(mark.row) * ROW + 10
        dot = (
            f'<circle cx="{x(mark.date)}" cy="{y}" r="6" class="chart-mark" {MARK_STYLE}>'
            f"<title>{mark.date.isoformat()}, {escape(mark.row)}: {escape(mark.label)}</title>"
            "</circle>"
        )
        parts.append(f'<a href="{escape(mark.href)}">{dot}</a>' if mark.href else dot)
    table = "".join(
        f'<tr><th scope="row">{escape(m.row)}</th><td><time datetime="{m.date.isoformat()}">'
        f"{m.date.isoformat()}</time></td><td>{escape(m.label)}</td></tr>"
        for m in sorted(marks, key=lambda m: (rows.index(m.row), m.date))
    )
    return Markup(
        f'<figure class="chart" id="{ident}">'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{ident}-t {ident}-d" class="chart-svg">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">'
        f"{escape(description)}</desc>{''.join(parts)}</svg>"
        f"<figcaption>{escape(description)}</figcaption>"
        f'<table class="visually-hidden"><caption>{escape(title)}</caption><thead><tr>'
        f'<th scope="col">{escape(head)}</th><th scope="col">Date</th><th scope="col">What</th>'
        f"</tr></thead><tbody>{table}</tbody></table></figure>"
    )
