"""Fixtures for the transcript importer tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.importers import ImportedSource, import_transcript


@pytest.fixture
def write(tmp_path: Path):
    """Write a transcript into tmp_path and import it."""

    def _write(name: str, text: str, **options: str) -> ImportedSource:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return import_transcript(path, **options)

    return _write
