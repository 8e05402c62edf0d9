"""The values an import leaves for the staffer to replace, which ``check --strict`` refuses."""

from __future__ import annotations

TITLE_TO_CONFIRM = "Title to confirm"
AFFILIATION_TO_CONFIRM = "Affiliation to confirm"
SPEAKER_TO_IDENTIFY = "Speaker to identify"
HOST_TO_CONFIRM = "Host to confirm"
LOCATION_TO_CONFIRM = "Location to confirm"
PLACEHOLDERS = frozenset(
    {
        TITLE_TO_CONFIRM,
        AFFILIATION_TO_CONFIRM,
        SPEAKER_TO_IDENTIFY,
        HOST_TO_CONFIRM,
        LOCATION_TO_CONFIRM,
    }
)
