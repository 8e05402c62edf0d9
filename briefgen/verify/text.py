"""Normalising text and splitting it into words; quotes also into elisions and insertions."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

BRACKET_WORDS = 4  # a "[bracketed]" insertion stands for up to this many source words

_TYPOGRAPHY = str.maketrans(
    {c: "'" for c in "‘’‚‛′‵`"} | {c: '"' for c in "“”„‟″‶«»"} | {c: "-" for c in "‐‑‒–—―−⁃"}
)
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_QUOTE_TOKEN = re.compile(
    r"(?P<elision>\[\s*\.\s*\.\s*\.\s*\]|\.\s*\.\s*\.)"
    r"|(?P<bracket>\[[^\]]*\])"
    r"|(?P<word>[^\W_]+(?:'[^\W_]+)*)"
)


@dataclass(frozen=True)
class Text:
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


Element = QuoteWord | QuoteGap


def normalise(text: str) -> str:
    """Return text in NFKC with straight quotes, hyphens for dashes and single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)
    return re.sub(r"\s+", " ", text).strip()


def lower_first(word: str) -> str:
    """Return the word with its first letter lower-cased."""
    return word[:1].lower() + word[1:]


@lru_cache(maxsize=4096)
def analyse(text: str) -> Text:
    """Normalise and tokenise a passage (cached: passages are checked once per quote)."""
    norm = normalise(text)
    matches = list(WORD.finditer(norm))
    words = tuple(m.group() for m in matches)
    return Text(
        norm=norm,
        words=words,
        folded=tuple(lower_first(w) for w in words),
        spans=tuple(m.span() for m in matches),
        vocabulary=frozenset(w.lower() for w in words),
    )


def compile_quote(quote: str) -> tuple[str, tuple[Element, ...]]:
    """Split a normalised quote into words, elisions and bracketed insertions."""
    norm = normalise(quote)
    elements: list[Element] = []
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


def quote_elements(quote: str) -> tuple[Element, ...]:
    """Return a quote's words, elisions and bracketed insertions, as verify matches them."""
    return compile_quote(quote)[1]


def same_word(word: QuoteWord, token: str) -> bool:
    """Return whether a quote word matches a source token."""
    return word.word == token or (word.fold and lower_first(word.word) == lower_first(token))
