"""Arbitrary and mutated YAML: check passes or reports located errors, never crashes or hangs."""

from __future__ import annotations

import tempfile
from pathlib import Path

from _workspace import REPO, VALID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.errors import Severity
from briefgen.verify.check import check_paths

SAMPLE = (REPO / "sources" / "korea-japan-trade-2019.yaml").read_text(encoding="utf-8")
YAMLISH = st.sampled_from(
    [*":-[]{}&*!|>'\"#%@`,?\t\n ", "no", "1.10", "010", "~", "---", "...", "<<", "&a", "*a"]
)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_located(text: str | bytes) -> None:
    """Check the text as a source file; every diagnostic must point inside the file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sources" / "fuzz.yaml"
        path.parent.mkdir()
        path.write_bytes(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
        report = check_paths([path])
    lines = (text.count("\n") if isinstance(text, str) else text.count(b"\n")) + 1
    for diagnostic in report.diagnostics:
        assert 1 <= diagnostic.line <= lines + 1, diagnostic.format()
        assert diagnostic.column >= 1 and diagnostic.message
        assert diagnostic.format().startswith(str(path))
    if not report.errors:
        assert report.sources, "a source with no errors must load"
    if report.sources:
        assert not any(d.severity is Severity.ERROR for d in report.diagnostics)


@FUZZ
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_arbitrary_text(text: str) -> None:
    assert_located(text)


@FUZZ
@given(st.lists(YAMLISH | st.text(max_size=5), max_size=60).map("".join))
def test_yaml_punctuation_soup(text: str) -> None:
    assert_located(text)


@FUZZ
@given(st.binary(max_size=200))
def test_arbitrary_bytes(data: bytes) -> None:
    assert_located(data)


@st.composite
def mutated(draw: st.DrawFn, base: str) -> str:
    """Apply a few line-level and character-level edits a hurried staffer might make."""
    lines = base.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        n = draw(st.integers(0, len(lines) - 1))
        action = draw(
            st.sampled_from(["delete", "duplicate", "insert", "swap", "indent", "replace"])
        )
        if action == "delete" and len(lines) > 1:
            del lines[n]
        elif action == "duplicate":
            lines.insert(n, lines[n])
        elif action == "insert":
            at = draw(st.integers(0, len(lines[n])))
            lines[n] = lines[n][:at] + draw(YAMLISH | st.text(max_size=3)) + lines[n][at:]
        elif action == "swap":
            m = draw(st.integers(0, len(lines) - 1))
            lines[n], lines[m] = lines[m], lines[n]
        elif action == "indent":
            lines[n] = draw(st.sampled_from([" ", "\t", "   "])) + lines[n]
        elif ": " in lines[n]:
            key = lines[n].split(": ", 1)[0]
            lines[n] = key + ": " + draw(YAMLISH | st.text(max_size=8))
    return "\n".join(lines)


@FUZZ
@given(mutated(SAMPLE))
def test_mutated_sample(text: str) -> None:
    assert_located(text)


@FUZZ
@given(mutated(VALID))
def test_mutated_small_source(text: str) -> None:
    assert_located(text)
