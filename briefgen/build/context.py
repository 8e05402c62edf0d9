"""What a build shares: the workspace it builds, how it was asked to build, what it did."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from briefgen import __version__
from briefgen.errors import Diagnostic, SourceError
from briefgen.paths import CONFIG_NAME, builtin_templates
from briefgen.pdf.jobs import source_date
from briefgen.render.environment import Renderer
from briefgen.source.config import Config, load_config
from briefgen.source.registry import PEOPLE_FILE, registry_of
from briefgen.writer import OutputWriter

OUTPUT_DIR = "output"
# The libraries whose version shapes the output: a new one makes every briefing anew.
SHAPING = ("jinja2", "markdown", "nh3", "weasyprint")


class OptionValues(TypedDict, total=False):
    """The keyword options ``build()`` takes: the fields of ``Options``."""

    pdf: bool | None
    docx: bool | None
    strict: bool
    workers: int | None
    pdf_timeout: float | None
    since: str | None
    force: bool
    draft: bool


@dataclass(frozen=True)
class Options:
    """How to build, beyond where from and where to.

    ``pdf`` None takes the configuration's choice; a ``draft`` build (the preview's) shows
    the revision a real build would make but records none; ``since`` lists changes since a
    git revision instead of the last recorded one; ``force`` rebuilds what is current.
    """

    pdf: bool | None = None
    docx: bool | None = None
    strict: bool = False
    workers: int | None = None
    pdf_timeout: float | None = None  # None: the configuration's pdf_limits.seconds
    since: str | None = None
    force: bool = False
    draft: bool = False

    @property
    def fresh(self) -> bool:
        """Tell whether every output is made anew, whatever the manifest says."""
        return self.force or self.since is not None

    @property
    def key_note(self) -> str | None:
        """Return what besides the inputs distinguishes this build's outputs (see input_key)."""
        note = (self.since or "") + ("|draft" if self.draft else "")
        return note or None


@dataclass(frozen=True)
class Workspace:
    """Everything a build shares across briefings: where, with what templates, and when."""

    root: Path
    files: tuple[Path, ...]
    config: Config
    renderer: Renderer
    out_dir: Path
    when: dt.datetime
    pinned: dt.datetime | None
    pdf: bool
    template_digest: bytes
    docx: bool = False

    def writer(self) -> OutputWriter:
        """Return a writer into the output, stamping files with the pinned date if any."""
        return OutputWriter(self.out_dir, mtime=self.pinned.timestamp() if self.pinned else None)

    def pdf_limits(self, timeout: float | None) -> tuple[float, int]:
        """Return one PDF's time limit (``timeout`` or the configured) and memory limit (bytes)."""
        limits = self.config.pdf_limits
        return timeout or float(limits.seconds), limits.memory_mb * 1024 * 1024


@dataclass(frozen=True)
class BuildResult:
    """What a build did: the briefings built or left unchanged, the files written, warnings."""

    output: Path
    built: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    elapsed: float = 0.0
    unchanged: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # briefings whose source is gone


def open_workspace(
    root: Path, files: Sequence[Path], output: Path | None, options: Options
) -> Workspace:
    """Gather what every briefing of this build shares."""
    config = load_config(root)
    registry = registry_of(root)
    if registry.broken:  # the speakers who name a person could not be resolved
        raise SourceError(list(registry.diagnostics))
    renderer = Renderer(root, config)
    pinned = source_date()
    return Workspace(
        root=root,
        files=tuple(files),
        config=config,
        renderer=renderer,
        out_dir=(output or root / OUTPUT_DIR).resolve(),
        when=pinned or dt.datetime.now().astimezone().replace(microsecond=0),
        pinned=pinned,
        pdf=config.outputs.pdf if options.pdf is None else options.pdf,
        template_digest=template_digest(root, renderer),
        docx=config.outputs.docx if options.docx is None else options.docx,
    )


def add_chunk(digest: hashlib._Hash, label: str, data: bytes) -> None:
    """Add a labelled, length-framed chunk to a digest (so chunks cannot run together)."""
    digest.update(f"{label}\0{len(data)}\0".encode())
    digest.update(data)


def template_digest(root: Path, renderer: Renderer) -> bytes:
    """Hash what every briefing depends on: templates, logo, configuration, versions.

    The versions are briefgen's and those of the libraries that shape its output (a new
    Markdown may convert a text differently, and converted texts are kept between builds).
    """
    digest = hashlib.sha256()
    for path in renderer.template_files():
        add_chunk(digest, f"template:{_label(path, root)}", path.read_bytes())
    config = root / CONFIG_NAME
    add_chunk(digest, "config", config.read_bytes() if config.is_file() else b"")
    people = root / PEOPLE_FILE  # speakers take names and titles from it
    add_chunk(digest, "people", people.read_bytes() if people.is_file() else b"")
    add_chunk(digest, "version", __version__.encode())
    for name in SHAPING:
        add_chunk(digest, f"version:{name}", library_version(name).encode())
    return digest.digest()


def library_version(distribution: str) -> str:
    """Return an installed distribution's version, or "" when it is not installed."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return ""


def _label(path: Path, root: Path) -> str:
    """Name a template file independently of where the workspace or briefgen lives."""
    for base in (root, builtin_templates().parent):
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return path.name
