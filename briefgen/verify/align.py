"""Placing a quote in a passage with the fewest word edits, exactly or as a near miss.

Words compare loosely (case and apostrophes aside: captions drop both), so a case-only
difference is never a changed word. A quote is looked for only where its words are:
each passage indexes its words and pairs of words (``analyse``), the quote's pairs vote
for where it would start, and the alignment table is filled in a window around the
best-voted places. The cost grows with the evidence, not with quotes times evidence.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from briefgen.verify.evidence import Passage, speakers_of
from briefgen.verify.text import Element, QuoteGap, QuoteWord, Text, analyse, same_word, window

SHORT_QUOTE_WORDS = 3  # quotes this short must match exactly, bar one near-identical word
ELISION_REACH = 400  # the most source words an elision ("...") is looked for across
MAX_PLACES = 256  # places of a quote's rarest run a passage is searched at, at most
CANDIDATES = 8  # places (passage and start) a near miss is looked for at, best-voted first


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


@dataclass(frozen=True)
class Occurrence:
    """A passage the quote occurs in, word for word; ``exact`` unless only loosely."""

    passage: Passage
    exact: bool


def _costs(word: QuoteWord, text: Text) -> list[int]:
    """Return 0 for each source token the word matches (loosely), else 1."""
    key = word.loose
    return [0 if t == key else 1 for t in text.loose]


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
        cost = 0 if j > 0 and word.loose == text.loose[j - 1] else 1
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


def _align_in(
    elements: Sequence[Element], passage: Passage, span: tuple[int, int], bound: int
) -> Alignment | None:
    """Place the quote within tokens [start, end) of a passage, with at most `bound` edits."""
    base = max(0, span[0])
    text = window(analyse(passage.text), base, span[1])
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
    shifted = tuple(replace(op, source=(op.source[0] + base, op.source[1] + base)) for op in ops)
    return Alignment(passage, edits, start + base, end + base, shifted)


def _reach(elements: Sequence[Element]) -> int:
    """Return how many source words the quote can cover at most, gaps included."""
    reach = 0
    for element in elements:
        if isinstance(element, QuoteWord):
            reach += 1
        else:
            reach += ELISION_REACH if element.most is None else element.most
    return reach


def _starts(elements: Sequence[Element], text: Text) -> Counter[int]:
    """Vote for where the quote would start in a passage: one vote per pair of its words there."""
    votes: Counter[int] = Counter()
    offset = 0
    previous: QuoteWord | None = None
    for element in elements:
        if isinstance(element, QuoteGap):
            previous = None
            offset += 0 if element.most is None else element.most // 2
            continue
        if previous is not None:
            for place in text.pairs.get((previous.loose, element.loose), ()):
                votes[place - offset + 1] += 1
        previous = element
        offset += 1
    return votes


def _word_starts(words: Sequence[QuoteWord], text: Text) -> Counter[int]:
    """Vote for where a short quote would start: one vote per word of it there."""
    votes: Counter[int] = Counter()
    for n, word in enumerate(words):
        for place in text.places.get(word.loose, ()):
            votes[place - n] += 1
    return votes


def _segments(elements: Sequence[Element]) -> list[tuple[int, int]]:
    """Return the runs of quote words between gaps, as element index ranges [start, end)."""
    runs: list[tuple[int, int]] = []
    start = None
    for n, element in enumerate([*elements, None]):
        if isinstance(element, QuoteWord):
            start = n if start is None else start
        elif start is not None:
            runs.append((start, n))
            start = None
    return runs


def _run_places(run: Sequence[QuoteWord], text: Text) -> list[int]:
    """Return where a run of quote words occurs whole in a passage (loosely)."""
    if len(run) == 1:
        return list(text.places.get(run[0].loose, ()))
    first = text.pairs.get((run[0].loose, run[1].loose), ())
    return [p for p in first if list(text.loose[p : p + len(run)]) == [w.loose for w in run]]


def _rarest_run(elements: Sequence[Element], text: Text) -> tuple[tuple[int, int], list[int]]:
    """Return the run of quote words found whole in the fewest places, and those places."""
    best: tuple[tuple[int, int], list[int]] | None = None
    for first, last in _segments(elements):
        run = [e for e in elements[first:last] if isinstance(e, QuoteWord)]
        places = _run_places(run, text)
        if best is None or len(places) < len(best[1]):
            best = ((first, last), places)
    assert best is not None  # a quote to verify has words
    return best


def occurrences(elements: Sequence[Element], passages: Sequence[Passage]) -> list[Occurrence]:
    """Return the passages the quote occurs in word for word (case and apostrophes aside).

    The longest run of the quote's words between gaps is found whole first (in the
    passage's index of word pairs); the table is filled only around where it is.
    """
    words = [e for e in elements if isinstance(e, QuoteWord)]
    wanted = {w.loose for w in words}
    found = []
    for passage in passages:
        text = analyse(passage.text)
        if not wanted <= text.vocabulary:
            continue
        (first, _), places = _rarest_run(elements, text)
        before, after = _reach(elements[:first]), _reach(elements[first:])
        for place in places[:MAX_PLACES]:
            span = (place - before - 1, place + after + 1)
            alignment = _align_in(elements, passage, span, 0)
            if alignment is not None:
                found.append(Occurrence(passage, _exact(alignment, text, words)))
                break
    return found


def _exact(alignment: Alignment, text: Text, words: Sequence[QuoteWord]) -> bool:
    """Tell whether the matched words agree in case and apostrophes too."""
    matched = [op for op in alignment.ops if op.kind == "eq"]
    by_span = {w.span: w for w in words}
    return all(same_word(by_span[op.quote], text.words[op.source[0]]) for op in matched if op.quote)


def _places(
    elements: Sequence[Element], passages: Sequence[Passage], short: bool
) -> list[tuple[int, int, Passage]]:
    """Return the best-voted places to look for a near miss: (votes, start, passage)."""
    words = [e for e in elements if isinstance(e, QuoteWord)]
    places = []
    for passage in passages:
        text = analyse(passage.text)
        votes = _word_starts(words, text) if short else _starts(elements, text)
        places += [(count, start, passage) for start, count in votes.most_common(CANDIDATES)]
    places.sort(key=lambda place: -place[0])
    return places[:CANDIDATES]


def _short_alignment(words: Sequence[QuoteWord], passage: Passage, at: int) -> Alignment | None:
    """Find a short quote at token ``at`` with one near-identical word differing (a typo)."""
    text = analyse(passage.text)
    n = len(words)
    if at < 0 or at + n > len(text.words):
        return None
    from rapidfuzz import fuzz  # 40 ms to import, and only a near miss needs it: check stays quick

    window_words = text.loose[at : at + n]
    differ = [k for k in range(n) if words[k].loose != window_words[k]]
    if len(differ) != 1 or fuzz.ratio(words[differ[0]].loose, window_words[differ[0]]) < 75:
        return None
    ops = tuple(
        Op("sub" if k in differ else "eq", w.span, (at + k, at + k + 1))
        for k, w in enumerate(words)
    )
    return Alignment(passage, 1, at, at + n, ops)


def _long_alignment(
    elements: Sequence[Element], n: int, passage: Passage, at: int
) -> Alignment | None:
    """Place a long quote near token ``at`` within a few edits, keeping 3/4 of its words."""
    bound = max(2, int(0.15 * n))
    alignment = _align_in(
        elements, passage, (at - bound - 2, at + _reach(elements) + bound + 2), bound
    )
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
    for _, at, passage in _places(elements, passages, short):
        found = (
            _short_alignment(words, passage, at)
            if short
            else _long_alignment(elements, len(words), passage, at)
        )
        if found and (best is None or _rank(found, speaker) < _rank(best, speaker)):
            best = found
    return best


def closest_passage(elements: Sequence[Element], passages: Sequence[Passage]) -> Passage | None:
    """Return the passage sharing the most of the quote's words (None if none shares any)."""
    wanted = {e.loose for e in elements if isinstance(e, QuoteWord)}
    scored = [(len(wanted & analyse(p.text).vocabulary), -n, p) for n, p in enumerate(passages)]
    best = max(scored, default=None, key=lambda item: item[:2])
    return best[2] if best and best[0] else None


def _rank(alignment: Alignment, speaker: str) -> tuple[int, bool, int, int]:
    """Order near misses: fewer edits first, then the quoted speaker's own words, then earliest."""
    own = speaker not in speakers_of(alignment.passage)
    number = alignment.passage.anchor.rpartition("-")[2]
    return alignment.edits, own, int(number) if number.isdigit() else 0, alignment.start
