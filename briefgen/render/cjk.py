"""Korean and Japanese script: a name's language, and runs of it tagged for fonts and voices."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7AF))
KANA_HAN = (
    (0x3040, 0x30FF),
    (0x31F0, 0x31FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
)


def native_lang(text: str) -> str | None:
    """Guess a name's language from its script: Hangul is ko, kana or Han is ja, else unknown.

    A name in Han characters alone could be Japanese or Chinese; it is tagged ja (the
    sample's case). The tag only chooses glyph forms and the screen reader's voice.
    """
    if any(_in(c, HANGUL) for c in text):
        return "ko"
    if any(_in(c, KANA_HAN) for c in text):
        return "ja"
    return None


def _in(char: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    """Tell whether a character falls in one of the code point ranges."""
    return any(low <= ord(char) <= high for low, high in ranges)


_CJK = "".join(f"{chr(a)}-{chr(b)}" for a, b in (*HANGUL, *KANA_HAN))  # as native_lang reads them


_CJK_PUNCT = "\u3000-\u303f\uff00-\uffef"


CJK_RUN = re.compile(rf"[{_CJK}](?:[\s{_CJK_PUNCT}]*[{_CJK}])*[{_CJK_PUNCT}]*")


def cjk(text: str) -> Markup:
    """Escape text, tagging each run of Korean or Japanese script with its language."""
    out, last = [], 0
    for run in CJK_RUN.finditer(text):
        out += [escape(text[last : run.start()]), _lang_span(run.group())]
        last = run.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def _lang_span(run: str) -> Markup:
    """Wrap a run of CJK script in a span naming its language."""
    return Markup('<span lang="{}">{}</span>').format(native_lang(run) or "ja", run)
