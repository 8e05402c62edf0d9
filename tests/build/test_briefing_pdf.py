"""The principal's briefing, read back from real PDFs: the one-page memo, the full brief's order."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from _pages import page_texts, squashed
from _workspace import sample_workspace
from pypdf import PdfReader

from briefgen.build import BuildResult, build
from briefgen.errors import RenderError

SAMPLE = "korea-japan-trade-2019"
EPOCH = 1565170200


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, BuildResult]]:
    """The sample workspace built once, PDFs included."""
    root = sample_workspace(tmp_path_factory.mktemp("brief"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        yield root, build([root / "sources"])


@pytest.fixture(scope="module")
def source() -> dict:  # type: ignore[type-arg]
    """The sample source as data."""
    path = Path(__file__).resolve().parents[2] / "sources" / f"{SAMPLE}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def memo(built: tuple[Path, BuildResult]) -> Path:
    """Return the memo PDF's path."""
    return built[0] / "output" / SAMPLE / f"{SAMPLE}-memo.pdf"


def full(built: tuple[Path, BuildResult]) -> Path:
    """Return the full brief PDF's path."""
    return built[0] / "output" / SAMPLE / f"{SAMPLE}.pdf"


def test_the_memo_is_one_page_and_the_full_brief_five_at_most(
    built: tuple[Path, BuildResult],
) -> None:
    assert len(PdfReader(memo(built)).pages) == 1
    assert len(PdfReader(full(built)).pages) <= 5
    assert (built[0] / "output" / SAMPLE / "memo.html").is_file()


def test_the_memo_puts_the_news_first(built: tuple[Path, BuildResult], source: dict) -> None:  # type: ignore[type-arg]
    (text,) = page_texts(memo(built))
    flat = squashed(text)
    order = [
        squashed(source["event"]["headline"]),
        "BOTTOMLINE",
        "TAKEAWAYS",
        "QUESTIONSTOASK",
        "WHERETHESIDESSTAND",
        "KEYQUOTES",
    ]
    found = [flat.find(part) for part in order]
    assert -1 not in found, dict(zip(order, found, strict=True))
    assert found == sorted(found)
    keys = [q for q in source["quotes"] if q.get("key")]
    assert 1 <= len(keys) <= 3
    for quote in keys:
        assert squashed(quote["text"]) in flat
    for quote in source["quotes"]:
        if not quote.get("key") and squashed(quote["text"]) in flat:
            pytest.fail(f"the memo carries a quote that is not key: {quote['text']}")


def test_takeaways_and_questions_come_first(
    built: tuple[Path, BuildResult],
    source: dict,  # type: ignore[type-arg]
) -> None:
    memo_page = squashed(page_texts(memo(built))[0])
    first_two = squashed("".join(page_texts(full(built))[:2]))
    for item in source["takeaways"] + source["questions"]:
        words = squashed(re.sub(r"[*_]", "", item))
        assert words in memo_page, item
        assert words in first_two, item


def test_every_quote_is_printed_once_in_the_full_brief(
    built: tuple[Path, BuildResult],
    source: dict,  # type: ignore[type-arg]
) -> None:
    flat = squashed("".join(page_texts(full(built))))
    for quote in source["quotes"]:
        assert flat.count(squashed(quote["text"])) == 1, quote["text"]


def test_headings_copy_out_as_words(built: tuple[Path, BuildResult]) -> None:
    # A heading may wrap in the memo's narrow left rail; its letters must not come apart.
    memo_text = re.sub(r"\s+", " ", page_texts(memo(built))[0])
    full_text = re.sub(r"\s+", " ", "".join(page_texts(full(built))))
    for heading in ("BOTTOM LINE", "TAKEAWAYS", "QUESTIONS TO ASK", "KEY QUOTES"):
        assert heading in memo_text, heading
    assert "BOTTOM LINE" in full_text
    for heading in ("Where the sides stand", "Each side’s view", "Annex B · Quotes"):
        assert heading in full_text, heading


def test_full_brief_orders_so_what_first(built: tuple[Path, BuildResult]) -> None:
    flat = squashed("".join(page_texts(full(built))))
    order = ["BOTTOMLINE", "Takeaways", "Questionstoask", "Wherethesidesstand", "Eachside’sview"]
    order += ["AnnexA·Background", "AnnexB·Quotes", "AnnexC·Participants", "AnnexD·Sources"]
    found = [flat.find(part) for part in order]
    assert -1 not in found and found == sorted(found), dict(zip(order, found, strict=True))


def test_body_lines_are_65_to_80_characters(built: tuple[Path, BuildResult]) -> None:
    text = "".join(page_texts(full(built)))
    # Lines of running prose: long lines without the '·' separators of meta lines.
    lines = [len(line) for line in text.splitlines() if len(line) > 55 and "·" not in line]
    assert len(lines) > 40
    assert 65 <= statistics.median(lines) <= 80


def font_sizes(pdf: Path) -> set[float]:
    """Return the effective size of every run of text in a PDF, in points."""
    sizes: set[float] = set()

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            scale = abs(tm[3] * cm[3]) or abs(tm[0] * cm[0]) or 1
            sizes.add(round(size * scale, 2))

    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def test_no_text_is_smaller_than_8_5_points(built: tuple[Path, BuildResult]) -> None:
    for pdf in (memo(built), full(built)):
        sizes = font_sizes(pdf)
        assert sizes and min(sizes) >= 8.5, (pdf.name, sorted(sizes)[:5])


def test_a_memo_too_long_fails_the_build_naming_what_to_cut(tmp_path: Path) -> None:
    root = sample_workspace(tmp_path)
    path = root / "sources" / f"{SAMPLE}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    padding = " ".join(["The allies must weigh every option before they act."] * 60)
    data["event"]["summary"] = padding
    data["takeaways"] = [f"{padding[:600]} ({n})" for n in range(5)]
    data["questions"] = [f"{padding[:600]}? ({n})" for n in range(5)]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(RenderError) as raised:
        build([root / "sources"])
    message = str(raised.value)
    assert "the memo runs to" in message and "2 at most" in message
    assert message.index("the bottom line") < message.index("the 5 takeaways")
    assert "words)" in message
    assert not (root / "output" / SAMPLE / f"{SAMPLE}-memo.pdf").exists()  # nothing half-made
