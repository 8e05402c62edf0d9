"""What changed in meaning between two versions of a briefing source, in sentences and JSON."""

from briefgen.diff.changes import Change, Changes, as_json, format_text
from briefgen.diff.compare import diff_briefings, diff_files, diff_since, load_briefing_bytes

__all__ = [
    "Change",
    "Changes",
    "as_json",
    "diff_briefings",
    "diff_files",
    "diff_since",
    "format_text",
    "load_briefing_bytes",
]
