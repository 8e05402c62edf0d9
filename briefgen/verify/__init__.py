"""Quotes checked against their evidence (transcript turns or prose), and sources checked whole."""

from briefgen.verify.check import LoadedSource, Report, check_paths, load_source, load_sources
from briefgen.verify.quotes import Status, Verdict, verify_briefing

__all__ = [
    "LoadedSource",
    "Report",
    "Status",
    "Verdict",
    "check_paths",
    "load_source",
    "load_sources",
    "verify_briefing",
]
