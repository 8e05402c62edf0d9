"""Whatever text a source holds, feed.xml and sitemap.xml parse as XML (or check refuses it)."""

from __future__ import annotations

import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from _workspace import VALID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.build import build
from briefgen.errors import SourceError

# Any code point but surrogates, with the characters XML and YAML care about made likely.
TEXT = st.text(
    st.one_of(
        st.characters(blacklist_categories=["Cs"]),
        st.sampled_from(list("<>&\"'\x00\x01\x08\x0b\x1b\x7f\x85\ufffe\uffff]]>")),
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXT, summary=TEXT, host=TEXT)
def test_feed_and_sitemap_always_parse(title: str, summary: str, host: str) -> None:
    data = yaml.safe_load(VALID)
    data["event"].update(title=title, summary=summary, host=host)
    data["sources"][0].pop("file")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "sources").mkdir()
        (root / "briefgen.yaml").write_text('base_url: "https://briefings.example.org/"\n')
        (root / "sources" / "event.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
        )
        try:
            build([root / "sources"], pdf=False)
        except SourceError as exc:  # refused with located errors: fine, nothing published
            assert all(d.line >= 1 for d in exc.diagnostics)
            assert not (root / "output").exists()
            return
        for name in ("feed.xml", "sitemap.xml"):
            ET.parse(root / "output" / name)  # raises on anything that is not XML


def test_a_control_character_never_reaches_the_feed(tmp_path: Path) -> None:
    data = yaml.safe_load(VALID)
    data["event"]["title"] = "Trade \x1b talks"
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "event.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(SourceError, match="control character U\\+001B"):
        build([tmp_path / "sources"], pdf=False)
