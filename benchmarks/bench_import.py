"""Importing hostile lines: every 50,000-character line of these shapes must import in < 1 s.

Run: python benchmarks/bench_import.py [--chars 50000]. Prints each shape's time, the
slowest, and PASS or MISS against the target of issue 14 (linear-time importers).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefgen.errors import TranscriptImportError
from briefgen.importers import import_transcript

TARGET_S = 1.0
VTT_HEAD = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n"
SRT_HEAD = "1\n00:00:01,000 --> 00:00:02,000\n"


def shapes(n: int) -> dict[str, str]:
    """Return each hostile shape as a whole file, its long line ``n`` characters long."""
    units = {
        "spaces": " ",
        "lt": "<",
        "brackets": "[",
        "parens": "(",
        "colons": ":",
        "label-colon": "A: ",
        "caption-marks": ">> ",
        "honorifics": "MR. ",
        "digits": "1",
        "dots": ".",
        "commas": "a, ",
        "dashes": "- ",
        "speaker-paren": "Speaker 1 (",
        "capital-words": "Ab ",
        "cjk": "\uae40",
        "brace-escape": "{\\",
        "amp": "&",
        "stars": "* ",
    }
    files = {}
    for name, unit in units.items():
        line = (unit * (n // len(unit) + 1))[:n]
        files[f"text/{name}"] = f"MR. ROE: Hello.\n\n{line}\n\nMR. ROE: {line}\n"
        files[f"vtt/{name}"] = f"{VTT_HEAD}Jane: {line}\n"
        files[f"srt/{name}"] = f"{SRT_HEAD}{line}\n"
    files["vtt/open-voice"] = VTT_HEAD + "<v" + " " * n + "\n"
    files["vtt/open-voice-name"] = VTT_HEAD + "<v Jane" + " x" * (n // 2) + "\n"
    return files


def main() -> None:
    """Import each shape and print its time."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chars", type=int, default=50_000)
    args = parser.parse_args()
    slowest = ("", 0.0)
    with tempfile.TemporaryDirectory() as folder:
        for name, text in shapes(args.chars).items():
            kind, shape = name.split("/")
            path = Path(folder) / f"{shape}.{ {'text': 'txt'}.get(kind, kind) }"
            path.write_text(text, encoding="utf-8")
            started = time.perf_counter()
            try:
                import_transcript(path)
                outcome = "imported"
            except TranscriptImportError as exc:
                outcome = f"refused: {str(exc).split(': ', 1)[-1][:50]}"
            elapsed = time.perf_counter() - started
            slowest = max(slowest, (name, elapsed), key=lambda item: item[1])
            print(f"{name:28} {elapsed:7.3f} s  {outcome}")
    verdict = "PASS" if slowest[1] < TARGET_S else "MISS"
    print(f"\nslowest: {slowest[0]} {slowest[1]:.3f} s (target < {TARGET_S:g} s): {verdict}")


if __name__ == "__main__":
    main()
