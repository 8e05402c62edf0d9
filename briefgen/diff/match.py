"""Pairing the items of two versions by key, so that reordering a list is no change."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from briefgen.diff.changes import Change
from briefgen.diff.wording import quote_key
from briefgen.source.model import Quote

T = TypeVar("T")
Pairs = list[tuple[T | None, T | None]]


def pair_up(old: Sequence[T], new: Sequence[T], key: Callable[[T], Hashable]) -> Pairs[T]:
    """Match items by key: (old, new) in the new order, then the removed in the old order."""
    waiting: dict[Hashable, list[T]] = {}
    for item in old:
        waiting.setdefault(key(item), []).append(item)
    pairs: Pairs[T] = []
    for item in new:
        queue = waiting.get(key(item))
        pairs.append((queue.pop(0) if queue else None, item))
    left = {id(item) for queue in waiting.values() for item in queue}
    return pairs + [(item, None) for item in old if id(item) in left]


def match_quotes(old: list[Quote], new: list[Quote]) -> Pairs[Quote]:
    """Match quotes by id where both have one, the rest by normalised text."""
    by_id = pair_up([q for q in old if q.id], [q for q in new if q.id], lambda q: q.id)
    matched = [(o, n) for o, n in by_id if o is not None and n is not None]
    taken = {id(q) for pair in matched for q in pair}
    rest_old = [q for q in old if id(q) not in taken]
    rest_new = [q for q in new if id(q) not in taken]
    pairs = matched + pair_up(rest_old, rest_new, lambda q: quote_key(q.text))
    where = {id(q): i for i, q in enumerate(new)} | {
        id(q): len(new) + i for i, q in enumerate(old) if id(q) not in taken
    }
    return sorted(pairs, key=lambda p: where[id(p[1] if p[1] is not None else p[0])])


def each_pair(pairs: Pairs[T], make: Callable[[T | None, T | None], list[Change]]) -> list[Change]:
    """Collect the changes ``make`` finds in each matched pair."""
    return [change for old, new in pairs for change in make(old, new)]
