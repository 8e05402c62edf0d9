"""Regenerate the golden HTML in tests/golden/: `python scripts/regen_golden.py`.

The goldens are the sample source (with a fixed example configuration) and the fixture
workspace under tests/fixtures/workspace, rendered with a fixed revision and date, so
they never depend on today's date. The generator tag is normalised, so that a version
bump alone does not change them. tests/test_render.py compares against them exactly.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from briefgen.render.environment import Renderer, generator  # noqa: E402
from briefgen.render.meta import BriefingMeta  # noqa: E402
from briefgen.source.config import Config, load_config  # noqa: E402
from briefgen.verify.check import load_sources  # noqa: E402

GOLDEN = REPO / "tests" / "golden"
SAMPLE = REPO / "sources" / "korea-japan-trade-2019.yaml"
SAMPLE_CONFIG = Config(organisation="Example Policy Institute", marking="UNCLASSIFIED")
FIXTURE = REPO / "tests" / "fixtures" / "workspace"
META = BriefingMeta(content_id="0123abc", prepared=dt.date(2024, 5, 1))


def normalise(html: str) -> str:
    """Replace the version-dependent generator text with a fixed marker."""
    return html.replace(generator(), "briefgen VERSION")


def _workspace_pages(prefix: str, renderer: Renderer, sources: list) -> dict[str, str]:
    """Render each source's page and print HTML, and the index of them all."""
    pages = {f"{prefix}/index.html": renderer.index_page([(s, META) for s in sources])}
    for source in sources:
        pages[f"{prefix}/{source.slug}/index.html"] = renderer.briefing_page(source, META)
        pages[f"{prefix}/{source.slug}/print.html"] = renderer.briefing_print(source, META)
    return pages


def golden_pages() -> dict[str, str]:
    """Return every golden page (relative path -> normalised HTML), rendered afresh."""
    sample = load_sources([SAMPLE])
    pages = _workspace_pages("sample", Renderer(sample[0].root, SAMPLE_CONFIG), sample)
    fixture = load_sources(sorted((FIXTURE / "sources").glob("*.yaml")))
    renderer = Renderer(FIXTURE, load_config(FIXTURE))
    pages |= _workspace_pages("fixture", renderer, fixture)
    return {name: normalise(html) for name, html in pages.items()}


def main() -> None:
    """Write the goldens, replacing any old ones."""
    for old in GOLDEN.rglob("*.html"):
        old.unlink()
    for name, html in golden_pages().items():
        path = GOLDEN / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        print(f"wrote {path.relative_to(REPO)}")


if __name__ == "__main__":
    main()
