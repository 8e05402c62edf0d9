"""Quotes against their evidence: transcript turns or the paragraphs of a source's text file.

The stages live in their own modules: ``verify_text`` tokenises, ``verify_evidence`` turns
evidence into attributed passages, ``verify_align`` places a quote in them and
``verify_marks`` marks where a near miss differs; this module gives the verdicts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from briefgen.source.model import Briefing, Quote, Source
from briefgen.verify.align import (
    SHORT_QUOTE_WORDS,
    Alignment,
    Occurrence,
    closest_alignment,
    closest_passage,
    occurrences,
)
from briefgen.verify.evidence import (
    MAX_EVIDENCE_BYTES,
    Passage,
    file_passages,
    names_for,
    prose_passages,
    speakers_of,
    transcript_passages,
)
from briefgen.verify.marks import quote_edits, shorten, source_edits, splice
from briefgen.verify.text import (
    BRACKET_WORDS,
    WORD,
    Element,
    QuoteGap,
    QuoteWord,
    analyse,
    compile_quote,
    normalise,
    quote_elements,
    same_word,
)

__all__ = [
    "BRACKET_WORDS",
    "MAX_EVIDENCE_BYTES",
    "SHORT_QUOTE_WORDS",
    "WORD",
    "Evidence",
    "Passage",
    "QuoteGap",
    "QuoteWord",
    "Status",
    "Verdict",
    "names_for",
    "normalise",
    "prose_passages",
    "quote_elements",
    "same_word",
    "transcript_passages",
    "verify_briefing",
    "verify_quote",
]


class Status(StrEnum):
    """The outcome of checking one quote."""

    VERIFIED = "verified"
    NEAR_MISS = "near_miss"
    MISATTRIBUTED = "misattributed"
    NOT_FOUND = "not_found"
    UNVERIFIABLE = "unverifiable"


@dataclass(frozen=True)
class Verdict:
    """What checking one quote against its evidence found."""

    status: Status
    anchor: str | None = None
    found_speaker: str | None = None
    closest: str | None = None
    marked_quote: str | None = None
    message: str = ""


IGNORING_CASE = "matched ignoring case"


def _found(found: Sequence[Occurrence], speaker: str) -> Verdict:
    """Judge a quote that occurs verbatim: verified if its speaker says it, else misattributed."""
    own = [o for o in found if speaker in speakers_of(o.passage)]
    if own:
        best = next((o for o in own if o.exact), own[0])
        note = "" if best.exact else f" ({IGNORING_CASE})"
        anchor = best.passage.anchor
        return Verdict(Status.VERIFIED, anchor=anchor, message=f"verified at {anchor}{note}")
    other = next((o.passage for o in found if speakers_of(o.passage)), found[0].passage)
    message = f"found, but {_whose(other, speaker)} ({other.anchor})"
    return Verdict(Status.MISATTRIBUTED, other.anchor, other.speaker, message=message)


def _whose(passage: Passage, speaker: str) -> str:
    """Say whose words a passage holds, when they are not ``speaker``'s."""
    if passage.speaker is not None:
        return f"said by '{passage.speaker}', not '{speaker}'"
    return f"the source does not say who said it (the attribution is unclear), not '{speaker}'"


def _near_miss(norm: str, alignment: Alignment, speaker: str) -> Verdict:
    """Describe a near miss, marking the differing words on both sides."""
    passage, text = alignment.passage, analyse(alignment.passage.text)
    closest = text.norm[text.spans[alignment.start][0] : text.spans[alignment.end - 1][1]]
    quote_side = splice(norm, quote_edits(norm, alignment.ops, text, both=False))
    source_side = splice(closest, source_edits(alignment, text))
    plural = "" if alignment.edits == 1 else "s"
    message = (
        f"quote differs from the source in {alignment.edits} word{plural}: "
        f'"{shorten(quote_side)}" (quote) vs "{shorten(source_side)}" (source, {passage.anchor})'
    )
    found_speaker = None
    status = Status.NEAR_MISS
    if speaker not in speakers_of(passage):  # changed words and someone else's: an error
        found_speaker, status = passage.speaker, Status.MISATTRIBUTED
        message += (
            f"; and the source attributes these words to '{passage.speaker}', not '{speaker}'"
            if passage.speaker
            else "; and the source does not say who said them (the attribution is unclear)"
        )
    marked = splice(norm, quote_edits(norm, alignment.ops, text, both=True))
    return Verdict(status, passage.anchor, found_speaker, closest, marked, message)


def _not_found(elements: Sequence[Element], speaker: str, passages: Sequence[Passage]) -> Verdict:
    """Say what is known of a quote not found: the speaker's passages, and the closest one."""
    own = [p.anchor for p in passages if speaker in speakers_of(p)]
    kind = "turn" if passages and passages[0].anchor.startswith("t-") else "paragraph"
    if own:
        listed = ", ".join(own[:5]) + (", ..." if len(own) > 5 else "")
        kinds = kind if len(own) == 1 else f"{kind}s"
        known = f"the source has {len(own)} {kinds} by '{speaker}' ({listed})"
    else:
        known = f"the source has no {kind} by '{speaker}'"
    message = f"not found in the source; {known}"
    closest = closest_passage(elements, passages)
    if closest is not None:
        message += f'; the closest is {closest.anchor}: "{shorten(normalise(closest.text))}"'
    return Verdict(Status.NOT_FOUND, message=message)


def verify_quote(text: str, speaker: str, passages: Sequence[Passage]) -> Verdict:
    """Check one quote by `speaker` against the passages of its evidence."""
    norm, elements = compile_quote(text)
    if not any(isinstance(e, QuoteWord) for e in elements):
        return Verdict(Status.UNVERIFIABLE, message="unverifiable: the quote has no words to check")
    found = occurrences(elements, passages)
    if found:
        return _found(found, speaker)
    closest = closest_alignment(elements, speaker, passages)
    if closest is not None:
        return _near_miss(norm, closest, speaker)
    return _not_found(elements, speaker, passages)


class Evidence:
    """The passages each source offers, each file read once."""

    def __init__(self, briefing: Briefing, root: Path) -> None:
        self._sources = {s.id: s for s in briefing.sources}
        self._turns = transcript_passages(briefing.transcript)
        self._people = {s.id: names_for(s) for s in briefing.speakers}
        self._root = root
        self._files: dict[str, list[Passage] | str] = {}

    def passages(self, source_id: str) -> list[Passage] | str:
        """Return a source's passages, or why it cannot be checked."""
        source = self._sources.get(source_id)
        if source is None:
            return f"unverifiable: source '{source_id}' is not listed under sources"
        if source.file is None:
            if source.kind.strip().lower() != "transcript":
                return f"unverifiable: source '{source_id}' has no file to check against"
            if not self._turns:
                return f"unverifiable: source '{source_id}' has no file and there is no transcript"
            return self._turns
        if source.file not in self._files:
            self._files[source.file] = file_passages(self._root, source.file, self._people)
        return self._files[source.file]

    def readable(self) -> list[tuple[Source, list[Passage]]]:
        """Return every source whose passages can be read, with them."""
        found = []
        for source in self._sources.values():
            passages = self.passages(source.id)
            if not isinstance(passages, str):
                found.append((source, passages))
        return found

    def verify(self, quote: Quote) -> Verdict:
        """Check one quote against its source."""
        passages = self.passages(quote.source)
        if isinstance(passages, str):
            return Verdict(Status.UNVERIFIABLE, message=passages)
        return verify_quote(quote.text, quote.speaker, passages)


def verify_briefing(
    briefing: Briefing, root: Path, evidence: Evidence | None = None
) -> list[Verdict]:
    """Check every quote of a briefing against its evidence, in order."""
    evidence = evidence or Evidence(briefing, root)
    return [evidence.verify(quote) for quote in briefing.quotes]
