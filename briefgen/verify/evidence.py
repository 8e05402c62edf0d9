"""Evidence as passages: transcript turns, or prose paragraphs tied to the people they name."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from briefgen.source.model import Speaker, Turn
from briefgen.verify.text import normalise

MAX_EVIDENCE_BYTES = 10_000_000

_VERBS = """
    say said says tell told tells add added adds note noted notes argue argued argues warn
    warned warns stress stressed stresses ask asked asks reply replied replies explain
    explained explains insist insisted insists write wrote writes criticize criticized
    criticizes criticise criticised criticises condemn condemned condemns call called calls
    urge urged urges caution cautioned cautions suggest suggested suggests acknowledge
    acknowledged acknowledges repeat repeated repeats emphasize emphasized emphasizes
    emphasise emphasised emphasises maintain maintained maintains claim claimed claims
    declare declared declares state stated states announce announced announces describe
    described describes praise praised praises accuse accused accuses predict predicted
    predicts recall recalled recalls admit admitted admits agree agreed agrees observe
    observed observes contend contended contends counter countered counters respond
    responded responds comment commented comments remark remarked remarks conclude concluded
    concludes vow vowed vows pledge pledged pledges promise promised promises concede
    conceded concedes complain complained complains tweeted tweets posted posts"""
_SPEECH = "|".join(sorted(set(_VERBS.split()), key=len, reverse=True))
# "Knapper said", "Knapper, a deputy assistant secretary, told ...": the name, perhaps an
# apposition between commas, then the verb.


@functools.cache
def _speech_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Compile the speech-verb patterns on first use (a few milliseconds ``check`` need not pay)."""
    after = re.compile(rf"(?:'s)?\s*(?:,[^,.;\"]{{1,120}},)?\s*,?\s*(?:{_SPEECH})\b", re.IGNORECASE)
    before = re.compile(rf"\b(?:{_SPEECH}|according to)\s*$", re.IGNORECASE)
    return after, before


_NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


@dataclass(frozen=True)
class Passage:
    """A stretch of evidence: one transcript turn or one prose paragraph."""

    anchor: str  # "t-<n>" for transcript turn n, "p-<n>" for prose paragraph n (1-based)
    text: str
    speaker: str | None  # the speaker the words belong to (the likeliest of `speakers`)
    speakers: tuple[str, ...] = ()  # everyone the passage attributes its words to


def speakers_of(passage: Passage) -> tuple[str, ...]:
    """Return everyone a passage attributes its words to."""
    if passage.speakers:
        return passage.speakers
    return (passage.speaker,) if passage.speaker else ()


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
    speech_after, speech_before = _speech_patterns()
    after = speech_after.match(text, match.end())
    return bool(after) or bool(
        speech_before.search(text[max(0, match.start() - 30) : match.start()])
    )


def _named_in(
    paragraph: str, finders: Mapping[str, re.Pattern[str]]
) -> tuple[tuple[str, ...], bool]:
    """Return whom a paragraph attributes its words to, and whether it names anyone.

    The words are those of whoever is said to speak ("X said", "said X", "X told"), in
    order; not of everyone named. With no speech verb, a paragraph naming one person
    and quoting words is theirs; naming several, its attribution is unclear: no one.
    """
    text = normalise(paragraph)
    speaking, named = [], []
    for speaker, finder in finders.items():
        matches = list(finder.finditer(text))
        if matches:
            named.append((matches[0].start(), speaker))
            spoken = [m.start() for m in matches if _speaks(text, m)]
            if spoken:
                speaking.append((spoken[0], speaker))
    if speaking:
        return tuple(speaker for _, speaker in sorted(speaking)), True
    if len(named) == 1 and '"' in text:
        return (named[0][1],), True
    return (), bool(named)


@dataclass(frozen=True)
class Prose:
    """A prose text split as its publisher numbers it: headline, body paragraphs, trailer.

    The headline is not paragraph 1, and the fragments a copied page ends with (a cut-off
    byline, "Back to top") are not paragraphs: locators count the body as the original does.
    """

    headline: str | None
    paragraphs: list[str]
    trailer: list[str]


_END = re.compile(r"""[.!?:;…][\s"'”’»)\]]*$""")
_BYLINE = re.compile(r"^(?:by|reporting by|written by|back to top|advertisement)\b", re.I)


def _sentence(block: str) -> bool:
    """Tell whether a block ends as a sentence does."""
    return bool(_END.search(block))


def _headline(block: str) -> bool:
    """Tell whether a first block is a headline: one short line that is not a sentence."""
    return "\n" not in block and len(block.split()) <= 25 and not _sentence(block)


def _trailing(block: str) -> bool:
    """Tell whether a last block is page furniture: a byline, a fragment, a link."""
    short = len(block.split()) <= 12
    return short and (bool(_BYLINE.match(block)) or not _sentence(block))


def split_prose(text: str) -> Prose:
    """Split a prose file into its headline, body paragraphs and trailing fragments."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))]
    blocks = [b for b in blocks if b]
    headline = blocks.pop(0) if len(blocks) > 1 and _headline(blocks[0]) else None
    trailer: list[str] = []
    while len(blocks) > 1 and _trailing(blocks[-1]):
        trailer.insert(0, blocks.pop())
    return Prose(headline, blocks, trailer)


def prose_passages(text: str, people: Mapping[str, Sequence[str]]) -> list[Passage]:
    """Split text into body paragraphs p-1, p-2, ... attributed to the people they name."""
    finders = _finders(people)
    passages = []
    carried: tuple[str, ...] = ()
    for n, paragraph in enumerate(split_prose(text).paragraphs, 1):
        # A paragraph naming nobody (often pure quotation) continues the previous speaker.
        attributed, names = _named_in(paragraph, finders)
        carried = attributed if names else carried
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


def file_passages(
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
