"""Normalising text and splitting it into words; quotes also into elisions and insertions."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache

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


@dataclass(frozen=True, eq=False)
class Text:
    """A passage's text, normalised and split into word tokens, with an index of its words.

    ``loose`` are the words as captions may write them (lower case, no apostrophes);
    ``places`` and ``pairs`` give where each loose word and pair of words occurs, so that
    a quote is looked for where its words are, not at every word of a long passage.
    """

    norm: str
    words: tuple[str, ...]
    folded: tuple[str, ...]  # words with the first letter lower-cased
    spans: tuple[tuple[int, int], ...]
    vocabulary: frozenset[str]
    loose: tuple[str, ...] = ()

    @cached_property
    def places(self) -> Mapping[str, tuple[int, ...]]:
        """Return where each loose word occurs (made when first asked: pages never ask)."""
        found: dict[str, list[int]] = defaultdict(list)
        for n, word in enumerate(self.loose):
            found[word].append(n)
        return {word: tuple(at) for word, at in found.items()}

    @cached_property
    def pairs(self) -> Mapping[tuple[str, str], tuple[int, ...]]:
        """Return where each pair of consecutive loose words starts."""
        found: dict[tuple[str, str], list[int]] = defaultdict(list)
        for n in range(1, len(self.loose)):
            found[(self.loose[n - 1], self.loose[n])].append(n - 1)
        return {pair: tuple(at) for pair, at in found.items()}


@dataclass(frozen=True)
class QuoteWord:
    """A quote word; `fold` when its first letter's case may differ from the source."""

    word: str
    span: tuple[int, int]
    fold: bool

    @property
    def loose(self) -> str:
        """Return the word as captions may write it (lower case, no apostrophes)."""
        return loosen(self.word)


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


def loosen(word: str) -> str:
    """Return a word lower-cased and without apostrophes ("Doesn't" -> "doesnt")."""
    return word.lower().replace("'", "")


@lru_cache(maxsize=512)  # a few events' turns and articles: 4096 held 60 MB for no gain
def analyse(text: str) -> Text:
    """Normalise, tokenise and index a passage (cached: passages are checked once per quote)."""
    norm = normalise(text)
    matches = list(WORD.finditer(norm))
    words = tuple(m.group() for m in matches)
    loose = tuple(loosen(w) for w in words)
    return Text(
        norm=norm,
        words=words,
        folded=tuple(lower_first(w) for w in words),
        spans=tuple(m.span() for m in matches),
        vocabulary=frozenset(loose),
        loose=loose,
    )


def window(text: Text, start: int, end: int) -> Text:
    """Return the words of ``text`` from token ``start`` to ``end``, as a text to align in."""
    return Text(
        norm=text.norm,
        words=text.words[start:end],
        folded=text.folded[start:end],
        spans=text.spans[start:end],
        vocabulary=text.vocabulary,
        loose=text.loose[start:end],
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
