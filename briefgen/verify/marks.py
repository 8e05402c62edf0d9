"""Marking the words where a quote and the closest wording in its source differ."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from briefgen.verify.align import Alignment, Op
from briefgen.verify.text import Text

_MARK = re.compile(r"\[-.*?-\]|\{\+.*?\+\}|\x00")  # \x00: where the source lacks a word


def _blocks(ops: Sequence[Op]) -> list[list[Op]]:
    """Group consecutive differing ops into blocks."""
    groups = itertools.groupby(ops, key=lambda op: op.kind in ("sub", "del", "ins"))
    return [list(group) for differs, group in groups if differs]


def splice(text: str, edits: Sequence[tuple[int, int, str]]) -> str:
    """Replace each (start, end) span of text with its new wording."""
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _source_words(text: Text, block: Sequence[Op]) -> str:
    """Return the source words a block covers."""
    return " ".join(text.words[i] for op in block if op.kind != "del" for i in range(*op.source))


def quote_edits(norm: str, ops: Sequence[Op], text: Text, both: bool) -> list[tuple[int, int, str]]:
    """Mark the quote's differing words [-so-]; with `both`, add the source's {+so+}.

    Without `both`, a place where the source has words the quote lacks gets a \\x00 marker.
    """
    edits = []
    for block in _blocks(ops):
        spans = [op.quote for op in block if op.quote is not None]
        new = _source_words(text, block) if both else ""
        added = f"{{+{new}+}}" if new else ""
        if spans:
            start, end = spans[0][0], spans[-1][1]
            edits.append((start, end, f"[-{norm[start:end]}-]{added}"))
        else:
            where = _before(ops, block[0])
            mark = (f" {added}" if where else f"{added} ") if both else "\x00"
            edits.append((where, where, mark))
    return edits


def _before(ops: Sequence[Op], op: Op) -> int:
    """Return the end of the last quote span before an op (0 at the start)."""
    spans = [o.quote for o in ops[: ops.index(op)] if o.quote is not None]
    return spans[-1][1] if spans else 0


def source_edits(alignment: Alignment, text: Text) -> list[tuple[int, int, str]]:
    """Mark the source's differing words {+so+} (and \\x00 where it lacks the quote's)."""
    offset = text.spans[alignment.start][0]
    edits = []
    for block in _blocks(alignment.ops):
        tokens = [i for op in block if op.kind != "del" for i in range(*op.source)]
        if tokens:
            start, end = text.spans[tokens[0]][0], text.spans[tokens[-1]][1]
            edits.append((start - offset, end - offset, f"{{+{text.norm[start:end]}+}}"))
        else:
            after = block[0].source[0]  # the quote's extra words follow this many source words
            where = text.spans[after - 1][1] - offset if after > alignment.start else 0
            edits.append((where, where, "\x00"))
    return edits


def shorten(marked: str, context: int = 40) -> str:
    """Shorten a marked wording to its differences with some context either side."""
    marks = list(_MARK.finditer(marked))
    if not marks:
        return marked if len(marked) <= 2 * context else marked[: 2 * context] + "…"
    first, last = marks[0].start(), marks[-1].end()
    low, high = max(0, first - context), min(len(marked), last + context)
    if low > 0 and 0 <= (space := marked.find(" ", low)) < first:
        low = space + 1
    if high < len(marked) and (space := marked.rfind(" ", last, high)) != -1:
        high = space
    excerpt = ("…" if low else "") + marked[low:high] + ("…" if high < len(marked) else "")
    return excerpt.replace("\x00", "")
