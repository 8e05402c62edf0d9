"""briefgen beside Pelican and Hugo on equal content: `python benchmarks/bench_peers.py`.

It writes the synthetic events of bench_build.py (people and sides recurring across events,
24 quotes per event verified against an 80-turn transcript) as a briefgen workspace, and the
same text as a Pelican site and a Hugo site: one article per event with its bottom line,
background, every side's stance on every topic, the quotes and the transcript, tagged with its
topics and authored by its speakers, so that each tool also makes a page per topic and person.
Each site is built from scratch as a whole process, median of 3; it prints events per second
and briefgen's speed as a ratio of each peer's, with PASS or MISS against issue 16's targets
(at least 1.0x Pelican, at least 0.2x Hugo).

Pelican is installed from PyPI into a virtual environment kept in ~/.cache/briefgen-bench;
Hugo is Debian's `hugo`, measured when it is on the PATH.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import POOLS, REPO, event, machine, pools, write_workspace

TARGETS = {"Pelican": 1.0, "Hugo": 0.2}
RUNS = 3
PELICAN = "pelican>=4.9"
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "briefgen-bench"


def article_markdown(data: dict[str, Any]) -> str:
    """Return one event's briefing text as Markdown, the same words briefgen renders."""
    event_data = data["event"]
    names = {s["id"]: s["name"] for s in data["speakers"]}
    sides = {s["id"]: s["name"] for s in data["sides"]}
    topics = {t["id"]: t["title"] for t in data["topics"]}
    parts = [
        f"## Bottom line\n\n{event_data['summary']}",
        f"## Background\n\n{event_data['background']}",
    ]
    parts.append("## Where the sides stand")
    for position in data["positions"]:
        side, topic = sides[position["side"]], topics[position["topic"]]
        parts.append(f"- **{side}** on *{topic}*: {position['stance']}")
    parts.append("## Quotes")
    parts += [f"> {q['text']}\n>\n> — {names[q['speaker']]}" for q in data["quotes"]]
    parts.append("## Transcript")
    parts += [f"**{names[t['speaker']]}** ({t['time']}): {t['text']}" for t in data["transcript"]]
    return "\n\n".join(parts) + "\n"


def write_pelican(root: Path, events: list[dict[str, Any]]) -> None:
    """Write a Pelican site: a Markdown article per event, tagged and authored like briefgen's."""
    content = root / "content"
    content.mkdir(parents=True)
    for n, data in enumerate(events, 1):
        head = [
            f"Title: {data['event']['title']}",
            f"Date: {data['event']['date']}",
            f"Slug: event-{n:04d}",
            f"Tags: {', '.join(t['title'] for t in data['topics'])}",
            f"Authors: {', '.join(s['name'] for s in data['speakers'])}",
            f"Summary: {data['event']['summary']}",
        ]
        text = "\n".join(head) + "\n\n" + article_markdown(data)
        (content / f"event-{n:04d}.md").write_text(text, encoding="utf-8")
    (root / "pelicanconf.py").write_text(
        'SITENAME = "Briefings"\nSITEURL = ""\nPATH = "content"\nTIMEZONE = "UTC"\n'
        'DEFAULT_LANG = "en"\nFEED_ALL_ATOM = "feeds/all.atom.xml"\nDEFAULT_PAGINATION = 50\n'
        "RELATIVE_URLS = True\nCACHE_CONTENT = False\nLOAD_CONTENT_CACHE = False\n",
        encoding="utf-8",
    )


def write_hugo(root: Path, events: list[dict[str, Any]]) -> None:
    """Write a Hugo site with a minimal theme: one page per event, tags and authors taxonomies."""
    posts = root / "content" / "posts"
    posts.mkdir(parents=True)
    for n, data in enumerate(events, 1):
        tags = ", ".join(f'"{t["title"]}"' for t in data["topics"])
        authors = ", ".join(f'"{s["name"]}"' for s in data["speakers"])
        head = (
            f'---\ntitle: "{data["event"]["title"]}"\ndate: {data["event"]["date"]}\n'
            f"tags: [{tags}]\nauthors: [{authors}]\n---\n\n"
        )
        (posts / f"event-{n:04d}.md").write_text(head + article_markdown(data), encoding="utf-8")
    (root / "hugo.toml").write_text(
        'baseURL = "/"\ntitle = "Briefings"\n[taxonomies]\ntag = "tags"\nauthor = "authors"\n'
        "[pagination]\npagerSize = 50\n",
        encoding="utf-8",
    )
    layouts = root / "layouts" / "_default"
    layouts.mkdir(parents=True)
    page = (
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>{{ .Title }}</title>"
        "</head><body><h1>{{ .Title }}</h1>%s</body></html>"
    )
    (layouts / "single.html").write_text(page % "{{ .Content }}", encoding="utf-8")
    listing = (
        "<ul>{{ range .Paginator.Pages }}<li><a href='{{ .RelPermalink }}'>{{ .Title }}</a> "
        "{{ .Summary }}</li>{{ end }}</ul>"
    )
    (layouts / "list.html").write_text(page % listing, encoding="utf-8")
    terms = (
        "<ul>{{ range .Data.Terms.Alphabetical }}<li><a href='{{ .Page.RelPermalink }}'>"
        "{{ .Page.Title }}</a></li>{{ end }}</ul>"
    )
    (layouts / "terms.html").write_text(page % terms, encoding="utf-8")


def pelican_command() -> list[str] | None:
    """Return the command of Pelican in the bench's own environment, installing it if need be."""
    venv = CACHE / "pelican-venv"
    pelican = venv / "bin" / "pelican"
    if not pelican.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        install = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", PELICAN, "markdown"]
        if subprocess.run(install).returncode != 0:
            return None
    return [str(pelican)]


def median_build(command: list[str], cwd: Path, output: Path) -> float:
    """Build from scratch ``RUNS`` times as a whole process; return the median wall time."""
    times = []
    for _ in range(RUNS):
        shutil.rmtree(output, ignore_errors=True)
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def peer_times(folder: Path, count: int, seed: int) -> dict[str, float]:
    """Write ``count`` events as each tool's site under ``folder``; return each build's median."""
    pool = pools(seed, POOLS)
    events = [event(seed, n, f"event-{n:04d}", pool)[0] for n in range(1, count + 1)]
    write_workspace(folder / "briefgen", count, seed)
    briefgen = [sys.executable, "-m", "briefgen", "build", "--no-pdf", "--force"]
    env_path = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env_path]))
    results = {
        "briefgen": median_build(briefgen, folder / "briefgen", folder / "briefgen" / "output")
    }
    pelican = pelican_command()
    if pelican is not None:
        write_pelican(folder / "pelican", events)
        command = [*pelican, "content", "-o", "output", "-s", "pelicanconf.py", "-q"]
        results["Pelican"] = median_build(
            command, folder / "pelican", folder / "pelican" / "output"
        )
    hugo = shutil.which("hugo")
    if hugo is not None:
        write_hugo(folder / "hugo", events)
        command = [hugo, "--quiet", "--destination", "public"]
        results["Hugo"] = median_build(command, folder / "hugo", folder / "hugo" / "public")
    return results


def verdicts(results: dict[str, float]) -> list[tuple[str, str, str, bool | None]]:
    """Return briefgen's speed against each peer: label, ratio, target, met (None: not measured)."""
    ours = results["briefgen"]
    found: list[tuple[str, str, str, bool | None]] = []
    for peer, target in TARGETS.items():
        if peer not in results:
            found.append(
                (f"briefgen vs {peer}", f"not measured ({peer} is not installed)", "", None)
            )
            continue
        ratio = results[peer] / ours
        found.append(
            (f"briefgen vs {peer}", f"{ratio:.2f}x its speed", f">= {target:g}x", ratio >= target)
        )
    return found


def main() -> None:
    """Write the three sites, build each, print the speeds side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print(f"{args.events} events; each site built from scratch {RUNS} times (median)")
    folder = Path(tempfile.mkdtemp(prefix="briefgen-peers-"))
    try:
        results = peer_times(folder, args.events, args.seed)
        print(f"{'tool':10} {'seconds':>8} {'events/s':>9}")
        for name, seconds in results.items():
            print(f"{name:10} {seconds:8.2f} {args.events / seconds:9.1f}")
        for label, value, target, met in verdicts(results):
            verdict = "" if met is None else ("PASS" if met else "MISS")
            print(f"{label}: {value} (target {target}): {verdict}".replace(" (target ): ", ""))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
