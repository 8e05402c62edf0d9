"""Author Markdown to safe HTML: Python-Markdown, then an nh3 allow-list.

Authors write Markdown in summaries, stances, bios and lists. Raw HTML in it is
sanitised, never trusted: only the tags below survive, links keep only http(s),
mailto and relative addresses, and images are not displayed (an image written in
Markdown shows as a link to it). Headings written in Markdown become bold
paragraphs, so that the briefing's outline (and the PDF's bookmarks) stays ours.
"""

from __future__ import annotations

import functools
import html
import re
import threading
import xml.etree.ElementTree as etree
from collections.abc import Mapping

import markdown as md
import nh3
from markupsafe import Markup

MAX_CHARS = 50_000
MAX_DEPTH = 6
ALLOWED_TAGS = {
    "p", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre", "br", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_QUOTE_PREFIX = re.compile(r"^( {0,3}>[ ]?)+")
_INDENT = re.compile(r"^[ \t]+")
_MARKERS = re.compile(rf"^[ \t]*(?:(?:[-*+]|\d{{1,9}}[.)])[ \t]+){{{MAX_DEPTH + 1},}}")
_MARKER = re.compile(r"(?:[-*+]|\d{1,9}[.)])[ \t]+")
UNMATCHED_LIMIT = 32  # more unmatched [ or ( than this, and they are escaped: see _balanced
_OUTER_P = re.compile(r"^<p>(.*)</p>$", re.DOTALL)
_SPACE = re.compile(r"\s+")
_DEAD_LINK = re.compile(r'<a(?: title="[^"]*")? rel="noopener noreferrer">(.*?)</a>', re.DOTALL)
_EMPTY_P = re.compile(r"<p>\s*</p>\s*")


class _Demote(md.treeprocessors.Treeprocessor):
    """Turn author headings into bold paragraphs and images into links."""

    def run(self, root: etree.Element) -> None:
        """Rewrite every heading and image in place."""
        for element in root.iter():
            if element.tag in _HEADINGS:
                _heading_to_paragraph(element)
            elif element.tag == "img":
                src, alt = element.get("src", ""), element.get("alt", "")
                element.attrib.clear()
                element.tag, element.text = "a", alt or src
                element.set("href", src)


def _heading_to_paragraph(element: etree.Element) -> None:
    """Make a heading a paragraph whose content is wrapped in <strong>."""
    strong = etree.Element("strong")
    strong.text, element.text = element.text, None
    for child in list(element):
        element.remove(child)
        strong.append(child)
    element.tag = "p"
    element.append(strong)


_local = threading.local()


def _converter() -> md.Markdown:
    """Return this thread's Markdown converter, reset; one without extensions (no attributes).

    Building a converter costs more than most conversions, so each thread keeps one.
    """
    converter: md.Markdown | None = getattr(_local, "converter", None)
    if converter is None:
        converter = md.Markdown(extensions=[], output_format="html")
        converter.treeprocessors.register(_Demote(converter), "briefgen-demote", 1)
        _local.converter = converter
    return converter.reset()


def _unmatched(text: str, opener: str, closer: str) -> list[int]:
    """Return the positions of openers no closer matches (one pass, a stack of positions)."""
    stack: list[int] = []
    escaped = False
    for n, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == opener:
            stack.append(n)
        elif char == closer and stack:
            stack.pop()
    return stack


_LONE = {"[": "\ue000", "(": "\ue001", "<": "\ue002"}  # private-use stand-ins
_RESTORE = str.maketrans({"\ue000": "[", "\ue001": "(", "\ue002": "&lt;"})  # after conversion


def _balanced(text: str) -> str:
    """Stand in for unmatched ``[``, ``(`` and ``<`` when there are many.

    Each one costs Python-Markdown a scan to the end of the text, and each escape a rebuild
    of it (``"[" * 50000`` took minutes). A stand-in is plain text to the parser, so the work
    is linear; ``converted`` puts the brackets back. A few, as prose has, are left alone.
    """
    if text.count("[") + text.count("(") + text.count("<") <= UNMATCHED_LIMIT:
        return text  # too few openers to be many unmatched: no scan (most fields)
    lone = _unmatched(text, "[", "]") + _unmatched(text, "(", ")") + _unmatched(text, "<", ">")
    if len(lone) <= UNMATCHED_LIMIT:
        return text
    chars = list(text)
    for n in lone:
        chars[n] = _LONE[chars[n]]
    return "".join(chars)


_DROPPED = re.compile(r"<(/?)(" + "|".join(sorted(DROP_WITH_CONTENT)) + r")\b[^>]*>", re.IGNORECASE)


def _closed(text: str) -> str:
    """Show an unclosed ``<style>``, ``<script>``... as text, so what follows it is kept.

    The sanitiser drops such an element with its content; unclosed, its content is the
    rest of the field. A closed one is still dropped, whole.
    """
    open_at: dict[str, list[int]] = {}
    for match in _DROPPED.finditer(text):
        name = match.group(2).lower()
        if match.group(1):
            if open_at.get(name):
                open_at[name].pop()
        else:
            open_at.setdefault(name, []).append(match.start())
    lone = {n for starts in open_at.values() for n in starts}
    if not lone:
        return text
    return "".join("&lt;" if n in lone else char for n, char in enumerate(text))


def _flattened(line: str) -> str:
    """Keep at most MAX_DEPTH list markers at a line's start: each nests a list (recursion)."""
    found = _MARKERS.match(line)
    if not found:
        return line
    markers = _MARKER.findall(line[: found.end()])
    return "".join(markers[:MAX_DEPTH]) + line[found.end() :]


def _bounded(text: str) -> str:
    """Cap length, nesting and unmatched brackets, which bound the parser's work."""
    lines = []
    for line in _balanced(_closed(text[:MAX_CHARS])).splitlines():
        quote = _QUOTE_PREFIX.match(line)
        if quote and quote.group(0).count(">") > MAX_DEPTH:
            line = "> " * MAX_DEPTH + line[quote.end() :]
        quote = _QUOTE_PREFIX.match(line)
        start = quote.end() if quote else 0
        line = line[:start] + _flattened(line[start:])
        indent = _INDENT.match(line)
        if indent and len(indent.group(0).expandtabs(4)) > 4 * MAX_DEPTH:
            line = " " * 4 * MAX_DEPTH + line[indent.end() :]
        lines.append(line)
    return "\n".join(lines)


_NETWORK_PATH = re.compile(r"^[\s\x00-\x20]*[/\\]{2}")  # //host, /\host, \\host


def _external(element: str, attribute: str, value: str) -> str | None:
    r"""Give a protocol-relative address (``//host``, ``/\host``) its scheme: it is external.

    Browsers read ``/\host`` as ``//host``, another site, not a page of this one; written
    as https:// it meets the same rules as any external link.
    """
    if attribute in ("href", "src") and _NETWORK_PATH.match(value):
        return "https://" + _NETWORK_PATH.sub("", value).replace("\\", "/")
    return value


def sanitise(fragment: str) -> str:
    """Clean an HTML fragment down to the allow-list; unwrap links whose address was refused."""
    cleaned = nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_external,
    )
    return _EMPTY_P.sub("", _DEAD_LINK.sub(r"\1", cleaned))


# Conversions an earlier build made, by text (see keep); unsanitised, like converted()'s.
_kept: dict[str, str] = {}
KEEP_AT_MOST = 200_000


def keep(conversions: Mapping[str, str]) -> None:
    """Take conversions an earlier build made (``converted``'s results), not to redo them.

    Converting is a function of the text alone, so a kept conversion is what converting
    again would give; it is sanitised anew like any other. A long-running preview keeps
    at most KEEP_AT_MOST of them.
    """
    if len(_kept) > KEEP_AT_MOST:
        _kept.clear()
    _kept.update(conversions)


@functools.lru_cache(maxsize=8192)
def converted(text: str) -> str:
    """Convert author Markdown to HTML, not yet sanitised: kept from an earlier build, or now."""
    kept = _kept.get(text)
    if kept is not None:
        return kept
    return _converter().convert(_bounded(text)).translate(_RESTORE)


@functools.lru_cache(maxsize=8192)
def markdown_to_html(text: str) -> Markup:
    """Render author Markdown as sanitised block HTML (memoised: site pages repeat stances)."""
    return Markup(sanitise(converted(text)).strip())


def markdown_inline(text: str) -> Markup:
    """Render a one-paragraph Markdown text without its enclosing <p>."""
    rendered = str(markdown_to_html(text))
    inner = _OUTER_P.match(rendered)
    if inner and "<p>" not in inner.group(1):
        return Markup(inner.group(1))
    return Markup(rendered)


@functools.lru_cache(maxsize=8192)
def plain_text(text: str) -> str:
    """Return the words of a Markdown text, with markup and extra space removed."""
    cleaned = nh3.clean(
        str(markdown_to_html(text)), tags=set(), clean_content_tags={"script", "style"}
    )
    return _SPACE.sub(" ", html.unescape(cleaned)).strip()


def shorten(text: str, limit: int = 200) -> str:
    """Cut plain text to at most ``limit`` characters at a word boundary, marking the cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.–—-")
    return f"{cut}…"


_ABBREVIATIONS = ("Mr", "Mrs", "Ms", "Dr", "St", "Gen", "Sen", "Rep", "Gov", "Amb", "No", "vs")
_SENTENCE_END = re.compile(r"[.!?][”’\"')]*(?=\s+[A-Z“‘\"(])")
_INITIALS = re.compile(r"(?:[A-Z]\.)*[A-Z]")


def first_sentence(text: str, limit: int = 200) -> str:
    """Return the first sentence of plain text (shortened), skipping common abbreviations."""
    for match in _SENTENCE_END.finditer(text):
        word = text[: match.start()].rsplit(" ", 1)[-1]
        if word in _ABBREVIATIONS or _INITIALS.fullmatch(word):
            continue
        return shorten(text[: match.end()], limit)
    return shorten(text, limit)
