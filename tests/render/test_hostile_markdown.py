"""Markdown built to make Python-Markdown slow or crash renders in linear time, whole."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from _workspace import replace, write

from briefgen.render import markdown

HANG_S = 300  # a hang guard only: each of these renders in well under a second

HOSTILE = {
    "open brackets": "[" * 50_000,
    "unclosed links": "[a](" * 12_000,
    "unclosed parentheses": "(" * 50_000,
    "unclosed autolinks": "<http://a" * 5_000,
    "open angle brackets": "<" * 50_000,
    "nested bullets": "- " * 500 + "x",
    "nested numbers": "1. " * 3_000 + "x",
    "quoted bullets": "> " * 1_000 + "- " * 1_000 + "x",
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_the_parser_sees_no_unmatched_brackets_and_no_deep_nesting(text: str) -> None:
    bounded = markdown._bounded(text)
    # what made the parser quadratic (a scan per unmatched opener) is gone: stand-ins instead
    for opener, closer in (("[", "]"), ("(", ")"), ("<", ">")):
        assert len(markdown._unmatched(bounded, opener, closer)) <= markdown.UNMATCHED_LIMIT
    for line in bounded.splitlines():
        assert line.count("- ") + line.count("1. ") <= markdown.MAX_DEPTH + 1


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_markdown_renders_and_keeps_its_text(text: str) -> None:
    html = str(markdown.markdown_to_html(text))
    depth = max(len(re.findall(r"<(?:ul|ol|blockquote)>", html)), 0)
    assert depth <= 2 * markdown.MAX_DEPTH + 1
    if text.startswith("["):
        assert html.count("[") == text.count("[")  # the brackets are shown, not lost
    if text.startswith("<"):
        assert "<http" not in html and html.count("&lt;") == text.count("<")


def test_a_few_unmatched_brackets_are_left_to_markdown() -> None:
    text = "See [the report](https://example.com) (para 3 and [1."
    assert markdown._bounded(text) == text
    assert '<a href="https://example.com"' in str(markdown.markdown_to_html(text))


def test_a_source_full_of_hostile_markdown_checks_and_builds(tmp_path: Path) -> None:
    fields = "".join(f"  - {text!r}\n" for text in HOSTILE.values())
    text = replace("sources:\n", f"takeaways:\n{fields}sources:\n")
    write(tmp_path, text)
    for command in (["check"], ["build", "--no-pdf"]):
        done = subprocess.run(
            [sys.executable, "-m", "briefgen", *command, str(tmp_path / "sources")],
            capture_output=True,
            text=True,
            timeout=HANG_S,
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Traceback" not in done.stderr
    page = (tmp_path / "output" / "event" / "index.html").read_text(encoding="utf-8")
    assert "[" * 1000 in page


@pytest.mark.parametrize(
    ("written", "href"),
    [
        ("//evil.example/x", "https://evil.example/x"),
        ("/\\evil.example/x", "https://evil.example/x"),
        (" //evil.example/x", "https://evil.example/x"),
        ("../speakers/knapper.html", "../speakers/knapper.html"),
        ("/about.html", "/about.html"),
    ],
)
def test_protocol_relative_links_are_external(written: str, href: str) -> None:
    html = str(markdown.markdown_to_html(f"[the page](<{written}>)"))
    assert f'href="{href}"' in html, html


@pytest.mark.parametrize("tag", ["style", "script", "STYLE", "iframe", "template"])
def test_an_unclosed_dropped_tag_keeps_the_text_after_it(tag: str) -> None:
    html = str(markdown.markdown_to_html(f"Before <{tag}> the rest.\n\nNext paragraph."))
    assert "the rest." in html and "Next paragraph." in html
    assert f"&lt;{tag}&gt;" in html  # shown as written, never run


def test_a_closed_script_is_still_dropped_whole() -> None:
    html = str(markdown.markdown_to_html("Before <script>alert(1)</script> after."))
    assert "alert" not in html and "after." in html


def test_many_unclosed_tags_render_in_one_pass() -> None:
    html = str(markdown.markdown_to_html("<style>x " * 5_000))
    assert html.count("&lt;style&gt;") == 5_000
