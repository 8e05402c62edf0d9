"""The commented YAML of a new source file: every text quoted or a block, no aliases."""

from __future__ import annotations

import re
from typing import Any

import yaml

from briefgen.importers.common import UNIDENTIFIED, squash
from briefgen.source.placeholders import (
    AFFILIATION_TO_CONFIRM,
    HOST_TO_CONFIRM,
    LOCATION_TO_CONFIRM,
    SPEAKER_TO_IDENTIFY,
    TITLE_TO_CONFIRM,
)

WIDTH = 80
# Texts longer than this (or with line breaks) are written as folded blocks.
FOLD_AT = 72
_STR = "tag:yaml.org,2002:str"
_PLACEHOLDERS = {
    f'"{TITLE_TO_CONFIRM}"': "the speaker's title as of the event",
    f'"{AFFILIATION_TO_CONFIRM}"': "the speaker's affiliation as of the event",
    f'"{UNIDENTIFIED.name}"': "who is speaking (the captions do not say)",
    f'"{SPEAKER_TO_IDENTIFY}"': "the speaker's title once identified",
    f'"{HOST_TO_CONFIRM}"': "the institution that hosted the event",
    f'"{LOCATION_TO_CONFIRM}"': "where the event took place",
}
_SECTIONS = {
    "event": "# The event. Check every value marked TODO.",
    "sides": (
        "# TODO: replace this placeholder with the sides the briefing compares\n"
        "# (id, name, summary), then give each speaker a `side:`."
    ),
    "speakers": (
        "# Everyone who spoke, from the participants list and the turn labels.\n"
        "# Check names, titles and affiliations; add each speaker's `side:`; add people\n"
        "# who were only referred to with `present: false`."
    ),
    "topics": "# TODO: the issues the sides take positions on: {id, title, description}.",
    "positions": (
        "# TODO: each side's position on each topic: {side, topic, stance, speaker,\n"
        "# sources: [transcript]}."
    ),
    "quotes": (
        "# TODO: verbatim quotes from the transcript: {speaker, text, topic,\n"
        '# source: transcript, locator: "00:12:34"}.'
    ),
    "sources": (
        "# Documents cited; the transcript itself is source `transcript`.\n"
        "# TODO: add `file:` with the transcript's path in the workspace so quotes can be verified."
    ),
    "transcript": "# The turns as imported; consecutive turns of one speaker are merged.",
}


_SECTION_NOTES = {
    "event": {"summary": "the bottom line up front (Markdown)"},
    "sides": {"summary": "what this side argues, in brief"},
}
# A line holding one whole value, so that a comment can follow it.
_COMPLETE = re.compile(
    r'^\s*(?:- )?(?P<key>\w+): (?P<value>"(?:[^"\\]|\\.)*"|[>|]-?|\d{4}-\d{2}-\d{2}|true|false)$'
)


# libyaml's emitter when present: the pure-Python one takes seconds on a long transcript.
_BaseDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):  # type: ignore[valid-type,misc]
    """Safe dumper that never writes anchors or aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        """Write every node in full."""
        return True


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    """Quote short texts; fold long ones (PyYAML falls back to quotes where it must)."""
    style = ">" if "\n" in value or len(value) > FOLD_AT else '"'
    return dumper.represent_scalar(_STR, value, style=style)


def _mapping(dumper: yaml.SafeDumper, value: dict[str, Any]) -> yaml.MappingNode:
    """Write a mapping with plain keys (ours: field names) and values as usual."""
    pairs = [
        (yaml.ScalarNode(_STR, key), dumper.represent_data(item)) for key, item in value.items()
    ]
    return yaml.MappingNode("tag:yaml.org,2002:map", pairs, flow_style=False)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(dict, _mapping)


def render_yaml(data: dict[str, Any], notes: dict[str, str], source_name: str) -> str:
    """Return the YAML of a source skeleton, with guidance and TODO comments."""
    parts = [_preamble(source_name)]
    for key, value in data.items():
        block = yaml.dump(
            {key: value}, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=WIDTH
        )
        section = _SECTIONS.get(key)
        annotated = _annotate(
            block, {**_SECTION_NOTES.get(key, {}), **(notes if key == "event" else {})}
        )
        parts.append((f"{section}\n" if section else "") + annotated)
    return "\n".join(parts)


def _preamble(source_name: str) -> str:
    """Return the comment that opens the file and says what to curate next."""
    name = squash(re.sub(r"[^\w .,()\-]", "?", source_name)) or "a transcript"
    return (
        f"# briefgen source skeleton, imported from {name}.\n"
        "# Next steps:\n"
        "#   1. Check the event and speakers, and every value marked TODO.\n"
        "#   2. Define the sides and give each speaker a side.\n"
        "#   3. Add topics, each side's positions, and verbatim quotes with their sources.\n"
        "#   4. Write the bottom line up front in event.summary.\n"
        "#   5. Run `briefgen check` until it reports no problems.\n"
    )


def _annotate(block: str, notes: dict[str, str]) -> str:
    """Add a TODO comment to each placeholder value and each value named in notes."""
    lines = []
    for line in block.splitlines():
        match = _COMPLETE.match(line)
        note = (notes.get(match["key"]) or _PLACEHOLDERS.get(match["value"])) if match else None
        lines.append(f"{line}  # TODO: {note}" if note else line)
    return "\n".join(lines) + "\n"
