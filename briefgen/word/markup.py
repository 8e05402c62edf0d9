"""Markdown fields as Word paragraphs and runs: the sanitised HTML walked into python-docx."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from briefgen.render import markdown

_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "blockquote"}


@dataclass
class Run:
    """A stretch of text with its emphasis and, if it is a link, its address."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


@dataclass
class Block:
    """A paragraph of runs; ``list_kind`` is "ul" or "ol" for a list item."""

    runs: list[Run] = field(default_factory=list)
    list_kind: str | None = None


class _Walker(HTMLParser):
    """Turn sanitised Markdown HTML into blocks of runs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._bold = self._italic = 0
        self._href: str | None = None
        self._lists: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("ul", "ol"):
            self._lists.append(tag)
        elif tag in _BLOCKS:
            self.blocks.append(Block(list_kind=self._lists[-1] if self._lists else None))
        elif tag in ("strong", "b"):
            self._bold += 1
        elif tag in ("em", "i"):
            self._italic += 1
        elif tag == "a":
            self._href = dict(attrs).get("href")
        elif tag == "br":
            self.handle_data("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol") and self._lists:
            self._lists.pop()
        elif tag in ("strong", "b"):
            self._bold = max(0, self._bold - 1)
        elif tag in ("em", "i"):
            self._italic = max(0, self._italic - 1)
        elif tag == "a":
            self._href = None

    def handle_data(self, data: str) -> None:
        if not data.strip() and (not self.blocks or not self.blocks[-1].runs):
            return
        if not self.blocks:
            self.blocks.append(Block())
        run = Run(" ".join(data.split("\n")), self._bold > 0, self._italic > 0, self._href)
        self.blocks[-1].runs.append(run)


def blocks(text: str) -> list[Block]:
    """Return a Markdown field as blocks of runs, sanitised as the web page is."""
    walker = _Walker()
    walker.feed(str(markdown.markdown_to_html(text)))
    return [b for b in walker.blocks if any(r.text.strip() for r in b.runs)]


def add_runs(paragraph: Any, runs: list[Run]) -> None:
    """Append runs to a python-docx paragraph, links as real hyperlinks."""
    for run in runs:
        if run.href and run.href.startswith(("http://", "https://", "mailto:")):
            add_link(paragraph, run.text, run.href)
            continue
        made = paragraph.add_run(run.text)
        made.bold = run.bold or None
        made.italic = run.italic or None


def add_link(paragraph: Any, text: str, url: str) -> None:
    """Append an external hyperlink in Word's Hyperlink character style."""
    part = paragraph.part
    rel = part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    props.append(style)
    run.append(props)
    node = OxmlElement("w:t")
    node.text = text
    node.set(qn("xml:space"), "preserve")
    run.append(node)
    link.append(run)
    paragraph._p.append(link)
