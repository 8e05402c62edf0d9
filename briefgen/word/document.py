"""The memo and the full brief as Word documents, from the same view the web page and PDF use."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from docx.oxml import OxmlElement
from docx.shared import Pt

from briefgen.render import markdown
from briefgen.render.environment import checked_context
from briefgen.render.meta import BriefingMeta
from briefgen.render.views import QuoteView
from briefgen.source.config import Config
from briefgen.source.model import Speaker
from briefgen.verify.check import LoadedSource
from briefgen.word.markup import Run, add_link, add_runs, blocks
from briefgen.word.page import new_document, set_paper, set_properties, to_bytes

TABLE_STYLE = "Table Grid"


def compact(table: Any) -> None:
    """Set a table at 9 pt, its header row bold and repeated on every page, rows unsplit."""
    for number, row in enumerate(table.rows):
        props = row._tr.get_or_add_trPr()
        props.append(OxmlElement("w:cantSplit"))
        if number == 0:
            props.append(OxmlElement("w:tblHeader"))
        for cell in row.cells:
            for run in (r for p in cell.paragraphs for r in p.runs):
                run.font.size = Pt(9)
                run.bold = True if number == 0 else None


class WordBriefing:
    """Write one source's briefing into a python-docx document, part by part."""

    def __init__(self, source: LoadedSource, meta: BriefingMeta, config: Config) -> None:
        self.view = checked_context(source, meta)
        self.b = source.briefing
        self.config = config

    def markdown(self, document: Any, text: str, style: str | None = None) -> None:
        """Add a Markdown field: paragraphs in ``style``, list items as Word lists."""
        for block in blocks(text):
            kind = {"ul": "List Bullet", "ol": "List Number"}.get(block.list_kind or "", style)
            add_runs(document.add_paragraph(style=kind), block.runs)

    def heading_part(self, document: Any) -> None:
        """The headline, what the event was, and the bottom line."""
        e = self.b.event
        document.add_paragraph(self.view["headline"], style="Title")
        when = e.date.strftime(self.config.date_format)
        document.add_paragraph(f"{e.title} · {e.host} · {e.location} · {when}", style="Subtitle")
        document.add_heading("Bottom line", level=1)
        self.markdown(document, e.summary)

    def points(self, document: Any) -> None:
        """Takeaways and questions, as Word lists."""
        for title, items, style in (
            ("Takeaways", self.b.takeaways, "List Bullet"),
            ("Questions to ask", self.b.questions, "List Number"),
        ):
            if items:
                document.add_heading(title, level=1)
                for item in items:
                    self.markdown(document, item, style)

    def standing(self, document: Any) -> None:
        """Where the sides stand: topics down, sides across, a line per cell."""
        rows, sides = self.view["rows"], self.view["sides"]
        if not rows:
            return
        document.add_heading("Where the sides stand", level=1)
        table = document.add_table(rows=1, cols=len(sides) + 1)
        table.style = TABLE_STYLE
        head = table.rows[0].cells
        head[0].text = "Topic"
        for cell, side in zip(head[1:], sides, strict=True):
            cell.text = side.side.name + ("" if side.represented else " (not represented)")
        for row in rows:
            cells = table.add_row().cells
            cells[0].text = row.topic.title
            for cell, found in zip(cells[1:], row.cells, strict=True):
                label = "Reported: " if found.reported else ""
                cell.text = f"{label}{found.line}" if found.position else "—"
        compact(table)

    def quote(self, document: Any, view: QuoteView, number: bool = True) -> None:
        """One quote in the Quote style, then who said it, where, and its verification."""
        label = f"B{view.number} " if number else ""
        document.add_paragraph(f"{label}“{view.quote.text}”", style="Quote")
        line = document.add_paragraph()
        line.add_run(f"— {view.speaker.name}, {view.speaker.title}, {self.said(view)}")
        source = view.source
        if source is not None:
            line.add_run(f" [{self.view['numbers'][source.id]}]")
        check = self.view["checks"].get(view.anchor)
        if check is not None:
            line.add_run(f". {check.text}")

    def said(self, view: QuoteView) -> str:
        """Say where and when a quote was said, and whose report carries it."""
        q = view.quote
        where = (
            f"said {q.said.date.strftime(self.config.date_format)}, {q.said.occasion}"
            if q.said
            else f"at the {self.b.event.format or 'event'}"
        )
        return where + (f"; as reported by {view.reported_by}" if view.reported_by else "")

    def sides(self, document: Any) -> None:
        """Each side's view: its summary and its positions, the same parts for every side."""
        document.add_heading("Each side’s view", level=1)
        for side in self.view["sides"]:
            note = "" if side.represented else " (not represented at the event)"
            document.add_heading(side.side.name + note, level=2)
            self.markdown(document, side.side.summary)
            for topic, position in side.positions:
                document.add_heading(topic.title, level=3)
                self.markdown(document, position.stance)
            numbers = ", ".join(f"B{q.number}" for q in side.quotes)
            document.add_paragraph(f"Quotes in Annex B: {numbers or 'none'}")

    def annexes(self, document: Any) -> None:
        """Background, every quote once, participants and sources."""
        if self.b.event.background:
            document.add_heading("Annex A · Background", level=1)
            self.markdown(document, self.b.event.background)
        document.add_heading("Annex B · Quotes and their verification", level=1)
        for speaker, group in self.view["quotes_by_speaker"]:
            document.add_heading(self.person(speaker), level=3)
            for view in group:
                self.quote(document, view)
        document.add_heading("Annex C · Participants", level=1)
        for speaker in self.view["participants"]:
            role = "speaker" if speaker.present else "referred to"
            document.add_paragraph(f"{self.person(speaker)} ({role})", style="List Bullet")
        document.add_heading("Annex D · Sources", level=1)
        for source in self.view["sources"]:
            item = document.add_paragraph(style="List Number")
            date = f", {source.date.strftime(self.config.date_format)}" if source.date else ""
            add_runs(item, [Run(f"{source.title}, {source.publisher}{date} ({source.kind}). ")])
            if source.url:
                add_link(item, source.url, source.url)

    def person(self, speaker: Speaker) -> str:
        """Name, title and affiliation as of the event."""
        return f"{speaker.name}, {speaker.title}, {speaker.affiliation}"

    def memo_header(self, document: Any) -> None:
        """TO, THROUGH, FROM, DATE and SUBJECT lines."""
        memo, e = self.config.memo, self.b.event
        lines = [("TO", memo.to), ("THROUGH", memo.through), ("FROM", memo.from_)] if memo else []
        lines.append(("DATE", self.view["memo_date"].strftime(self.config.date_format)))
        lines.append(
            ("SUBJECT", f"{e.title}, {e.host}, {e.date.strftime(self.config.date_format)}")
        )
        for label, value in lines:
            if value:
                paragraph = document.add_paragraph()
                paragraph.add_run(f"{label}: ").bold = True
                paragraph.add_run(value)


def full_brief(
    source: LoadedSource, meta: BriefingMeta, config: Config, templates: Path | None
) -> bytes:
    """Return the full brief as a .docx file's bytes."""
    writer, document = WordBriefing(source, meta, config), new_document(templates)
    writer.heading_part(document)
    writer.points(document)
    writer.standing(document)
    writer.sides(document)
    writer.annexes(document)
    return _finish(document, writer, meta)


def memo(source: LoadedSource, meta: BriefingMeta, config: Config, templates: Path | None) -> bytes:
    """Return the one-page memo as a .docx file's bytes."""
    writer, document = WordBriefing(source, meta, config), new_document(templates)
    document.add_paragraph("MEMORANDUM")
    writer.memo_header(document)
    writer.heading_part(document)
    writer.points(document)
    writer.standing(document)
    if writer.view["key_quotes"]:
        document.add_heading("Key quotes", level=1)
        for view in writer.view["key_quotes"]:
            writer.quote(document, view, number=False)
    return _finish(document, writer, meta)


def _finish(document: Any, writer: WordBriefing, meta: BriefingMeta) -> bytes:
    """Set the paper, the marking and the properties; return the bytes."""
    set_paper(document, writer.config)
    e = writer.b.event
    summary = markdown.shorten(markdown.plain_text(e.summary), 250)
    when = dt.datetime.combine(meta.prepared, dt.time())
    set_properties(document, e.title, summary, writer.config, when)
    return to_bytes(document)
