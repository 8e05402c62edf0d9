"""Editorial checks: the briefing's own words held against the evidence it cites.

A briefing's prose is the staff's words; quotation marks promise the speaker's. These checks
warn where the two are confused (evidence copied without marks, marks around words nobody
said), where an article quotes a speaker the quotes list leaves out, where a locator points
at another paragraph than the one the quote verified in, and where the memo would overflow.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from briefgen.errors import Diagnostic, Severity
from briefgen.source.loader import Document, Loc
from briefgen.source.model import Briefing, Source
from briefgen.verify.evidence import Passage, speakers_of
from briefgen.verify.quotes import Evidence, Verdict
from briefgen.verify.text import WORD, normalise

COPIED_WORDS = 8  # this many consecutive evidence words outside quotation marks is copying
QUOTED_WORDS = 2  # a quotation in the evidence or the prose is this many words or more
SUMMARY_WORDS = 20  # a position's one-line summary for the tables
KEY_QUOTES = 3  # the memo shows at most this many key quotes

_QUOTED = re.compile(r'"([^"]+)"')
_ELISION = re.compile(r"\.\.\.|…|\[[^\]]*\]")
_PARA = re.compile(r"\bpara(?:graph)?s?\.?\s*(\d+)", re.I)


def _words(text: str) -> list[str]:
    """Return a text's words, case-folded, as the checks compare them."""
    return [w.casefold() for w in WORD.findall(text)]


def _split_quoted(text: str) -> tuple[list[str], list[str]]:
    """Split normalised text into the stretches outside quotation marks and those inside."""
    norm = normalise(text)
    inside = [m.group(1) for m in _QUOTED.finditer(norm)]
    return _QUOTED.split(norm)[::2], inside


@dataclass(frozen=True)
class _Place:
    """Where in the evidence some words are: a source and a paragraph or turn."""

    source: Source
    anchor: str

    def describe(self) -> str:
        """Say where, as a reader would: 'the Korea Herald report, para 5'."""
        kind, _, number = self.anchor.partition("-")
        where = f"para {number}" if kind == "p" else f"turn {number}"
        return f"{self.source.publisher} ({self.source.id}), {where}"


class _Index:
    """The evidence's word runs, for finding copied and quoted words in linear time."""

    def __init__(self, readable: Sequence[tuple[Source, list[Passage]]]) -> None:
        self.runs: dict[tuple[str, ...], _Place] = {}
        self.texts: list[str] = []
        for source, passages in readable:
            for passage in passages:
                words = _words(normalise(passage.text))
                self.texts.append(" " + " ".join(words) + " ")
                for n in range(len(words) - COPIED_WORDS + 1):
                    self.runs.setdefault(
                        tuple(words[n : n + COPIED_WORDS]), _Place(source, passage.anchor)
                    )

    def copied(self, words: list[str]) -> tuple[str, _Place] | None:
        """Return the first run of evidence words copied into ``words``, and where it is from."""
        n = 0
        while n <= len(words) - COPIED_WORDS:
            place = self.runs.get(tuple(words[n : n + COPIED_WORDS]))
            if place is None:
                n += 1
                continue
            end = n + COPIED_WORDS
            while end < len(words) and tuple(words[end - COPIED_WORDS + 1 : end + 1]) in self.runs:
                end += 1
            return " ".join(words[n:end]), place
        return None

    def contains(self, words: list[str]) -> bool:
        """Tell whether these words occur together in some passage of the evidence."""
        needle = " " + " ".join(words) + " "
        return any(needle in text for text in self.texts)


def _prose_fields(briefing: Briefing) -> Iterator[tuple[Loc, str]]:
    """Yield every field written in the staff's own words, with its location."""
    event = briefing.event
    if event.headline:
        yield ("event", "headline"), event.headline
    yield ("event", "summary"), event.summary
    if event.background:
        yield ("event", "background"), event.background
    for n, text in enumerate(briefing.takeaways):
        yield ("takeaways", n), text
    for n, text in enumerate(briefing.questions):
        yield ("questions", n), text
    for n, side in enumerate(briefing.sides):
        yield ("sides", n, "summary"), side.summary
    for n, position in enumerate(briefing.positions):
        yield ("positions", n, "stance"), position.stance
        if position.summary:
            yield ("positions", n, "summary"), position.summary


def _marks_problems(text: str, index: _Index, quoted: list[list[str]]) -> Iterator[str]:
    """Say where a prose field copies evidence unmarked or marks words nobody said."""
    outside, inside = _split_quoted(text)
    for stretch in outside:
        found = index.copied(_words(stretch))
        if found is not None:
            copied, place = found
            yield (
                f'"{copied}" is copied word for word from {place.describe()} without '
                "quotation marks; quote it or put it in your own words"
            )
            break
    for quotation in inside:
        parts = [_words(part) for part in _ELISION.split(quotation)]
        missing = [
            part
            for part in parts
            if len(part) >= QUOTED_WORDS
            and not index.contains(part)
            and not any(_within(part, quote) for quote in quoted)
        ]
        if missing:
            yield (
                f'"{quotation}" is in quotation marks but is not in the evidence or the quotes; '
                "quote the speaker's exact words or drop the marks"
            )


def _within(part: list[str], quote: list[str]) -> bool:
    """Tell whether these words occur together in a quote's words."""
    return f" {' '.join(part)} " in f" {' '.join(quote)} "


def _uncaptured(
    readable: Sequence[tuple[Source, list[Passage]]], quoted: list[list[str]]
) -> Iterator[tuple[Source, str]]:
    """Yield (source, message) for each article quotation no quote captures."""
    for source, passages in readable:
        if not source.quotes_complete:
            continue
        for passage in passages:
            if not passage.anchor.startswith("p-") or not speakers_of(passage):
                continue
            for quotation in _split_quoted(passage.text)[1]:
                quotation = quotation.strip().rstrip(",;:")
                words = _words(quotation)
                if len(words) < QUOTED_WORDS or _covered(words, quoted):
                    continue
                yield (
                    source,
                    (
                        f'para {passage.anchor[2:]} quotes {passage.speaker}: "{quotation}", '
                        "which no quote captures; add it to quotes, or set quotes_complete: false"
                    ),
                )


def _covered(words: list[str], quoted: list[list[str]]) -> bool:
    """Tell whether a quote captures at least half of a quotation's words."""
    wanted = set(words)
    return any(len(wanted & set(quote)) * 2 >= len(wanted) for quote in quoted)


def _locator_problems(briefing: Briefing, verdicts: Sequence[Verdict]) -> Iterator[tuple[int, str]]:
    """Yield (quote index, message) where a locator names another paragraph than verified."""
    for n, (quote, verdict) in enumerate(zip(briefing.quotes, verdicts, strict=False)):
        match = _PARA.search(quote.locator or "")
        anchor = verdict.anchor or ""
        if match and anchor.startswith("p-") and match.group(1) != anchor[2:]:
            yield (
                n,
                (
                    f"says para {match.group(1)}, but the quote verified in para {anchor[2:]} "
                    "of its evidence"
                ),
            )


def _memo_problems(document: Document, briefing: Briefing) -> Iterator[Diagnostic]:
    """Report too many key quotes (an error) and position summaries too long for a table."""
    keys = [n for n, quote in enumerate(briefing.quotes) if quote.key]
    for n in keys[KEY_QUOTES:]:
        message = (
            f"at most {KEY_QUOTES} quotes can be key (the memo shows them); "
            f"this is key quote {keys.index(n) + 1}"
        )
        yield document.diagnostic(("quotes", n, "key"), message)
    for n, position in enumerate(briefing.positions):
        count = len((position.summary or "").split())
        if count > SUMMARY_WORDS:
            message = f"is {count} words; a table cell holds about {SUMMARY_WORDS}"
            yield document.diagnostic(("positions", n, "summary"), message, Severity.WARNING)


def editorial_diagnostics(
    document: Document, briefing: Briefing, evidence: Evidence, verdicts: Sequence[Verdict]
) -> list[Diagnostic]:
    """Return the editorial warnings (and the key-quote error) for one briefing."""
    diagnostics = list(_memo_problems(document, briefing))
    readable = evidence.readable()
    quoted = [_words(normalise(quote.text)) for quote in briefing.quotes]
    if readable:
        index = _Index(readable)
        for loc, text in _prose_fields(briefing):
            for message in _marks_problems(text, index, quoted):
                diagnostics.append(document.diagnostic(loc, message, Severity.WARNING))
    sources = {id(source): n for n, source in enumerate(briefing.sources)}
    for source, message in _uncaptured(readable, quoted):
        at = ("sources", sources[id(source)], "file")
        diagnostics.append(document.diagnostic(at, message, Severity.WARNING))
    for n, message in _locator_problems(briefing, verdicts):
        diagnostics.append(document.diagnostic(("quotes", n, "locator"), message, Severity.WARNING))
    return diagnostics
