"""Verifying quotes against long evidence: cost must grow with the evidence, not quotes x evidence.

Run: python benchmarks/bench_verify.py [--quotes 200 --turns 90 --words 5000]. Builds a
transcript of long turns and quotes of every kind (verbatim, case-only, changed words,
elided, someone else's, not said), times ``verify_briefing``, and ``check`` on the sample.
Prints PASS or MISS against issue 14's targets (< 5 s; the sample's check < 0.3 s).
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from briefgen.source.model import Briefing  # noqa: E402
from briefgen.verify.quotes import Status, verify_briefing  # noqa: E402

TARGET_S = 5.0
CHECK_TARGET_S = 0.3
_WORDS = (
    "the of and to a in that is for on it as with was by at be this are from or an but "
    "not trade export controls alliance seoul tokyo washington security dispute measures "
    "talks whitelist agreement pact history trust leaders governments markets "
    "semiconductors chemicals ministry officials partners region economy supply chains "
    "intelligence sharing"
)
VOCABULARY = _WORDS.split()


def corpus(turns: int, words: int, seed: int = 7) -> list[str]:
    """Return the texts of ``turns`` turns of ``words`` words, drawn from a small vocabulary."""
    rng = random.Random(seed)
    texts = []
    for _ in range(turns):
        tokens = [rng.choice(VOCABULARY) for _ in range(words)]
        for k in range(0, words, 17):
            tokens[k] = tokens[k].capitalize()
            tokens[k - 1] += "."
        texts.append(" ".join(tokens))
    return texts


def quotes(texts: list[str], count: int, seed: int = 11) -> list[tuple[str, int]]:
    """Return (quote text, index of the turn it is taken from) of every kind in turn."""
    rng = random.Random(seed)
    found = []
    for n in range(count):
        turn = rng.randrange(len(texts))
        words = texts[turn].split()
        start = rng.randrange(len(words) - 30)
        picked = words[start : start + rng.randrange(8, 24)]
        kind = n % 6
        if kind == 1:
            picked = [w.lower() for w in picked]
        elif kind == 2:
            picked[len(picked) // 2] = "bananas"
        elif kind == 3:
            picked = [*picked[:3], "...", *picked[-4:]]
        elif kind == 4:
            turn = (turn + 1) % len(texts)  # someone else's words
        elif kind == 5:
            picked = ["never", "said", "anything", "like", "this", "at", "all", "today"]
        found.append((" ".join(picked), turn))
    return found


def briefing(texts: list[str], picked: list[tuple[str, int]]) -> Briefing:
    """Return a source with one speaker per turn and the quotes attributed."""
    speakers = [
        {
            "id": f"s{n}",
            "name": f"Person {n}",
            "title": "Fellow",
            "affiliation": "Institute",
            "present": True,
        }
        for n in range(len(texts))
    ]
    return Briefing.model_validate(
        {
            "event": {
                "title": "Benchmark",
                "date": "2019-08-07",
                "host": "Institute",
                "location": "Washington",
                "summary": "Benchmark.",
            },
            "sides": [{"id": "a", "name": "A", "summary": "A."}],
            "speakers": speakers,
            "sources": [{"id": "transcript", "kind": "transcript", "title": "T", "publisher": "I"}],
            "transcript": [{"speaker": f"s{n}", "text": t} for n, t in enumerate(texts)],
            "quotes": [
                {"id": f"q{n}", "speaker": f"s{turn}", "text": text, "source": "transcript"}
                for n, (text, turn) in enumerate(picked)
            ],
        }
    )


def main() -> None:
    """Time verification of the generated source, then check on the sample."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quotes", type=int, default=200)
    parser.add_argument("--turns", type=int, default=90)
    parser.add_argument("--words", type=int, default=5000)
    args = parser.parse_args()
    texts = corpus(args.turns, args.words)
    source = briefing(texts, quotes(texts, args.quotes))
    started = time.perf_counter()
    verdicts = verify_briefing(source, REPO)
    elapsed = time.perf_counter() - started
    counts = {status.value: sum(v.status is status for v in verdicts) for status in Status}
    shape = f"{args.quotes} quotes against {args.turns} turns of {args.words} words"
    verdict = "PASS" if elapsed < TARGET_S else "MISS"
    print(f"verify {shape}: {elapsed:.2f} s (target < {TARGET_S:g} s): {verdict}")
    print("  verdicts: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "briefgen", "check", "sources"],
            cwd=REPO,
            check=True,
            capture_output=True,
        )
        runs.append(time.perf_counter() - started)
    best = min(runs)
    verdict = "PASS" if best < CHECK_TARGET_S else "MISS"
    print(
        f"check on the sample: {best:.3f} s, best of 5 (target < {CHECK_TARGET_S:g} s): {verdict}"
    )


if __name__ == "__main__":
    main()
