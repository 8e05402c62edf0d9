"""Sentences for changes in what was said: each side's positions and the quotes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from briefgen.diff.changes import Change
from briefgen.diff.match import each_pair, match_quotes, pair_up
from briefgen.diff.wording import Labels, day, now_was, plain, quote_key, same, slug, squash
from briefgen.source.model import Briefing, PastStance, Position, Quote

# --- positions --------------------------------------------------------------


def _past(history: list[PastStance]) -> list[tuple[str, dt.date]]:
    """Return earlier stances in comparable form."""
    return [(squash(p.stance), p.as_of) for p in history]


def _history_as_expected(old: Position, new: Position, moved: bool) -> bool:
    """True if history is unchanged, or gained just the previous stance on top."""
    before, after = _past(old.history), _past(new.history)
    if after == before:
        return True
    return moved and after[1:] == before and after[:1] != [] and after[0][0] == squash(old.stance)


def _stance_clause(old: Position, new: Position) -> str:
    """Describe a new stance and the one it replaced, with their dates."""
    recorded = [p.as_of for p in new.history if same(p.stance, old.stance)]
    was_date = old.as_of or (recorded[0] if recorded else None)
    now = f'now "{plain(new.stance)}"'
    now = f"as of {day(new.as_of)}, {now}" if new.as_of else now
    was = f'was "{plain(old.stance)}"' + (f", as of {day(was_date)}" if was_date else "")
    return f"{now} ({was})"


def _position_clauses(old: Position, new: Position, names: Labels) -> list[str]:
    """Describe how one side's position on one topic changed."""
    moved = not same(old.stance, new.stance)
    clauses = [_stance_clause(old, new)] if moved else []
    if not moved and old.as_of != new.as_of:
        dated = [f"as of {day(d)}" if d else "undated" for d in (new.as_of, old.as_of)]
        clauses.append(f"stance unchanged, now {dated[0]} (was {dated[1]})")
    if old.speaker != new.speaker:
        who = names.speaker(new.speaker), names.speaker(old.speaker)
        clauses.append(f"now voiced by {who[0]} (was {who[1]})")
    if sorted(old.sources) != sorted(new.sources):
        clauses.append("sources revised")
    if not _history_as_expected(old, new, moved):
        clauses.append("earlier stances revised")
    return clauses


def _position_change(old: Position | None, new: Position | None, names: Labels) -> list[Change]:
    """Describe a position added, removed or changed."""
    position = new or old
    assert position is not None
    where = f"{names.side(position.side)} on {names.topic(position.topic)}"
    base = {"subject": f"position:{position.side}/{position.topic}", "label": where}
    base |= {"side": position.side, "topic": position.topic}
    before, after = (plain(p.stance) if p else None for p in (old, new))
    if old is None or new is None:
        dated = f" as of {day(position.as_of)}" if position.as_of else ""
        summary = (
            f'{where}: new position{dated}: "{after}".'
            if new
            else f'{where}: position removed (was "{before}").'
        )
        kind = "position-added" if new else "position-removed"
        return [Change(kind, summary=summary, old=before, new=after, **base)]
    clauses = _position_clauses(old, new, names)
    if not clauses:
        return []
    summary = f"{where}: {'; '.join(clauses)}."
    return [Change("position-changed", summary=summary, old=before, new=after, **base)]


def position_changes(old: Briefing, new: Briefing, names: Labels) -> list[Change]:
    """Find positions added, removed and changed, keyed by (side, topic)."""
    pairs = pair_up(old.positions, new.positions, lambda p: (p.side, p.topic))
    return each_pair(pairs, lambda o, n: _position_change(o, n, names))


# --- quotes -----------------------------------------------------------------


def _quote_details(old: Quote, new: Quote, names: Labels) -> list[str]:
    """Describe changes to a quote's citation, topic and context."""
    clauses = []
    if old.source != new.source:
        clauses.append(f"now cited to {names.source(new.source)} (was {names.source(old.source)})")
    if old.topic != new.topic:
        clauses.append(f"now under {names.topic(new.topic)} (was {names.topic(old.topic)})")
    if not same(old.locator, new.locator):
        clauses.append(f"locator {now_was(old.locator, new.locator)}")
    if not same(old.context, new.context):
        clauses.append("context revised")
    return clauses


def _quote_edit(old: Quote, new: Quote, base: dict[str, Any], names: Labels) -> list[Change]:
    """Describe a matched quote whose text, speaker or citation changed."""
    reworded = quote_key(old.text) != quote_key(new.text)
    moved = old.speaker != new.speaker
    was, now = names.speaker(old.speaker), names.speaker(new.speaker)
    clauses = [f'now reads "{squash(new.text)}" (was "{squash(old.text)}")'] if reworded else []
    clauses += [f"re-attributed from {was} to {now}"] if moved else []
    clauses += _quote_details(old, new, names)
    if not clauses:
        return []
    head = f'Quote "{squash(new.text)}"' + ("" if moved else f" ({now})")
    head = f"Quote from {now}" if reworded else head
    summary = f"{head}: {'; '.join(clauses)}."
    if reworded or not moved:
        before, after = squash(old.text), squash(new.text)
        return [Change("quote-changed", summary=summary, old=before, new=after, **base)]
    return [Change("quote-reattributed", summary=summary, old=was, new=now, **base)]


def _quote_change(
    old: Quote | None, new: Quote | None, subject: str, names: Labels
) -> list[Change]:
    """Describe a quote added, removed, reworded or re-attributed."""
    quote = new or old
    assert quote is not None
    who, text = names.speaker(quote.speaker), squash(quote.text)
    base: dict[str, Any] = {"subject": subject, "topic": quote.topic}
    base["side"] = names.allegiance.get(quote.speaker)
    if old is None:
        return [Change("quote-added", summary=f'New quote from {who}: "{text}".', new=text, **base)]
    if new is None:
        summary = f'Quote from {who} removed: "{text}".'
        return [Change("quote-removed", summary=summary, old=text, **base)]
    return _quote_edit(old, new, base, names)


def _unique(subject: str, used: set[str]) -> str:
    """Return ``subject``, numbered if already taken, and mark it taken."""
    candidate, n = subject, 1
    while candidate in used:
        n += 1
        candidate = f"{subject}-{n}"
    used.add(candidate)
    return candidate


def quote_changes(old: Briefing, new: Briefing, names: Labels) -> list[Change]:
    """Find quotes added, removed, reworded and re-attributed."""
    changes: list[Change] = []
    used: set[str] = set()
    for before, after in match_quotes(old.quotes, new.quotes):
        quote = after or before
        assert quote is not None
        ident = (after.id if after else None) or (before.id if before else None)
        subject = _unique(f"quote:{ident or slug(quote.text)}", used)
        changes += _quote_change(before, after, subject, names)
    return changes
