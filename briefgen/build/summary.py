"""`briefgen email`: one briefing's summary, with the changes since its last revision."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from briefgen.build.context import OUTPUT_DIR
from briefgen.build.revisions import advance
from briefgen.errors import UsageError
from briefgen.mail import summary_message, summary_text
from briefgen.paths import find_root
from briefgen.source.config import load_config
from briefgen.verify.check import load_sources


def email_summary(slug: str, folder: Path, output: Path | None) -> tuple[str, bytes]:
    """Return a briefing's summary as text and as a .eml message; nothing is written or sent."""
    path = folder / f"{slug}.yaml"
    if not path.is_file():
        raise UsageError(f"no source '{slug}': {path} does not exist")
    (source,) = load_sources([path])
    root = find_root(path)
    config = load_config(root)
    # The revision the last build recorded, and what changed to reach it (read, not advanced).
    revision = advance((output or root / OUTPUT_DIR).resolve(), source, dt.date.today()).revision
    b = source.briefing
    return summary_text(b, revision, config, slug), summary_message(b, revision, config, slug)
