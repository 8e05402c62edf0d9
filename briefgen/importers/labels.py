"""Speaker labels: recognising "Name:" / "MR. NAME:" and telling names from prose."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from briefgen.importers.common import SpeakerLabel, clock

_HONORIFIC_WORDS = """
    mr mrs ms miss mx dr prof professor amb ambassador adm admiral radm vadm gen general lt
    ltg col colonel capt captain cdr cmdr maj major sgt sen senator rep representative gov
    governor hon honorable honourable rev sir dame lord lady judge justice sec secretary
    minister deputy vice rear chairman chairwoman president mayor rabbi ret"""
_PARTICLE_WORDS = "de da di du del der den van von la le al el bin ibn dos das y ter ten"
# Words that start sentences or headings and never make up a person's name.
_COMMON_WORDS = """
    a an the this that these those my our your his her their its we i it you he she they
    what why how when where who which whom here there one two three first second third
    finally short sum fact point issue note notes summary bottom line key takeaway example
    update result conclusion background reality truth problem answer let me us so yes no
    well now also but and or said says quote unquote thanks thank okay ok all everyone
    everybody folks ladies gentlemen remarks opening closing welcome introduction keynote
    panel discussion session part section agenda transcript source sources correction
    copyright disclaimer warning editor editors editor's subject topic title date time
    location venue today again look remember important question questions in on at of for
    to with by from as is are was were be not if then than"""
# Words of titles and headings: a "name" made only of them is no one ("Senior Fellow").
_TITLE_WORDS = """
    senior junior fellow fellows director directors deputy assistant associate executive
    managing vice president chair chairs chairman chairwoman moderator moderators speaker
    speakers panelist panelists panellist panellists participant participants inquiries
    media contact contacts press office staff research program programme professor emeritus
    visiting adjunct nonresident non-resident distinguished principal chief officer head
    manager coordinator editor correspondent reporter ambassador secretary minister member
    members committee guest guests host hosts witness witnesses analyst scholar lecturer
    counsel adviser advisor spokesperson presenter presenters keynote welcome remarks"""
TITLE_WORDS = frozenset(_TITLE_WORDS.split())
HONORIFICS = frozenset(_HONORIFIC_WORDS.split())
PARTICLES = frozenset(_PARTICLE_WORDS.split())
COMMON_WORDS = frozenset(_COMMON_WORDS.split())
_GENERIC = re.compile(
    r"(?:(?:an?|the)\s+)?(?:(?:unidentified|unknown|other|male|female)\s+)*"
    r"(?:audience\s+members?|audience\s+question|audience|questioners?|question|q|"
    r"speakers?|participants?|attendees?|voices?|reporters?|journalists?|"
    r"male|female|multiple\s+speakers)(?:\s*#?\s*\d{1,3})?",
    re.IGNORECASE,
)
_NUMBERED = re.compile(r"(?:speaker|voice|participant)\s*#?\s*(\d{1,3})", re.IGNORECASE)
_GENERIC_NAMES = {"q": "Questioner", "question": "Questioner"}
_LEADING = HONORIFICS | {"the"}
_ROLES = {
    "moderator": "Moderator",
    "host": "Host",
    "chair": "Chair",
    "chairman": "Chair",
    "chairwoman": "Chair",
    "presider": "Moderator",
    "interviewer": "Interviewer",
    "presenter": "Presenter",
    "operator": "Operator",
    "announcer": "Announcer",
    "narrator": "Narrator",
}
_LINE = re.compile(
    r"^(?:\[?(?P<time>(?:\d{1,2}:)?\d{1,2}:\d{2})(?:[.,]\d+)?\]?\s+)?"
    r"(?:>>\s*|[-\u2013\u2014]\s+)?"
    r"(?P<label>(?:[^:\uff1a\n(\[]|\([^)\n]{0,16}\)|\[[^\]\n]{0,16}\]){1,60}?)"
    r"\s*[:\uff1a]\s*(?P<rest>.*)$",
    re.DOTALL,
)
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_BRACKET_TIME = re.compile(r"[\[(]((?:\d{1,2}:)?\d{1,2}:\d{2})(?:[.,]\d+)?[\])]")
_NAME_TOKEN = re.compile(r"^[^\W\d_][\w'\u2019.\-]*$")
_CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7af]")


@dataclass(frozen=True)
class LabelCandidate:
    """A possible speaker label at the start of a line, with the evidence for it."""

    label: SpeakerLabel
    rest: str
    honorific: bool
    allcaps: bool
    words: int
    time: str | None

    @property
    def key(self) -> str:
        """Return the folded name used to match labels."""
        return name_key(self.label.name)

    @property
    def surname(self) -> str:
        """Return the folded last word, so "Marc Knapper" and "MR. KNAPPER" count together."""
        return self.key.rsplit(" ", 1)[-1]


def find_label(line: str) -> LabelCandidate | None:
    """Return the speaker label a line starts with, if it has a name-like one."""
    match = _LINE.match(line.strip())
    if not match:
        return None
    raw = match["label"].strip()
    stamp = _BRACKET_TIME.search(raw)
    time = match["time"] or (stamp[1] if stamp else None)
    label, honorific = _classify(raw)
    if label is None:
        return None
    core = _PARENS.sub(" ", raw)
    return LabelCandidate(
        label=label,
        rest=match["rest"].strip(),
        honorific=honorific,
        allcaps=core.upper() == core and any(c.isascii() and c.isalpha() for c in core),
        words=len(label.name.split()),
        time=_label_time(time),
    )


def _label_time(text: str | None) -> str | None:
    """Turn a label's h:mm:ss or m:ss stamp into HH:MM:SS."""
    if not text:
        return None
    parts = [int(p) for p in text.split(":")]
    hours, minutes, seconds = ([0] * (3 - len(parts)) + parts)[-3:]
    return clock(hours, minutes, seconds) if minutes < 60 and seconds < 60 else None


def _classify(raw: str) -> tuple[SpeakerLabel | None, bool]:
    """Read a label as a generic, role or person label, noting an honorific."""
    core = " ".join(_PARENS.sub(" ", raw).split())
    if not core or len(core) > 50:
        return None, False
    numbered = _NUMBERED.fullmatch(core)
    if numbered:  # "Speaker 1", "Speaker 2": different people, names unknown
        return SpeakerLabel(f"Speaker {int(numbered[1])}", "unknown"), False
    if _GENERIC.fullmatch(core):
        name = _GENERIC_NAMES.get(core.lower(), core[:1].upper() + core[1:].lower())
        return SpeakerLabel(name, "generic"), False
    role = _ROLES.get(re.sub(r"^the\s+", "", core.lower()).rstrip("."))
    if role:
        return SpeakerLabel(role, "role"), False
    tokens, honorific = strip_honorifics(core.split())
    name = " ".join(tokens)
    return (SpeakerLabel(name), honorific) if is_name(name) else (None, False)


@lru_cache(maxsize=1024)
def label_for_name(raw: str) -> SpeakerLabel:
    """Read a name given outright (a WebVTT voice) as a label, name-like or not."""
    label, _ = _classify(raw)
    return label or SpeakerLabel(" ".join(raw.split()))


def strip_honorifics(tokens: list[str]) -> tuple[list[str], bool]:
    """Drop leading honorifics ("MR.", "ADM.", "Amb.") while a name remains."""
    rest = list(tokens)
    found = False
    while len(rest) > 1 and rest[0].lower().strip(".,") in _LEADING:
        found = found or rest[0].lower().strip(".,") != "the"
        rest.pop(0)
    return rest, found


def is_name(text: str) -> bool:
    """Return whether text reads as a person's name (1-5 words, no prose)."""
    tokens = text.split()
    if not 1 <= len(tokens) <= 5:
        return False
    if all(is_cjk(t) for t in tokens):
        return len(text.replace(" ", "")) <= 12
    lowered = [t.lower().strip(".,") for t in tokens]
    if any(t in COMMON_WORDS for t in lowered) or all(t in TITLE_WORDS for t in lowered):
        return False
    named = [t for t, low in zip(tokens, lowered, strict=True) if low not in PARTICLES]
    return bool(named) and all(_NAME_TOKEN.match(t) and t[0].isupper() for t in named)


def is_cjk(text: str) -> bool:
    """Return whether text is written in Chinese, Japanese or Korean script."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(_CJK.match(c) for c in letters)


def has_cjk(text: str) -> bool:
    """Return whether text contains any Chinese, Japanese or Korean letter."""
    return bool(_CJK.search(text))


def name_key(name: str) -> str:
    """Fold a name for matching: case, dots and spacing ignored."""
    return " ".join(name.casefold().replace(".", " ").split())


def display_name(name: str) -> str:
    """Write an all-capitals name in ordinary capitals ("MARC KNAPPER" -> "Marc Knapper")."""
    if name.upper() != name or not any(c.isalpha() for c in name):
        return name
    return " ".join(_capitalise(word) for word in name.split())


def _capitalise(word: str) -> str:
    """Capitalise a word and each part after a hyphen or apostrophe."""
    if word.lower() in PARTICLES:
        return word.lower()
    parts = re.split(r"([-'\u2019.])", word.lower())
    return "".join(p[:1].upper() + p[1:] for p in parts)


def roster_keys(names: list[str]) -> frozenset[str]:
    """Return the folded full names, surnames and given names labels may use."""
    keys: set[str] = set()
    for name in names:
        parts = name_key(name).split()
        keys.update({" ".join(parts), parts[0], parts[-1]} if parts else set())
    return frozenset(keys)


def confirmed(cand: LabelCandidate, roster: frozenset[str], count: int) -> bool:
    """Return whether a label is certain: audience/role, honorific, listed, or repeated."""
    if cand.label.kind != "person" or cand.honorific or count >= 2:
        return True
    return cand.key in roster


def plausible(cand: LabelCandidate, has_roster: bool) -> bool:
    """Return whether an unconfirmed label still reads as one at a paragraph start."""
    if cand.allcaps or is_cjk(cand.label.name):
        return True
    return cand.words >= 2 and not has_roster
