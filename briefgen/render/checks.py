"""Each quote's verification as the briefing shows it: a plain verdict and a link to its words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from briefgen.render.cjk import cjk
from briefgen.render.transcript import MARKED, evidence_texts, verdicts
from briefgen.render.views import REPORT_KINDS
from briefgen.source.model import Briefing, Quote
from briefgen.verify.check import LoadedSource
from briefgen.verify.quotes import Status, Verdict


@dataclass(frozen=True)
class QuoteCheck:
    """What the briefing says about one quote's verification, and where its words are."""

    state: str  # "verified", "near-miss" or "unverified"
    text: str
    print_text: str
    href: str | None = None  # from the briefing page to the passage


def _where(b: Briefing, quote: Quote, anchor: str) -> tuple[str, str]:
    """Describe a passage: (href from the briefing, what it is and where, in words)."""
    number = int(anchor[2:])
    if anchor.startswith("t-"):
        time = b.transcript[number - 1].time if number <= len(b.transcript) else None
        return f"transcript.html#{anchor}", f"the transcript, {time or f'turn {number}'}"
    source = next(s for s in b.sources if s.id == quote.source)
    kind = "report" if source.kind.strip().lower() in REPORT_KINDS else source.kind.strip()
    publisher = source.publisher.removeprefix("The ").removeprefix("the ")
    where = f"the {publisher} {kind}, para {number}"
    return f"sources/{quote.source}.html#{anchor}", where


def quote_check(b: Briefing, quote: Quote, verdict: Verdict) -> QuoteCheck:
    """Say plainly whether a quote verified, what that means, and link to where it occurs."""
    if verdict.status not in MARKED or verdict.anchor is None:
        reason = verdict.message.removeprefix("unverifiable: ")
        return QuoteCheck("unverified", f"Not verified: {reason}", f"! Not verified: {reason}")
    href, where = _where(b, quote, verdict.anchor)
    if verdict.status is Status.VERIFIED:
        text = f"Verified: matches the words of {where}"
        return QuoteCheck("verified", text, f"✓ {text}", href)
    text = f"Not verified: the wording differs from {where}"
    return QuoteCheck("near-miss", text, f"! {text}", href)


def check_context(source: LoadedSource) -> dict[str, Any]:
    """Return what the briefing templates add: a check per quote anchor, and CJK tagging."""
    b = source.briefing
    found = zip(b.quote_ids(), b.quotes, verdicts(source), strict=True)
    checks = {anchor: quote_check(b, quote, verdict) for anchor, quote, verdict in found}
    pages = {evidence.source.id for evidence in evidence_texts(source)}
    return {"checks": checks, "cjk": cjk, "evidence_pages": pages}
