"""The frame of a Word briefing: paper, styles, marking and page numbers, properties, bytes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor

from briefgen.source.config import Config

REFERENCE = "reference.docx"  # templates/reference.docx: a workspace's own Word styles
NAVY = RGBColor(0x15, 0x32, 0x5B)
_EPOCH = (1980, 1, 1, 0, 0, 0)  # the zip format's earliest date: every part gets it


def new_document(templates: Path | None) -> Any:
    """Start a document from the workspace's reference.docx, else python-docx's default."""
    reference = templates / REFERENCE if templates is not None else None
    document = docx.Document(str(reference)) if reference and reference.is_file() else None
    if document is None:
        document = docx.Document()
        _default_styles(document)
    _ensure_hyperlink_style(document)
    return document


def _default_styles(document: Any) -> None:
    """Give the default template a briefing's look: serif body, navy sans headings."""
    body = document.styles["Normal"]
    body.font.name, body.font.size = "Noto Serif", Pt(10.5)
    for name, size in (("Title", 18), ("Heading 1", 13), ("Heading 2", 11.5), ("Heading 3", 10.5)):
        style = document.styles[name]
        style.font.name, style.font.size, style.font.color.rgb = "Noto Sans", Pt(size), NAVY
    quote = document.styles["Quote"]
    quote.font.italic = True
    quote.paragraph_format.left_indent = Inches(0.3)


def _ensure_hyperlink_style(document: Any) -> None:
    """Add Word's Hyperlink character style when the template lacks it."""
    names = {style.name for style in document.styles}
    if "Hyperlink" in names:
        return
    style = document.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    style.font.color.rgb = RGBColor(0x0B, 0x4A, 0x8B)
    style.font.underline = True


def set_paper(document: Any, config: Config) -> None:
    """Letter or A4, one-inch margins, the marking and page numbers on every page."""
    for section in document.sections:
        if config.paper == "a4":
            section.page_width, section.page_height = Inches(8.27), Inches(11.69)
        else:
            section.page_width, section.page_height = Inches(8.5), Inches(11)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Inches(1))
        header = section.header.paragraphs[0]
        header.text = config.marking or ""
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if config.marking:
            footer.add_run(f"{config.marking} · ")
        footer.add_run("Page ")
        _field(footer, "PAGE")
        footer.add_run(" of ")
        _field(footer, "NUMPAGES")


def _field(paragraph: Any, code: str) -> None:
    """Append a Word field (PAGE, NUMPAGES) that Word and LibreOffice compute."""
    run = paragraph.add_run()

    def append(tag: str, **attributes: str) -> Any:
        element = OxmlElement(tag)
        for name, value in attributes.items():
            element.set(qn(name.replace("_", ":", 1)), value)
        run._r.append(element)
        return element

    append("w:fldChar", w_fldCharType="begin")
    append("w:instrText", xml_space="preserve").text = f" {code} "
    append("w:fldChar", w_fldCharType="separate")
    append("w:t").text = "1"
    append("w:fldChar", w_fldCharType="end")


def set_properties(
    document: Any, title: str, subject: str, config: Config, when: dt.datetime
) -> None:
    """Title, author (the organisation), subject and fixed dates: the same bytes every build."""
    props = document.core_properties
    props.title, props.subject = title, subject
    props.author = props.last_modified_by = config.organisation or "briefgen"
    props.created = props.modified = when.replace(tzinfo=None)
    props.revision = 1


def to_bytes(document: Any) -> bytes:
    """Save the document, then rewrite its zip with fixed dates and order (deterministic)."""
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_EPOCH)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dest.writestr(fixed, source.read(info.filename))
    return out.getvalue()
