"""Any input either imports as a valid, round-tripping source or fails with one clear line."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.errors import TranscriptImportError
from briefgen.importers import import_transcript
from briefgen.source.model import Briefing

_PIECES = [
    "MR. KNAPPER:", "Marc Knapper:", "DR. SNYDER: ", "QUESTIONER:", "\n", "\n\n", "WEBVTT",
    "00:00:01.000 --> 00:00:02.000", "1\n00:00:01,000 --> 00:00:02,000\n", "<v Marc>", "</v>",
    "&amp;", "PARTICIPANTS:", "Moderator:", "MARC KNAPPER, Deputy, State", "(Applause)",
    "* * *", "(END)", "no", "1.10", "10:05:30", "\t", "\r\n", "\ufeff", "김소현:", "辰巳由紀：",
    "Wednesday, August 7, 2019", "2019-02-30", ":", "\u2028", "#", "'", '"', "\\", "Host: ",
    "The Heritage Foundation", "NOTE x", "ADM. (RET.) OKAFOR:", "- ", "\u2014", "é",
]  # fmt: skip
_TEXTS = st.lists(st.sampled_from(_PIECES) | st.text(max_size=12), max_size=30).map("".join)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=_TEXTS, fmt=st.sampled_from(["auto", "text", "vtt", "srt"]))
def test_import_never_crashes(tmp_path: Path, text: str, fmt: str) -> None:
    path = tmp_path / "fuzz.txt"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        source = import_transcript(path, fmt)
    except TranscriptImportError as exc:
        assert "\n" not in str(exc)
        assert str(exc).startswith(f"{path}: ")
        return
    assert yaml.safe_load(source.yaml_text) == source.data
    Briefing.model_validate(source.data)
