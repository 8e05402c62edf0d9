"""Parsing rendered pages in tests: a tree of nodes, text by class, and the hostile-text checks."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from _workspace import SMALL
from pypdf import PdfReader

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Node:
    """An element of parsed HTML."""

    tag: str
    attrs: dict[str, str | None]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        """Return the element's text, whitespace collapsed."""
        parts = [c if isinstance(c, str) else c.text() for c in self.children]
        return re.sub(r"\s+", " ", "".join(parts)).strip()

    def iter(self) -> list[Node]:
        """Return this element and every element inside it, in document order."""
        found = [self]
        for child in self.children:
            if isinstance(child, Node):
                found += child.iter()
        return found

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        """Return the elements with this tag (any if None) whose attributes contain ``attrs``."""
        return [
            n
            for n in self.iter()
            if (tag is None or n.tag == tag)
            and all(_has(n.attrs.get(k.rstrip("_")), v) for k, v in attrs.items())
        ]

    def by_id(self, ident: str) -> Node:
        """Return the one element with this id."""
        (node,) = [n for n in self.iter() if n.attrs.get("id") == ident]
        return node


def _has(value: str | None, wanted: str) -> bool:
    """Match an attribute value, treating class as a set of words."""
    return value is not None and (value == wanted or wanted in value.split())


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    """Parse HTML into Nodes."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "<iframe src=https://evil.example/></iframe>",
    "<style>body{display:none}</style>",
    '<a href="data:text/html,<script>alert(1)</script>">d</a>',
    "<link rel=stylesheet href=http://evil.example/x.css>",
    '<a href="https://ok.example/" onclick="alert(1)" style="color:red" rel="attachment">k</a>',
    "<svg onload=alert(1)><object data=x></object>",
]


EVIL = " ".join(PAYLOADS)


PLAIN_FIELDS = [
    "Seminar on trade",
    "Example Institute",
    "Washington, D.C.",
    "United States",
    "Marc Knapper",
    "Deputy Assistant Secretary",
    "Department of State",
    "Bilateral trust",
    "Soul-searching needed",
    "The Korea Herald",
    "We believe that some soul-searching is in order",
]


MARKDOWN_TEXTS = [
    "Both sides want calm.",
    "Calm words.",
    "Leadership is lacking.",
    "Both should reflect.",
]


# (after this line, add these fields): optional fields filled with the payloads
OPTIONAL_FIELDS = [
    ('  host: "', ["background", "subtitle", "format"], "  "),
    ("    present: true\n", ["bio", "native_name"], "    "),
    ('    title: "Bilateral trust', ["description"], "    "),
    ("    source: article\n", ["context", "locator"], "    "),
]


def hostile_source() -> str:
    """Put the payloads into every Markdown field and every plain text field."""
    quoted = EVIL.replace("\\", "\\\\").replace('"', '\\"')
    text = SMALL
    for value in PLAIN_FIELDS + MARKDOWN_TEXTS:
        text = text.replace(f'"{value}"', f'"{value} {quoted}"')
    for anchor, names, indent in OPTIONAL_FIELDS:
        fields = "".join(f'{indent}{name}: "{quoted}"\n' for name in names)
        text = text.replace(anchor, fields + anchor, 1)
    text += f'takeaways:\n  - "{quoted}"\nquestions:\n  - "{quoted}"\n'
    return text + f'transcript:\n  - speaker: knapper\n    text: "{quoted}"\n'


OWN_SCRIPT = '<script src="assets/search.js" defer></script>'  # the home page's search box


CHART_PARTS = {"svg", "title", "desc", "text", "rect", "line", "circle"}  # render/charts.py
OWN_JSONLD = '<script type="application/ld+json">'  # render/jsonld.py: data, never run


def assert_clean(doc: Node, html: str) -> None:
    """Fail unless a page holds nothing a hostile source could have put there.

    The build's own script (search.js), its JSON-LD (data, which must parse) and its
    charts (SVG of known parts, no links, no handlers) are the only exceptions.
    """
    own = {"src": "assets/search.js", "defer": None}
    scripts = doc.find_all("script")
    allowed_scripts = [n for n in scripts if n.attrs == own][:1]
    data = [n for n in scripts if n.attrs == {"type": "application/ld+json"}][:1]
    assert [n for n in scripts if n not in allowed_scripts + data] == []
    for node in data:
        json.loads("".join(c for c in node.children if isinstance(c, str)))
    for tag in ("iframe", "object", "embed"):
        assert not doc.find_all(tag), tag
    for svg in doc.find_all("svg"):
        assert svg.attrs.get("class") == "chart-svg" and svg.attrs.get("role") == "img"
        parts = {n.tag for n in svg.iter()}
        assert parts <= CHART_PARTS, parts - CHART_PARTS
        assert all("href" not in n.attrs for n in svg.iter())
    assert len(doc.find_all("style")) in (0, 2)  # only the print HTML's own two
    assert [n for n in doc.find_all("link") if "evil" in (n.attrs.get("href") or "")] == []
    for img in doc.find_all("img"):
        assert (img.attrs.get("src") or "").startswith(("data:", "../assets/", "assets/"))
    for node in doc.iter():
        for name, value in node.attrs.items():
            assert not name.startswith("on"), (node.tag, name)
            if name == "style":
                raise AssertionError(f"style attribute on {node.tag}")
            if name in ("href", "src", "action", "formaction", "data"):
                lowered = (value or "").strip().lower()
                assert not lowered.startswith(("javascript:", "data:text", "vbscript:")), value
            if name == "rel":
                assert "attachment" not in (value or "")
    for style in doc.find_all("style"):
        assert "display:none" not in style.text() and "evil" not in style.text()
    rest = html.replace(OWN_SCRIPT, "", 1).replace(OWN_JSONLD, "", 1).lower()
    assert "<script" not in rest.replace("&lt;script", "")


class Page(HTMLParser):
    """A parsed page: its text by element class, its links, and its ids."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (tag, url)
        self.ids: set[str] = set()
        self.head_links: list[dict[str, str]] = []
        self.text = ""
        self._in_head = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self._in_head = self._in_head or tag == "head"
        if "id" in values:
            self.ids.add(values["id"])
        for name in ("href", "src"):
            if name in values:
                self.links.append((tag, values[name]))
        if tag == "link" and self._in_head:
            self.head_links.append(values)

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self._in_head = False

    def handle_data(self, data: str) -> None:
        self.text += data


def items(html: str, css_class: str) -> list[str]:
    """Return the HTML of each <li> with this class, in order (site lists do not nest li)."""
    pattern = rf'<li class="[^"]*\b{re.escape(css_class)}\b[^"]*">(.*?)</li>'
    return re.findall(pattern, html, re.DOTALL)


def words(html: str) -> str:
    """Return the text of an HTML fragment with whitespace squashed."""
    return " ".join(Page(html).text.split())


def page_texts(pdf: Path, *options: str) -> list[str]:
    """Return pdftotext's text of each page of a PDF (``options`` such as ``-layout``)."""
    count = len(PdfReader(pdf).pages)
    return [
        subprocess.run(
            ["pdftotext", *options, "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
        for n in range(1, count + 1)
    ]


def squashed(text: str) -> str:
    """Drop whitespace, hyphens and quotation marks, so line breaks and typography do not matter."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011“”\"]+", "", text)
