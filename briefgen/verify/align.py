"""Placing a quote in a passage with the fewest word edits, exactly or as a near miss."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from briefgen.verify.evidence import Passage, speakers_of
from briefgen.verify.text import Element, QuoteGap, QuoteWord, Text, analyse, lower_first, same_word

SHORT_QUOTE_WORDS = 3  # quotes this short must match exactly, bar one near-identical word


@dataclass(frozen=True)
class Op:
    """One step of an alignment: eq, sub, del (quote-only word), ins (source-only word), gap."""

    kind: str
    quote: tuple[int, int] | None
    source: tuple[int, int]  # token range [start, end) in the passage


@dataclass(frozen=True)
class Alignment:
    """The best placement of a quote in one passage."""

    passage: Passage
    edits: int
    start: int
    end: int
    ops: tuple[Op, ...]


def _costs(word: QuoteWord, text: Text) -> list[int]:
    """Return 0 for each source token the word matches, else 1."""
    if word.fold:
        key = lower_first(word.word)
        return [0 if t == key else 1 for t in text.folded]
    return [0 if t == word.word else 1 for t in text.words]


def _next_row(element: Element, prev: list[int], text: Text) -> list[int]:
    """Extend the alignment table by one quote element (word edits cost 1, gaps 0)."""
    if isinstance(element, QuoteGap):
        if element.most is None:
            return list(itertools.accumulate(prev, min))
        return [min(prev[max(0, j - element.most) : j + 1]) for j in range(len(prev))]
    row = [prev[0] + 1]
    left = row[0]
    for j, cost in enumerate(_costs(element, text)):
        left = min(prev[j] + cost, prev[j + 1] + 1, left + 1)
        row.append(left)
    return row


def _table(elements: Sequence[Element], text: Text, bound: int) -> list[list[int]] | None:
    """Fill the table of least word edits placing the quote anywhere; None beyond bound."""
    rows = [[0] * (len(text.words) + 1)]
    for element in elements:
        rows.append(_next_row(element, rows[-1], text))
        if min(rows[-1]) > bound:
            return None
    return rows


def _gap_step(gap: QuoteGap, prev: list[int], row: list[int], j: int) -> int:
    """Return where the source words a gap absorbed begin (as few as possible)."""
    lowest = 0 if gap.most is None else max(0, j - gap.most)
    return next(k for k in range(j, lowest - 1, -1) if prev[k] == row[j])


def _word_steps(
    word: QuoteWord, text: Text, prev: list[int], row: list[int], j: int
) -> tuple[int, list[Op]]:
    """Trace one quote word back; return the column before it and its ops (reversed)."""
    ops: list[Op] = []
    while True:
        cost = 0 if j > 0 and same_word(word, text.words[j - 1]) else 1
        if j > 0 and cost == 0 and row[j] == prev[j - 1]:
            return j - 1, [*ops, Op("eq", word.span, (j - 1, j))]
        # On ties an extra source word beats a dropped or changed quote word: it keeps matches.
        if j > 0 and row[j] == row[j - 1] + 1:
            ops.append(Op("ins", None, (j - 1, j)))
            j -= 1
        elif row[j] == prev[j] + 1:
            return j, [*ops, Op("del", word.span, (j, j))]
        else:
            return j - 1, [*ops, Op("sub", word.span, (j - 1, j))]


def _backtrace(
    elements: Sequence[Element], text: Text, rows: list[list[int]], end: int
) -> tuple[int, tuple[Op, ...]]:
    """Return the start token and the ops of the alignment ending at `end`."""
    ops: list[Op] = []
    j = end
    for i in range(len(elements), 0, -1):
        element, prev, row = elements[i - 1], rows[i - 1], rows[i]
        if isinstance(element, QuoteGap):
            k = _gap_step(element, prev, row, j)
            ops.append(Op("gap", element.span, (k, j)))
            j = k
        else:
            j, steps = _word_steps(element, text, prev, row, j)
            ops.extend(steps)
    return j, tuple(reversed(ops))


def _align(elements: Sequence[Element], passage: Passage, bound: int) -> Alignment | None:
    """Place the quote in a passage with at most `bound` word edits."""
    text = analyse(passage.text)
    rows = _table(elements, text, bound)
    if rows is None:
        return None
    last = rows[-1]
    # The latest of the cheapest ends keeps trailing quote words matched rather than dropped.
    edits = min(last)
    end = max(j for j, cost in enumerate(last) if cost == edits)
    start, ops = _backtrace(elements, text, rows, end)
    for op in reversed(ops):
        if op.kind != "gap":
            break
        end = op.source[0]  # a trailing elision is no part of the closest wording
    return Alignment(passage, edits, start, end, ops)


def occurrences(elements: Sequence[Element], passages: Sequence[Passage]) -> list[Passage]:
    """Return the passages the quote occurs in exactly."""
    wanted = {e.word.lower() for e in elements if isinstance(e, QuoteWord)}
    return [
        p
        for p in passages
        if wanted <= analyse(p.text).vocabulary and _table(elements, analyse(p.text), 0)
    ]


def _candidates(
    words: Sequence[QuoteWord], passages: Sequence[Passage], limit: int = 8
) -> list[Passage]:
    """Return the passages sharing the most of the quote's words (at least half)."""
    wanted = {w.word.lower() for w in words}
    scored = []
    for index, passage in enumerate(passages):
        share = len(wanted & analyse(passage.text).vocabulary) / len(wanted)
        if share >= 0.5:
            scored.append((-share, index))
    return [passages[i] for _, i in sorted(scored)[:limit]]


def _short_alignment(words: Sequence[QuoteWord], passage: Passage) -> Alignment | None:
    """Find a short quote with exactly one near-identical word differing (a typo)."""
    text = analyse(passage.text)
    n = len(words)
    for start in range(len(text.words) - n + 1):
        window = text.words[start : start + n]
        differ = [k for k in range(n) if not same_word(words[k], window[k])]
        if len(differ) == 1 and fuzz.ratio(words[differ[0]].word, window[differ[0]]) >= 75:
            ops = tuple(
                Op("sub" if k in differ else "eq", w.span, (start + k, start + k + 1))
                for k, w in enumerate(words)
            )
            return Alignment(passage, 1, start, start + n, ops)
    return None


def _long_alignment(elements: Sequence[Element], n: int, passage: Passage) -> Alignment | None:
    """Place a long quote within a few word edits, keeping three quarters of its words."""
    alignment = _align(elements, passage, max(2, int(0.15 * n)))
    if alignment is None or 100 * (n - alignment.edits) / n < 75:
        return None
    return alignment


def closest_alignment(
    elements: Sequence[Element], speaker: str, passages: Sequence[Passage]
) -> Alignment | None:
    """Return the best near miss: fewest edits, then the quoted speaker's, then earliest."""
    words = [e for e in elements if isinstance(e, QuoteWord)]
    short = len(words) <= SHORT_QUOTE_WORDS
    if len(words) < 2 or (short and len(words) != len(elements)):
        return None
    best: Alignment | None = None
    for passage in _candidates(words, passages):
        found = (
            _short_alignment(words, passage)
            if short
            else _long_alignment(elements, len(words), passage)
        )
        if found and (best is None or _rank(found, speaker) < _rank(best, speaker)):
            best = found
    return best


def _rank(alignment: Alignment, speaker: str) -> tuple[int, bool]:
    """Order near misses: fewer edits first, then the quoted speaker's own words."""
    return alignment.edits, speaker not in speakers_of(alignment.passage)
