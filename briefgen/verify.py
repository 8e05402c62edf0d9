"""Quotes against their evidence: transcript turns or the paragraphs of a source's text file."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from briefgen.model import Briefing, Quote, Speaker, Turn

MAX_EVIDENCE_BYTES = 10_000_000
BRACKET_WORDS = 4  # a "[bracketed]" insertion stands for up to this many source words
SHORT_QUOTE_WORDS = 3  # quotes this short must match exactly, bar one near-identical word

_TYPOGRAPHY = str.maketrans(
    {c: "'" for c in "‘’‚‛′‵`"} | {c: '"' for c in "“”„‟″‶«»"} | {c: "-" for c in "‐‑‒–—―−⁃"}
)
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_QUOTE_TOKEN = re.compile(
    r"(?P<elision>\[\s*\.\s*\.\s*\.\s*\]|\.\s*\.\s*\.)"
    r"|(?P<bracket>\[[^\]]*\])"
    r"|(?P<word>[^\W_]+(?:'[^\W_]+)*)"
)
_SPEECH = (
    r"said|says|say|told|tells|added|adds|noted|notes|argued|argues|warned|warns|stressed"
    r"|stresses|asked|asks|replied|replies|explained|explains|insisted|insists|wrote|writes"
)
_SPEECH_AFTER = re.compile(rf"(?:'s)?\s*,?\s*(?:{_SPEECH})\b", re.IGNORECASE)
_SPEECH_BEFORE = re.compile(rf"\b(?:{_SPEECH}|according to)\s*$", re.IGNORECASE)
_NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
_MARK = re.compile(r"\[-.*?-\]|\{\+.*?\+\}|\x00")  # \x00: where the source lacks a word


@dataclass(frozen=True)
class Passage:
    """A stretch of evidence: one transcript turn or one prose paragraph."""

    anchor: str  # "t-<n>" for transcript turn n, "p-<n>" for prose paragraph n (1-based)
    text: str
    speaker: str | None  # the speaker the words belong to (the likeliest of `speakers`)
    speakers: tuple[str, ...] = ()  # everyone the passage attributes its words to


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


@dataclass(frozen=True)
class _Text:
    """A passage's text, normalised and split into word tokens."""

    norm: str
    words: tuple[str, ...]
    folded: tuple[str, ...]  # words with the first letter lower-cased
    spans: tuple[tuple[int, int], ...]
    vocabulary: frozenset[str]


@dataclass(frozen=True)
class QuoteWord:
    """A quote word; `fold` when its first letter's case may differ from the source."""

    word: str
    span: tuple[int, int]
    fold: bool


@dataclass(frozen=True)
class QuoteGap:
    """An editor's elision (`most` None: any number of words) or bracketed insertion."""

    most: int | None
    span: tuple[int, int]


_Element = QuoteWord | QuoteGap


@dataclass(frozen=True)
class _Op:
    """One step of an alignment: eq, sub, del (quote-only word), ins (source-only word), gap."""

    kind: str
    quote: tuple[int, int] | None
    source: tuple[int, int]  # token range [start, end) in the passage


@dataclass(frozen=True)
class _Alignment:
    """The best placement of a quote in one passage."""

    passage: Passage
    edits: int
    start: int
    end: int
    ops: tuple[_Op, ...]


def normalise(text: str) -> str:
    """Return text in NFKC with straight quotes, hyphens for dashes and single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)
    return re.sub(r"\s+", " ", text).strip()


def _fold(word: str) -> str:
    """Return the word with its first letter lower-cased."""
    return word[:1].lower() + word[1:]


@lru_cache(maxsize=4096)
def _analyse(text: str) -> _Text:
    """Normalise and tokenise a passage (cached: passages are checked once per quote)."""
    norm = normalise(text)
    matches = list(WORD.finditer(norm))
    words = tuple(m.group() for m in matches)
    return _Text(
        norm=norm,
        words=words,
        folded=tuple(_fold(w) for w in words),
        spans=tuple(m.span() for m in matches),
        vocabulary=frozenset(w.lower() for w in words),
    )


def _compile(quote: str) -> tuple[str, tuple[_Element, ...]]:
    """Split a normalised quote into words, elisions and bracketed insertions."""
    norm = normalise(quote)
    elements: list[_Element] = []
    fold = True
    for match in _QUOTE_TOKEN.finditer(norm):
        if match.lastgroup == "word":
            elements.append(QuoteWord(match.group(), match.span(), fold))
            fold = False
        else:
            most = None if match.lastgroup == "elision" else BRACKET_WORDS
            elements.append(QuoteGap(most, match.span()))
            fold = True
    return norm, tuple(elements)


def quote_elements(quote: str) -> tuple[_Element, ...]:
    """Return a quote's words, elisions and bracketed insertions, as verify matches them."""
    return _compile(quote)[1]


def same_word(word: QuoteWord, token: str) -> bool:
    """Return whether a quote word matches a source token."""
    return word.word == token or (word.fold and _fold(word.word) == _fold(token))


def _costs(word: QuoteWord, text: _Text) -> list[int]:
    """Return 0 for each source token the word matches, else 1."""
    if word.fold:
        key = _fold(word.word)
        return [0 if t == key else 1 for t in text.folded]
    return [0 if t == word.word else 1 for t in text.words]


def _next_row(element: _Element, prev: list[int], text: _Text) -> list[int]:
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


def _table(elements: Sequence[_Element], text: _Text, bound: int) -> list[list[int]] | None:
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
    word: QuoteWord, text: _Text, prev: list[int], row: list[int], j: int
) -> tuple[int, list[_Op]]:
    """Trace one quote word back; return the column before it and its ops (reversed)."""
    ops: list[_Op] = []
    while True:
        cost = 0 if j > 0 and same_word(word, text.words[j - 1]) else 1
        if j > 0 and cost == 0 and row[j] == prev[j - 1]:
            return j - 1, [*ops, _Op("eq", word.span, (j - 1, j))]
        # On ties an extra source word beats a dropped or changed quote word: it keeps matches.
        if j > 0 and row[j] == row[j - 1] + 1:
            ops.append(_Op("ins", None, (j - 1, j)))
            j -= 1
        elif row[j] == prev[j] + 1:
            return j, [*ops, _Op("del", word.span, (j, j))]
        else:
            return j - 1, [*ops, _Op("sub", word.span, (j - 1, j))]


def _backtrace(
    elements: Sequence[_Element], text: _Text, rows: list[list[int]], end: int
) -> tuple[int, tuple[_Op, ...]]:
    """Return the start token and the ops of the alignment ending at `end`."""
    ops: list[_Op] = []
    j = end
    for i in range(len(elements), 0, -1):
        element, prev, row = elements[i - 1], rows[i - 1], rows[i]
        if isinstance(element, QuoteGap):
            k = _gap_step(element, prev, row, j)
            ops.append(_Op("gap", element.span, (k, j)))
            j = k
        else:
            j, steps = _word_steps(element, text, prev, row, j)
            ops.extend(steps)
    return j, tuple(reversed(ops))


def _align(elements: Sequence[_Element], passage: Passage, bound: int) -> _Alignment | None:
    """Place the quote in a passage with at most `bound` word edits."""
    text = _analyse(passage.text)
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
    return _Alignment(passage, edits, start, end, ops)


def _named(passage: Passage) -> tuple[str, ...]:
    """Return everyone a passage attributes its words to."""
    if passage.speakers:
        return passage.speakers
    return (passage.speaker,) if passage.speaker else ()


def _occurrences(elements: Sequence[_Element], passages: Sequence[Passage]) -> list[Passage]:
    """Return the passages the quote occurs in exactly."""
    wanted = {e.word.lower() for e in elements if isinstance(e, QuoteWord)}
    return [
        p
        for p in passages
        if wanted <= _analyse(p.text).vocabulary and _table(elements, _analyse(p.text), 0)
    ]


def _found(found: Sequence[Passage], speaker: str) -> Verdict:
    """Judge a quote that occurs verbatim: verified if its speaker says it, else misattributed."""
    own = next((p for p in found if speaker in _named(p)), None)
    if own is not None:
        return Verdict(Status.VERIFIED, anchor=own.anchor, message=f"verified at {own.anchor}")
    other = next((p for p in found if _named(p)), found[0])
    if other.speaker is None:
        message = f"found, but the source does not attribute it to '{speaker}' ({other.anchor})"
    else:
        message = f"found, but said by '{other.speaker}', not '{speaker}' ({other.anchor})"
    return Verdict(Status.MISATTRIBUTED, other.anchor, other.speaker, message=message)


def _candidates(
    words: Sequence[QuoteWord], passages: Sequence[Passage], limit: int = 8
) -> list[Passage]:
    """Return the passages sharing the most of the quote's words (at least half)."""
    wanted = {w.word.lower() for w in words}
    scored = []
    for index, passage in enumerate(passages):
        share = len(wanted & _analyse(passage.text).vocabulary) / len(wanted)
        if share >= 0.5:
            scored.append((-share, index))
    return [passages[i] for _, i in sorted(scored)[:limit]]


def _short_alignment(words: Sequence[QuoteWord], passage: Passage) -> _Alignment | None:
    """Find a short quote with exactly one near-identical word differing (a typo)."""
    text = _analyse(passage.text)
    n = len(words)
    for start in range(len(text.words) - n + 1):
        window = text.words[start : start + n]
        differ = [k for k in range(n) if not same_word(words[k], window[k])]
        if len(differ) == 1 and fuzz.ratio(words[differ[0]].word, window[differ[0]]) >= 75:
            ops = tuple(
                _Op("sub" if k in differ else "eq", w.span, (start + k, start + k + 1))
                for k, w in enumerate(words)
            )
            return _Alignment(passage, 1, start, start + n, ops)
    return None


def _long_alignment(elements: Sequence[_Element], n: int, passage: Passage) -> _Alignment | None:
    """Place a long quote within a few word edits, keeping three quarters of its words."""
    alignment = _align(elements, passage, max(2, int(0.15 * n)))
    if alignment is None or 100 * (n - alignment.edits) / n < 75:
        return None
    return alignment


def _closest(
    elements: Sequence[_Element], speaker: str, passages: Sequence[Passage]
) -> _Alignment | None:
    """Return the best near miss: fewest edits, then the quoted speaker's, then earliest."""
    words = [e for e in elements if isinstance(e, QuoteWord)]
    short = len(words) <= SHORT_QUOTE_WORDS
    if len(words) < 2 or (short and len(words) != len(elements)):
        return None
    best: _Alignment | None = None
    for passage in _candidates(words, passages):
        found = (
            _short_alignment(words, passage)
            if short
            else _long_alignment(elements, len(words), passage)
        )
        if found and (best is None or _rank(found, speaker) < _rank(best, speaker)):
            best = found
    return best


def _rank(alignment: _Alignment, speaker: str) -> tuple[int, bool]:
    """Order near misses: fewer edits first, then the quoted speaker's own words."""
    return alignment.edits, speaker not in _named(alignment.passage)


def _blocks(ops: Sequence[_Op]) -> list[list[_Op]]:
    """Group consecutive differing ops into blocks."""
    groups = itertools.groupby(ops, key=lambda op: op.kind in ("sub", "del", "ins"))
    return [list(group) for differs, group in groups if differs]


def _splice(text: str, edits: Sequence[tuple[int, int, str]]) -> str:
    """Replace each (start, end) span of text with its new wording."""
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _source_words(text: _Text, block: Sequence[_Op]) -> str:
    """Return the source words a block covers."""
    return " ".join(text.words[i] for op in block if op.kind != "del" for i in range(*op.source))


def _quote_edits(
    norm: str, ops: Sequence[_Op], text: _Text, both: bool
) -> list[tuple[int, int, str]]:
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


def _before(ops: Sequence[_Op], op: _Op) -> int:
    """Return the end of the last quote span before an op (0 at the start)."""
    spans = [o.quote for o in ops[: ops.index(op)] if o.quote is not None]
    return spans[-1][1] if spans else 0


def _source_edits(alignment: _Alignment, text: _Text) -> list[tuple[int, int, str]]:
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


def _excerpt(marked: str, context: int = 40) -> str:
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


def _near_miss(norm: str, alignment: _Alignment, speaker: str) -> Verdict:
    """Describe a near miss, marking the differing words on both sides."""
    passage, text = alignment.passage, _analyse(alignment.passage.text)
    closest = text.norm[text.spans[alignment.start][0] : text.spans[alignment.end - 1][1]]
    quote_side = _splice(norm, _quote_edits(norm, alignment.ops, text, both=False))
    source_side = _splice(closest, _source_edits(alignment, text))
    plural = "" if alignment.edits == 1 else "s"
    message = (
        f"quote differs from the source in {alignment.edits} word{plural}: "
        f'"{_excerpt(quote_side)}" (quote) vs "{_excerpt(source_side)}" (source, {passage.anchor})'
    )
    found_speaker = None
    if speaker not in _named(passage):
        found_speaker = passage.speaker
        message += (
            f"; the source attributes these words to '{passage.speaker}', not '{speaker}'"
            if passage.speaker
            else f"; the source does not attribute them to '{speaker}'"
        )
    marked = _splice(norm, _quote_edits(norm, alignment.ops, text, both=True))
    return Verdict(Status.NEAR_MISS, passage.anchor, found_speaker, closest, marked, message)


def verify_quote(text: str, speaker: str, passages: Sequence[Passage]) -> Verdict:
    """Check one quote by `speaker` against the passages of its evidence."""
    norm, elements = _compile(text)
    if not any(isinstance(e, QuoteWord) for e in elements):
        return Verdict(Status.UNVERIFIABLE, message="unverifiable: the quote has no words to check")
    found = _occurrences(elements, passages)
    if found:
        return _found(found, speaker)
    closest = _closest(elements, speaker, passages)
    if closest is not None:
        return _near_miss(norm, closest, speaker)
    return Verdict(Status.NOT_FOUND, message="not found in the source")


def transcript_passages(turns: Sequence[Turn]) -> list[Passage]:
    """Return one passage per transcript turn, anchored t-1, t-2, ..."""
    return [
        Passage(f"t-{n}", turn.text, turn.speaker, (turn.speaker,))
        for n, turn in enumerate(turns, 1)
    ]


def _family_name_first(speaker: Speaker) -> bool:
    """Guess whether the name is written family name first (Korean, Chinese...)."""
    native = speaker.native_name or ""
    if any("\uac00" <= c <= "\ud7a3" or "\u4e00" <= c <= "\u9fff" for c in native):
        return True
    last = speaker.name.split()[-1]
    return bool(re.fullmatch(r"[A-Z][a-z]+-[a-z]+", last))


def names_for(speaker: Speaker) -> list[str]:
    """Return the names prose may use for a speaker: full name, surname, aliases."""
    words = [w for w in speaker.name.split() if w.lower() not in _NAME_SUFFIXES]
    names = [speaker.name]
    if words:
        names.append(words[-1])
    if len(words) > 1 and _family_name_first(speaker):
        names.append(words[0])
    names.extend(speaker.aliases)
    return list(dict.fromkeys(n.strip() for n in names if n.strip()))


def _finders(people: Mapping[str, Sequence[str]]) -> dict[str, re.Pattern[str]]:
    """Compile one case-insensitive, word-bounded name pattern per speaker."""
    finders = {}
    for speaker, names in people.items():
        forms = sorted({normalise(n) for n in names if normalise(n)}, key=len, reverse=True)
        if forms:
            alternatives = "|".join(re.escape(f) for f in forms)
            finders[speaker] = re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.I)
    return finders


def _speaks(text: str, match: re.Match[str]) -> bool:
    """Return whether a name is the subject or object of a speech verb ("X said")."""
    after = _SPEECH_AFTER.match(text, match.end())
    return bool(after) or bool(
        _SPEECH_BEFORE.search(text[max(0, match.start() - 30) : match.start()])
    )


def _named_in(paragraph: str, finders: Mapping[str, re.Pattern[str]]) -> tuple[str, ...]:
    """Return the speakers a paragraph names, whoever is said to speak first, then by order."""
    text = normalise(paragraph)
    ranked = []
    for speaker, finder in finders.items():
        matches = list(finder.finditer(text))
        if matches:
            speaking = any(_speaks(text, m) for m in matches)
            ranked.append((not speaking, matches[0].start(), speaker))
    return tuple(speaker for *_, speaker in sorted(ranked))


def prose_passages(text: str, people: Mapping[str, Sequence[str]]) -> list[Passage]:
    """Split text into paragraphs p-1, p-2, ... attributed to the people they name."""
    finders = _finders(people)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))]
    passages = []
    carried: tuple[str, ...] = ()
    for n, paragraph in enumerate((p for p in paragraphs if p), 1):
        # A paragraph naming nobody (often pure quotation) continues the previous speaker.
        carried = _named_in(paragraph, finders) or carried
        passages.append(Passage(f"p-{n}", paragraph, carried[0] if carried else None, carried))
    return passages


def _read_text(root: Path, file: str) -> str:
    """Read an evidence file confined to the workspace; raise ValueError/OSError if unusable."""
    base = root.resolve()
    path = (base / file).resolve()
    if not path.is_relative_to(base):
        raise ValueError("lies outside the workspace")
    if path.stat().st_size > MAX_EVIDENCE_BYTES:
        raise ValueError(f"is larger than {MAX_EVIDENCE_BYTES:,} bytes")
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError("is not UTF-8 text") from exc


def _file_passages(
    root: Path, file: str, people: Mapping[str, Sequence[str]]
) -> list[Passage] | str:
    """Return a file's paragraphs, or the one-line reason it cannot be read."""
    try:
        return prose_passages(_read_text(root, file), people)
    except FileNotFoundError:
        return f"unverifiable: evidence file '{file}' does not exist"
    except IsADirectoryError:
        return f"unverifiable: evidence file '{file}' is a directory"
    except ValueError as exc:
        return f"unverifiable: evidence file '{file}' {exc}"
    except OSError as exc:
        return f"unverifiable: evidence file '{file}' cannot be read ({exc.strerror or exc})"


class _Evidence:
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
            self._files[source.file] = _file_passages(self._root, source.file, self._people)
        return self._files[source.file]

    def verify(self, quote: Quote) -> Verdict:
        """Check one quote against its source."""
        passages = self.passages(quote.source)
        if isinstance(passages, str):
            return Verdict(Status.UNVERIFIABLE, message=passages)
        return verify_quote(quote.text, quote.speaker, passages)


def verify_briefing(briefing: Briefing, root: Path) -> list[Verdict]:
    """Check every quote of a briefing against its evidence, in order."""
    evidence = _Evidence(briefing, root)
    return [evidence.verify(quote) for quote in briefing.quotes]
