"""State read back from the output is trusted only if this user's builds sealed it."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from _workspace import LATER, SAMPLE, two_event_workspace

from briefgen.build import build
from briefgen.build.seal import sealed, sealed_text, state_folder, unsealed, unsealed_text


def test_a_seal_holds_for_what_was_written_and_breaks_on_any_change() -> None:
    data = {"key": "abc", "briefing": {"title": "Seminar"}, "n": [1, 2.5, None, True]}
    written = json.loads(json.dumps(sealed(data), indent=1))
    assert unsealed(written) == data
    written["briefing"]["title"] = "Planted"
    assert unsealed(written) is None
    assert unsealed({"key": "abc"}) is None, "no seal, no trust"
    assert unsealed(["not", "an", "object"]) is None
    text = sealed_text(b"event:\n  title: Seminar\n")
    assert unsealed_text(text) == b"event:\n  title: Seminar\n"
    assert unsealed_text(text.replace(b"Seminar", b"Planted")) is None
    assert unsealed_text(b"event:\n  title: Planted\n") is None


def test_the_secret_is_kept_outside_the_output_readable_by_its_user_only() -> None:
    sealed({})
    secret = state_folder() / "secret"
    assert secret.is_file() and len(secret.read_bytes()) == 32
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert Path(os.environ["XDG_STATE_HOME"]) in secret.parents


def test_a_planted_cache_puts_no_text_on_a_page(tmp_path: Path) -> None:
    root = two_event_workspace(tmp_path)
    out = root / "output"
    build([root / "sources"], pdf=False)
    cache = out / ".briefgen" / "cache" / f"{SAMPLE}.json"
    data = json.loads(cache.read_bytes())
    title = data["briefing"]["event"]["title"]
    data["briefing"]["event"]["title"] = "Planted headline"  # same key, so it would be used
    cache.write_text(json.dumps(data), encoding="utf-8")
    source = root / "sources" / f"{LATER}.yaml"  # the site is rebuilt from the caches
    source.write_text(source.read_text().replace("keep talking;", "keep negotiating;"))
    build([root / "sources"], pdf=False)
    pages = [p.read_text(encoding="utf-8") for p in out.rglob("*.html")]
    assert not [page for page in pages if "Planted headline" in page]
    assert any(title in page for page in pages)


def test_a_planted_revision_snapshot_lists_no_changes(tmp_path: Path) -> None:
    root = two_event_workspace(tmp_path)
    out = root / "output"
    build([root / "sources"], pdf=False)
    snapshot = out / ".briefgen" / "revisions" / SAMPLE / "1.yaml"
    original = unsealed_text(snapshot.read_bytes())
    assert original is not None
    planted = original.replace(b"Washington holds both", b"Planted words hold both")
    snapshot.write_bytes(planted)  # as if it had been the old text
    source = root / "sources" / f"{SAMPLE}.yaml"
    source.write_text(source.read_text() + "\n")  # an edit: the snapshot is compared
    build([root / "sources"], pdf=False)
    page = (out / SAMPLE / "index.html").read_text(encoding="utf-8")
    assert "Planted words" not in page
