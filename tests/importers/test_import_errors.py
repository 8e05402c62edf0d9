"""Bad input: one clear TranscriptImportError naming the file, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from _transcripts import fixture

from briefgen.errors import BriefgenError, TranscriptImportError
from briefgen.importers import import_transcript


def _error(path: Path, **options: str) -> str:
    """Import a file that must fail; return the one-line message."""
    with pytest.raises(TranscriptImportError) as caught:
        import_transcript(path, **options)
    message = str(caught.value)
    assert isinstance(caught.value, BriefgenError)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return message


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("empty.txt", "the file is empty"),
        ("blank.txt", "the file is empty (nothing but blank space)"),
        ("binary.txt", "binary file, not a text transcript"),
        ("latin1.txt", "not UTF-8 text (byte 0xe9 at offset 16)"),
    ],
)
def test_unreadable_files(name: str, expected: str) -> None:
    assert _error(fixture(name)).endswith(f": {expected}")


def test_prose_without_turns_is_not_a_transcript() -> None:
    message = _error(fixture("prose.txt"))
    assert "no speaker turns found - not a transcript" in message


def test_unknown_format_name() -> None:
    message = _error(fixture("seminar.srt"), fmt="docx")
    assert "unknown transcript format 'docx'" in message
    assert "auto, text, vtt, srt" in message


def test_missing_file(tmp_path: Path) -> None:
    assert "cannot read the file" in _error(tmp_path / "nowhere.txt")


def test_invalid_slug() -> None:
    message = _error(fixture("seminar.srt"), slug="Bad Slug!")
    assert "invalid slug 'Bad Slug!'" in message


def test_forced_format_that_does_not_fit() -> None:
    assert "not a WebVTT file" in _error(fixture("heritage_allcaps.txt"), fmt="vtt")
    assert "not a valid SRT file" in _error(fixture("heritage_allcaps.txt"), fmt="srt")
    assert "no speaker turns found" in _error(fixture("seminar.vtt"), fmt="text")


def test_captions_without_text(tmp_path: Path) -> None:
    path = tmp_path / "silent.vtt"
    path.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<b></b>\n", encoding="utf-8")
    assert "no caption text found" in _error(path)


def test_malformed_vtt_timestamps(tmp_path: Path) -> None:
    path = tmp_path / "broken.vtt"
    path.write_text("WEBVTT\n\n00:00:99.000 --> 00:00:02.000\nHello\n", encoding="utf-8")
    assert "no caption text found" in _error(path)
