"""The command line: parse options, call one library function, map errors to exit codes."""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, suppress
from pathlib import Path
from typing import Any, TypeVar

import click

from briefgen import __version__
from briefgen.errors import BriefgenError, Diagnostic, SourceError, UsageError, diagnostics_json

EXIT_PROBLEMS = 1
EXIT_USAGE = 2
_PATHS = click.Path(exists=True, path_type=Path)
F = TypeVar("F", bound=Callable[..., Any])


def _echo_diagnostics(diagnostics: list[Diagnostic], fmt: str = "text") -> None:
    """Print diagnostics one per line (or as JSON) on standard output."""
    if fmt == "json":
        click.echo(diagnostics_json(diagnostics))
        return
    for diagnostic in diagnostics:
        click.echo(diagnostic.format())


@contextmanager
def _reported() -> Iterator[None]:
    """Turn library errors into messages and exit codes; never a traceback for bad input."""
    try:
        yield
    except SourceError as exc:
        _echo_diagnostics(exc.diagnostics)
        sys.exit(EXIT_PROBLEMS)
    except UsageError as exc:
        click.echo(f"briefgen: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except BriefgenError as exc:
        click.echo(f"briefgen: error: {exc}", err=True)
        sys.exit(EXIT_PROBLEMS)


def _default_paths(paths: tuple[Path, ...]) -> list[Path]:
    """Use ``sources/`` when no path is given; a missing one is a usage error."""
    if paths:
        return list(paths)
    if not Path("sources").is_dir():
        raise click.UsageError("no PATH given and there is no sources/ folder here")
    return [Path("sources")]


def _terminated(signum: int, frame: object) -> None:
    """Stop on SIGTERM as on Ctrl-C: every command then ends its workers and removes its files."""
    raise KeyboardInterrupt


def run() -> None:
    """Run the command line, then end the process without tearing the interpreter down.

    By then every command has ended what it started (PDF workers, Pagefind runs,
    temporary folders), and its output is flushed here. Skipping the teardown of every
    module and object saves 20-30 ms, which ``check`` on each save notices (mypy does
    the same). Tests call ``main``, which returns as usual.
    """
    code: object = 0
    signal.signal(signal.SIGTERM, _terminated)
    try:
        main(prog_name="briefgen")
    except SystemExit as exc:
        code = exc.code
    if code is not None and not isinstance(code, int):
        click.echo(code, err=True)  # as Python reports an exit that is not a number
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):  # a closed pipe: nothing left to tell
            stream.flush()
    logging.shutdown()
    os._exit(code or 0)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefgen")
@click.option("-v", "--verbose", is_flag=True, help="Log what briefgen is doing.")
def main(verbose: bool) -> None:
    """Turn curated YAML about a seminar, panel or hearing into briefing notes."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="briefgen: %(message)s"
    )


def _output_format(help_text: str) -> Callable[[F], F]:
    """Return the ``--format text|json`` option of a command that reports to people or tools."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help=help_text,
    )


@main.command()
@click.argument("paths", nargs=-1, type=_PATHS)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@_output_format("Diagnostics as compiler-style lines or as JSON.")
def check(paths: tuple[Path, ...], strict: bool, fmt: str) -> None:
    """Validate sources and report every problem with its file:line:column."""
    from briefgen.paths import source_files
    from briefgen.verify.check import check_workspace

    files = source_files(_default_paths(paths))
    report = check_workspace(files, strict=strict)
    _echo_diagnostics(report.diagnostics, fmt)
    if fmt == "text":
        errors, warnings = len(report.errors), len(report.diagnostics) - len(report.errors)
        click.echo(
            f"checked {_plural(len(files), 'source')}: "
            f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}",
            err=True,
        )
    sys.exit(EXIT_PROBLEMS if report.errors else 0)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--since", "rev", metavar="REV", help="Compare the working copy with git revision REV."
)
@_output_format("Plain text for an email, or JSON for tools.")
def diff(paths: tuple[Path, ...], rev: str | None, fmt: str) -> None:
    """Say what changed in meaning between two versions of a source (exit 1 if anything did)."""
    from briefgen import diff as semantic
    from briefgen.paths import source_files

    with _reported():
        if rev is None:
            if len(paths) != 2:
                raise UsageError("give two files (OLD NEW), or --since REV [PATH ...]")
            results = [(paths[1], semantic.diff_files(paths[0], paths[1]))]
        else:
            files = source_files(list(paths) or _default_paths(()))
            results = semantic.diff_since(rev, files)
        _echo_changes(results, fmt)
    sys.exit(EXIT_PROBLEMS if any(changes for _, changes in results) else 0)


def _echo_changes(results: list[tuple[Path, Any]], fmt: str) -> None:
    """Print each file's changes as text paragraphs or one JSON document."""
    from briefgen import diff as semantic

    if fmt == "json":
        data = {str(path): json.loads(semantic.as_json(changes)) for path, changes in results}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo("\n\n".join(semantic.format_text(c, title=str(p)) for p, c in results))


def _plural(count: int, noun: str) -> str:
    """Return '1 source' / '2 sources'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


_OUTPUT = click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: output/ in the workspace).",
)

_FOLDER = click.option(
    "--dir",
    "folder",
    type=click.Path(path_type=Path),
    default=Path("sources"),
    show_default=True,
    help="Folder to write the new source into.",
)


@main.command()
@click.argument("paths", nargs=-1, type=_PATHS)
@_OUTPUT
@click.option("--pdf/--no-pdf", default=None, help="Build PDFs too (default: from briefgen.yaml).")
@click.option(
    "--docx/--no-docx", default=None, help="Write Word files too (default: from briefgen.yaml)."
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), help="PDFs rendered at once (default: CPUs)."
)
@click.option(
    "--since", metavar="REV", help="List changes since git revision REV in each briefing."
)
@click.option("--force", is_flag=True, help="Rebuild everything, even what is up to date.")
@click.option("--draft", is_flag=True, help="Show the next revision but record none (previews).")
def build(paths: tuple[Path, ...], output: Path | None, jobs: int | None, **options: Any) -> None:
    """Render each source into a briefing: a web page and a PDF (skipping what is unchanged)."""
    from briefgen.pdf.pool import PdfPool

    # Loading WeasyPrint is a PDF build's longest wait: start a worker on it before the
    # build's own imports. The build ends the pool, unused if no PDF turns out to be needed.
    pool = PdfPool(0)
    with closing(pool):  # the build closes it too; this is for an interrupt before the build
        pool.grow(0 if options["pdf"] is False else 1)
        from briefgen.build.pipeline import build as run_build
        from briefgen.build.progress import reporter_for

        reporter = reporter_for(sys.stderr)
        try:
            with _reported():
                result = run_build(
                    _default_paths(paths),
                    output,
                    reporter=reporter,
                    pool=pool,
                    workers=jobs,
                    **options,
                )
            _echo_diagnostics(result.warnings)
        finally:  # also when the build failed: how many briefings it failed on
            if reporter.summary is not None:
                click.echo(reporter.summary.line(), err=True)


@main.command()
@click.argument("paths", nargs=-1, type=_PATHS)
@click.option(
    "-p",
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0 picks a free one).",
)
@_OUTPUT
@click.option("--pdf", is_flag=True, help="Rebuild PDFs too, in the background, once edits pause.")
def serve(paths: tuple[Path, ...], port: int, output: Path | None, pdf: bool) -> None:
    """Build, serve on 127.0.0.1 and rebuild on every edit; open pages reload themselves."""
    from briefgen.preview.server import Preview

    with _reported():
        preview = Preview(
            _default_paths(paths),
            port=port,
            output=output,
            pdf=pdf,
            report=lambda outcome: click.echo(outcome.text()),
        )
        preview.run(lambda url: click.echo(f"Serving {url} — Ctrl-C to stop"))


@main.command()
@click.argument("slug")
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("sources"),
    show_default=True,
    help="Folder holding the sources.",
)
@_OUTPUT
@click.option(
    "--eml",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a multipart e-mail (text and HTML) a mail client opens.",
)
def email(slug: str, folder: Path, output: Path | None, eml: Path | None) -> None:
    """Print a plain-text summary of SLUG to paste into a message (never sends anything)."""
    from briefgen.build.summary import email_summary

    with _reported():
        text, message = email_summary(slug, folder, output)
        if eml is not None:
            eml.write_bytes(message)
        click.echo(text, nl=False)


@main.command()
@click.option("--people", is_flag=True, help="The schema of people.yaml instead.")
def schema(people: bool) -> None:
    """Print the JSON Schema of a source file, or of people.yaml (for editors and CI)."""
    from briefgen.source import model, registry

    found = registry.json_schema() if people else model.json_schema()
    click.echo(json.dumps(found, indent=2, ensure_ascii=False))


@main.command()
@click.argument("slug")
@_FOLDER
def new(slug: str, folder: Path) -> None:
    """Write sources/SLUG.yaml, a commented skeleton to fill in."""
    from briefgen.source.skeleton import write_skeleton

    with _reported():
        path = write_skeleton(slug, folder)
        click.echo(f"wrote {path}; fill it in, then run: briefgen check {path}")


_FILE = click.Path(dir_okay=False, path_type=Path)
_TARGET = click.option("-o", "--output", "target", type=_FILE, help="File (default: stdout).")


@main.group()
def export() -> None:
    """Write what the sources hold in formats other tools read."""


@export.command("akn")
@click.argument("slug")
@click.option("--dir", "folder", type=_PATHS, default=Path("sources"), help="Folder of sources.")
@_TARGET
def export_akn(slug: str, folder: Path, target: Path | None) -> None:
    """Write the transcript of sources/SLUG.yaml as an Akoma Ntoso debate (XML)."""
    from briefgen.export import akn_file, write_export

    with _reported():
        _wrote(write_export(akn_file(folder / f"{slug}.yaml"), target))


@export.command("csl")
@click.argument("paths", nargs=-1, type=_PATHS)
@_TARGET
def export_csl(paths: tuple[Path, ...], target: Path | None) -> None:
    """Write every source the briefings cite as CSL-JSON, for reference managers."""
    from briefgen.export import csl_file, write_export

    with _reported():
        _wrote(write_export(csl_file(_default_paths(paths)), target))


def _wrote(target: Path | None) -> None:
    """Say where an export went, if it went to a file."""
    if target is not None:
        click.echo(f"wrote {target}", err=True)


@main.group()
def people() -> None:
    """The workspace's people registry (people.yaml)."""


@people.command("import")
@click.argument("paths", nargs=-1, type=_PATHS)
def people_import(paths: tuple[Path, ...]) -> None:
    """Write a first people.yaml from the sources' speakers (never over an existing one)."""
    from briefgen.verify.check import import_people

    with _reported():
        path, count, sources = import_people(_default_paths(paths))
        click.echo(
            f"wrote {path}: {count} {'person' if count == 1 else 'people'} from "
            f"{_plural(sources, 'source')}; correct the membership dates, then run: briefgen check"
        )


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--slug", help="Name of the new source (default: from the title or file name).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "text", "vtt", "srt"]),
    default="auto",
    show_default=True,
    help="Transcript format: plain text, WebVTT or SRT.",
)
@_FOLDER
def import_(file: Path, slug: str | None, fmt: str, folder: Path) -> None:
    """Turn a transcript (text, WebVTT, SRT) into a new source to curate."""
    from briefgen.importers import import_transcript, speaker_names
    from briefgen.source.skeleton import write_new_source

    with _reported():
        taken = speaker_names(folder) if folder.is_dir() else {}
        imported = import_transcript(file, fmt, slug, taken)
        path = write_new_source(folder, imported.slug, imported.yaml_text)
        turns, people = len(imported.data["transcript"]), len(imported.data["speakers"])
        click.echo(
            f"wrote {path}: {_plural(turns, 'turn')} by {_plural(people, 'speaker')}; "
            f"curate it, then run: briefgen check {path}"
        )


if __name__ == "__main__":  # pragma: no cover
    main()
