"""Jinja2 rendering: the template search path, filters and each page's context; returns strings."""

from __future__ import annotations

import base64
import importlib.metadata
import traceback
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from briefgen.errors import RenderError, TemplateError
from briefgen.paths import builtin_templates
from briefgen.render import markdown
from briefgen.render.brief import briefing_context
from briefgen.render.charts import spoken_charts
from briefgen.render.checks import check_context
from briefgen.render.cjk import native_lang
from briefgen.render.jsonld import jsonld_script
from briefgen.render.meta import BriefingMeta
from briefgen.render.transcript import (
    evidence_context,
    evidence_texts,
    transcript_context,
)
from briefgen.source.config import Config
from briefgen.verify.check import LoadedSource

WEB_CSS = "briefgen.css"
PRINT_CSS = "print.css"
_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}


def generator() -> str:
    """Return ``briefgen <version>`` for the generator meta tag."""
    try:
        from briefgen import __version__ as version
    except ImportError:
        try:
            version = importlib.metadata.version("briefgen")
        except importlib.metadata.PackageNotFoundError:
            version = "unknown"
    return f"briefgen {version}"


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept for the life of the process, keyed by name and source checksum.

    Every build makes a new Renderer; without this, the preview server recompiled every
    template on each save. An edited template has a new checksum, so it is compiled afresh.
    """

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill the bucket from memory, if this template was compiled before."""
        if bucket.key in self._store:
            bucket.bytecode_from_string(self._store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Remember a freshly compiled template."""
        self._store[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = _MemoryBytecodeCache()


class Renderer:
    """Renders briefings and the index from templates along one search path."""

    def __init__(self, root: Path, config: Config) -> None:
        self.root = root
        self.config = config
        candidates = [root / "templates", builtin_templates()]
        unique = {p.resolve(): p for p in candidates if p.is_dir()}
        self.search_path: list[Path] = list(unique.values())
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(self.search_path),
            undefined=jinja2.StrictUndefined,
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=_BYTECODE,
        )
        self.env.filters.update(_filters(config))
        self.logo_name = self._logo_name()
        self.env.globals.update(config=config, generator=generator(), logo=self.logo_name)
        self.env.globals["jsonld"] = jsonld_script  # schema.org data of a briefing page
        self.env.globals["spoken_charts"] = spoken_charts

    def briefing_page(self, source: LoadedSource, meta: BriefingMeta) -> str:
        """Render a briefing's web page, each quote's verification linked to its words."""
        return self.render("briefing.html", checked_context(source, meta), for_print=False)

    def book_page(self, book: Any, chapters: dict[str, tuple[LoadedSource, BriefingMeta]]) -> str:
        """Render a briefing book's web page: its cover memo and links to its chapters."""
        context = {"book": book.book, "name": book.name, "parts": book.parts, "chapters": chapters}
        return self.render("book.html", context, for_print=False)

    def briefing_print(self, source: LoadedSource, meta: BriefingMeta) -> str:
        """Render the self-contained HTML that WeasyPrint turns into the full brief's PDF."""
        return self.print_page("print.html", checked_context(source, meta))

    def memo_page(self, source: LoadedSource, meta: BriefingMeta) -> str:
        """Render the memo's print-friendly web page."""
        return self.render("memo.html", checked_context(source, meta), for_print=False)

    def memo_print(self, source: LoadedSource, meta: BriefingMeta) -> str:
        """Render the self-contained HTML of the one-page memo's PDF."""
        return self.print_page("memo_print.html", checked_context(source, meta))

    def print_page(self, name: str, context: dict[str, Any]) -> str:
        """Render a template for WeasyPrint: print CSS inlined, the logo as a data: URI."""
        css = Markup(self._asset_text(PRINT_CSS))
        return self.render(name, context, for_print=True, print_css=css, logo_uri=self.logo_uri())

    def index_page(
        self,
        entries: list[tuple[LoadedSource, BriefingMeta]],
        years: Sequence[tuple[str, int]] = (),
        total: int | None = None,
    ) -> str:
        """Render output/index.html: the newest briefings, and the years of the archive."""
        context = {"entries": _newest(entries), "years": list(years), "total": total}
        return self.render("index.html", context, for_print=False)

    def archive_page(
        self,
        year: str,
        entries: list[tuple[LoadedSource, BriefingMeta]],
        years: Sequence[tuple[str, int]],
    ) -> str:
        """Render output/archive/<year>.html: a year's briefings, newest first."""
        context = {"year": year, "entries": _newest(entries), "years": list(years)}
        return self.render("archive.html", context, for_print=False)

    def assets(self) -> dict[str, bytes]:
        """Return the files for output/assets/: the stylesheet and the logo, if any."""
        files = {WEB_CSS: _read(self._asset_path(WEB_CSS))}
        logo = self.config.logo_path(self.root)
        if logo is not None and self.logo_name is not None:
            files[self.logo_name] = _read(logo)
        return files

    def template_files(self) -> list[Path]:
        """Return every file on the search path that can affect output, and the logo."""
        files = [
            path
            for folder in self.search_path
            for path in sorted(folder.rglob("*"))
            if path.is_file() and not _hidden(path.relative_to(folder))
        ]
        logo = self.config.logo_path(self.root)
        return files + ([logo] if logo is not None and logo.is_file() else [])

    def render(self, name: str, context: dict[str, Any], **extra: Any) -> str:
        """Render a template, turning every Jinja problem into a TemplateError."""
        try:
            return self.env.get_template(name).render(**context, **extra)
        except jinja2.TemplateNotFound as exc:
            searched = ", ".join(str(p) for p in self.search_path)
            raise TemplateError(f"template '{exc.name}' not found (searched {searched})") from None
        except jinja2.TemplateSyntaxError as exc:
            where = f"{exc.filename or exc.name}:{exc.lineno}"
            raise TemplateError(f"{where}: template syntax error: {exc.message}") from None
        except jinja2.TemplateError as exc:
            raise TemplateError(f"{_template_line(exc, name)}: {exc.message}") from None

    def _asset_path(self, name: str) -> Path:
        """Find an asset along the search path."""
        for folder in self.search_path:
            if (folder / "assets" / name).is_file():
                return folder / "assets" / name
        searched = ", ".join(str(p / "assets") for p in self.search_path)
        raise TemplateError(f"asset '{name}' not found (searched {searched})")

    def _asset_text(self, name: str) -> str:
        """Read a stylesheet that is inlined into a <style> element."""
        text = _read(self._asset_path(name)).decode("utf-8", errors="replace")
        if "</style" in text.lower():
            raise TemplateError(f"asset '{name}' must not contain '</style'")
        return text

    def _logo_name(self) -> str | None:
        """Return the logo's file name under assets/, if a logo is configured."""
        logo = self.config.logo_path(self.root)
        return f"logo{logo.suffix.lower()}" if logo is not None else None

    def logo_uri(self) -> str | None:
        """Return the logo as a data: URI for the self-contained print HTML."""
        logo = self.config.logo_path(self.root)
        if logo is None:
            return None
        encoded = base64.b64encode(_read(logo)).decode("ascii")
        return f"data:{_MIME[logo.suffix.lower()]};base64,{encoded}"

    def asset(self, name: str) -> bytes:
        """Return an asset found along the search path (templates/assets/<name>)."""
        return _read(self._asset_path(name))

    def transcript_page(self, source: LoadedSource, meta: BriefingMeta) -> str:
        """Render output/<slug>/transcript.html: every turn, the quoted words marked."""

        context = briefing_context(source, meta) | transcript_context(source, for_print=False)
        return self.render("transcript.html", context, for_print=False)

    def transcript_print(self, source: LoadedSource, meta: BriefingMeta) -> str:
        """Render the print HTML of the transcript PDF."""

        context = briefing_context(source, meta) | transcript_context(source, for_print=True)
        return self.print_page("transcript_print.html", context)

    def evidence_pages(self, source: LoadedSource, meta: BriefingMeta) -> dict[str, str]:
        """Render each source text as sources/<id>.html (by path in the briefing's folder)."""

        pages = {}
        for evidence in evidence_texts(source):
            context = briefing_context(source, meta) | evidence_context(source, evidence)
            pages[evidence.href] = self.render("evidence.html", context, for_print=False)
        return pages


def checked_context(source: LoadedSource, meta: BriefingMeta) -> dict[str, Any]:
    """Return a briefing's context with each quote's verification and the evidence pages."""
    return briefing_context(source, meta) | check_context(source)


def _read(path: Path) -> bytes:
    """Read an asset, turning OS errors into a RenderError."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise RenderError(f"cannot read {path}: {exc.strerror or exc}") from None


def _hidden(relative: Path) -> bool:
    """Tell whether a path under a template folder is a dotfile or a cache."""
    return any(part.startswith(".") or part == "__pycache__" for part in relative.parts)


def _filters(config: Config) -> dict[str, Any]:
    """Return the filters templates use; author text goes through Markdown, never Jinja."""
    return {
        "md": markdown.markdown_to_html,
        "md_inline": markdown.markdown_inline,
        "plain": markdown.plain_text,
        "shorten": markdown.shorten,
        "first_sentence": markdown.first_sentence,
        "date": config.format_date,
        "native_lang": native_lang,
        "domain": lambda url: urllib.parse.urlsplit(url).hostname or url,
    }


def _template_line(exc: BaseException, name: str) -> str:
    """Return ``file:line`` of the template frame where a render failed."""
    frames = [
        f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".css"))
    ]
    if not frames:
        return f"template '{name}'"
    return f"{frames[-1].filename}:{frames[-1].lineno}"


def _newest(
    entries: list[tuple[LoadedSource, BriefingMeta]],
) -> list[tuple[LoadedSource, BriefingMeta]]:
    """Order briefings as the site lists them: by date and file name, newest first."""
    return sorted(entries, key=lambda e: (e[0].briefing.event.date, e[0].slug), reverse=True)
