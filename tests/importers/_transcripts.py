"""Helpers for the transcript importer tests: fixture paths and views of a result."""

from __future__ import annotations

from pathlib import Path

from briefgen.importers import ImportedSource

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "transcripts"


def fixture(name: str) -> Path:
    """Return the path of a transcript fixture."""
    return FIXTURES / name


def turns_of(source: ImportedSource) -> list[tuple[str, str]]:
    """Return (speaker id, text) for each turn."""
    return [(t["speaker"], t["text"]) for t in source.data["transcript"]]


def speaker(source: ImportedSource, speaker_id: str) -> dict:
    """Return one speaker entry by id."""
    return next(s for s in source.data["speakers"] if s["id"] == speaker_id)
