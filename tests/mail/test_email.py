"""`briefgen email`: a summary to paste, wrapped at 72 columns, and an .eml a mail client opens."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

import yaml
from _workspace import sample_workspace
from click.testing import CliRunner

from briefgen.build import build
from briefgen.cli import main
from briefgen.source.config import load_config

SAMPLE = "korea-japan-trade-2019"


def run(root: Path, *args: str) -> str:
    """Run `briefgen email` on the sample in ``root``; return what it printed."""
    result = CliRunner().invoke(
        main, ["email", SAMPLE, "--dir", str(root / "sources"), "-o", str(root / "output"), *args]
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_the_summary_is_wrapped_and_holds_the_so_what(tmp_path: Path) -> None:
    root = sample_workspace(tmp_path)
    text = run(root)
    lines = text.splitlines()
    assert lines[0].startswith("Subject: ") and "U.S. asks Seoul and Tokyo" in lines[0]
    assert all(len(line) <= 72 for line in lines[1:]), [x for x in lines if len(x) > 72]
    marking = load_config(root).marking
    assert marking and lines[2] == marking and lines[-1] == marking
    flat = " ".join(text.split())
    assert "BOTTOM LINE Washington holds both allies responsible." in flat
    assert "TAKEAWAYS - Even-handed. Knapper held both governments" in flat
    assert (
        "Seminar on the Korea–Japan trade dispute, The Heritage Foundation, 7 August 2019" in flat
    )


def test_changes_since_the_last_revision_and_the_published_link(tmp_path: Path) -> None:
    root = sample_workspace(tmp_path)
    config = root / "briefgen.yaml"
    data = yaml.safe_load(config.read_text()) or {}
    data["base_url"] = "https://briefings.example.org/"
    config.write_text(yaml.safe_dump(data, allow_unicode=True))
    build([root / "sources"], pdf=False)
    path = root / "sources" / f"{SAMPLE}.yaml"
    path.write_text(path.read_text().replace("Tokyo denies it.", "Tokyo still denies it.", 1))
    build([root / "sources"], pdf=False)
    flat = " ".join(run(root).split())
    assert "CHANGES SINCE REVISION 1" in flat
    assert f"FULL BRIEFING https://briefings.example.org/{SAMPLE}/index.html" in flat


def test_the_eml_is_a_multipart_alternative_message(tmp_path: Path) -> None:
    root = sample_workspace(tmp_path)
    eml = tmp_path / "summary.eml"
    printed = run(root, "--eml", str(eml))
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert message.get_content_type() == "multipart/alternative"
    assert "U.S. asks Seoul and Tokyo" in str(message["Subject"])
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    assert "Washington holds both allies responsible." in " ".join(text.get_content().split())
    assert text.get_content().replace("\r\n", "\n").strip() in printed
    page = html.get_content()
    assert "<h1" in page and "style=" in page and "<img" not in page and "<link" not in page
    assert "<script" not in page


def test_an_unknown_slug_is_a_usage_error(tmp_path: Path) -> None:
    root = sample_workspace(tmp_path)
    result = CliRunner().invoke(main, ["email", "nope", "--dir", str(root / "sources")])
    assert result.exit_code == 2 and "no source 'nope'" in result.output
