"""The command line: parse options, call one library function, map errors to exit codes."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from . import __version__
from .errors import BriefgenError, Diagnostic, SourceError, UsageError, diagnostics_json

EXIT_PROBLEMS = 1
EXIT_USAGE = 2
_PATHS = click.Path(exists=True, path_type=Path)


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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefgen")
@click.option("-v", "--verbose", is_flag=True, help="Log what briefgen is doing.")
def main(verbose: bool) -> None:
    """Turn curated YAML about a seminar, panel or hearing into briefing notes."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="briefgen: %(message)s"
    )


@main.command()
@click.argument("paths", nargs=-1, type=_PATHS)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Diagnostics as compiler-style lines or as JSON.",
)
def check(paths: tuple[Path, ...], strict: bool, fmt: str) -> None:
    """Validate sources and report every problem with its file:line:column."""
    from .check import check_paths
    from .workspace import source_files

    files = source_files(_default_paths(paths))
    report = check_paths(files, strict=strict)
    _echo_diagnostics(report.diagnostics, fmt)
    if fmt == "text":
        errors, warnings = len(report.errors), len(report.diagnostics) - len(report.errors)
        click.echo(
            f"checked {_plural(len(files), 'source')}: "
            f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}",
            err=True,
        )
    sys.exit(EXIT_PROBLEMS if report.errors else 0)


def _plural(count: int, noun: str) -> str:
    """Return '1 source' / '2 sources'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


@main.command()
def schema() -> None:
    """Print the JSON Schema of a source file (for editors and CI)."""
    from .model import json_schema

    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


@main.command()
@click.argument("slug")
@click.option(
    "--dir",
    "folder",
    type=click.Path(path_type=Path),
    default=Path("sources"),
    show_default=True,
    help="Folder to write the new source into.",
)
def new(slug: str, folder: Path) -> None:
    """Write sources/SLUG.yaml, a commented skeleton to fill in."""
    from .skeleton import write_skeleton

    with _reported():
        path = write_skeleton(slug, folder)
        click.echo(f"wrote {path}; fill it in, then run: briefgen check {path}")


if __name__ == "__main__":  # pragma: no cover
    main()
