"""How fast briefgen builds: numbers, not timed tests. `make bench` or
`python benchmarks/bench_build.py [--events 2000] [--small 200] [--pdf-events 20] [--seed 7]`.

It writes synthetic events into a temporary workspace (each: 4 sides, 8 speakers, 6 topics,
24 positions, 24 quotes lifted verbatim from its 80-turn transcript and an article, so that
every quote verifies), runs real builds in fresh processes, and prints each measurement
beside its target with PASS or MISS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SIDES, SPEAKERS_PER_SIDE, TOPICS, TURNS, QUOTES, ARTICLE_QUOTES = 4, 2, 6, 80, 24, 4
# Events draw their sides, people and topics from pools, regulars more often than others: an
# id means the same side, person or topic in every event, as briefgen's site assumes.
# --same-ids makes the pools as small as one event's cast: every event then names the same
# 8 people, 6 topics and 4 sides, and each of their pages gathers all events (a stress case).
POOLS = {"sides": 10, "people": 120, "topics": 24}

_WORDS = (
    "alliance budget cabinet ceasefire coalition committee compliance corridor council "
    "deterrence diplomacy dispute embargo emissions enforcement envoy exports framework "
    "governance grain guarantee harbour industry inflation inspection investment journalists "
    "labour ledger logistics mandate maritime ministers monitoring negotiators observers "
    "oversight parliament partners pipeline ports premium procurement quotas reactors "
    "reconstruction refugees regulators reserves sanctions satellites semiconductors shipping "
    "subsidies summit supply tariffs taxpayers technology tenders treaty tribunal vaccines "
    "verification voters wages warehouses waterways"
)
_VERBS = (
    "protects undermines accelerates delays reshapes funds restrains tests strengthens "
    "weakens clarifies complicates rewards punishes anchors unsettles"
)
_QUALIFIERS = (
    "in the short term|over the next decade|for smaller members|without new money|"
    "unless the courts intervene|at the border|in the coming winter|for the first time|"
    "despite the objections|under the current rules"
)
WORDS, VERBS, QUALIFIERS = _WORDS.split(), _VERBS.split(), _QUALIFIERS.split("|")
FIRST = "Amara Bruno Chen Dana Elif Farid Greta Hiro Ines Jonas Kwame Lena Mateo Nadia Omar Priya"
LAST = "Adeyemi Bauer Castillo Duarte Eriksen Fujita Haddad Ivanova Jensen Kowalski Lindqvist Moran"
PLACES = ("Washington, D.C.", "Brussels", "Geneva", "Singapore", "Nairobi", "London", "Ottawa")
HOSTS = ("Example Policy Institute", "Centre for Strategic Dialogue", "Public Affairs Forum")


def sentence(rng: random.Random) -> str:
    """Return one plausible, practically unique sentence."""
    a, b, c = rng.sample(WORDS, 3)
    return (
        f"The {a} question {rng.choice(VERBS)} our {b} and the {c} agenda "
        f"{rng.choice(QUALIFIERS)}, {rng.choice(WORDS)} {rng.randint(2, 99)} included."
    )


@dataclass(frozen=True)
class Pools:
    """The sides, people and topics events draw on; names fixed by id."""

    sides: list[dict[str, Any]]
    people: list[dict[str, Any]]
    topics: list[dict[str, Any]]


def pools(seed: int, sizes: dict[str, int]) -> Pools:
    """Return pools of the given sizes; the same seed gives the same pools."""
    rng = random.Random(seed)
    names = rng.sample([f"{f} {s}" for f in FIRST.split() for s in LAST.split()], sizes["people"])
    titles = rng.sample(WORDS, sizes["topics"])
    return Pools(
        sides=[{"id": f"side{n:02d}", "name": f"Side {n} bloc"} for n in range(sizes["sides"])],
        people=[{"id": f"p{n:03d}", "name": name} for n, name in enumerate(names)],
        topics=[{"id": f"t{n:02d}", "title": t.title()} for n, t in enumerate(titles)],
    )


def pick(rng: random.Random, pool: list[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    """Draw ``count`` distinct members, the first of the pool (the regulars) most often."""
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(pool))]
    chosen: dict[str, dict[str, Any]] = {}
    while len(chosen) < count:
        member = rng.choices(pool, weights)[0]
        chosen.setdefault(member["id"], member)
    return list(chosen.values())


def _speakers(
    rng: random.Random, sides: list[dict[str, Any]], people: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Two present speakers per side, each as titled at this event."""
    return [
        {
            "id": person["id"],
            "name": person["name"],
            "title": rng.choice(["Senior Fellow", "Director", "Minister", "Professor"]),
            "affiliation": rng.choice(HOSTS),
            "side": sides[n // SPEAKERS_PER_SIDE]["id"],
            "present": True,
        }
        for n, person in enumerate(people)
    ]


def _transcript(rng: random.Random, speakers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """80 turns; every speaker has several."""
    turns = []
    for n in range(TURNS):
        speaker = speakers[n % len(speakers)] if n < 16 else rng.choice(speakers)
        text = " ".join(sentence(rng) for _ in range(rng.randint(2, 4)))
        seconds = n * 45
        time = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        turns.append({"speaker": speaker["id"], "text": text, "time": time})
    return turns


def _quotes(
    rng: random.Random, turns: list[dict[str, Any]], topics: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Sentences taken verbatim from transcript turns."""
    chosen = rng.sample(range(len(turns)), QUOTES - ARTICLE_QUOTES)
    quotes = []
    for n, index in enumerate(sorted(chosen)):
        turn = turns[index]
        text = rng.choice(turn["text"].split(". ")).rstrip(".") + "."
        quotes.append(
            {
                "id": f"q{n + 1}",
                "speaker": turn["speaker"],
                "text": text,
                "topic": topics[n % len(topics)]["id"],
                "source": "transcript",
                "locator": turn["time"],
            }
        )
    return quotes


def _article(
    rng: random.Random, speakers: list[dict[str, Any]], topics: list[dict[str, Any]]
) -> tuple[str, list[dict[str, Any]]]:
    """An article naming its speakers, and the quotes taken from it."""
    paragraphs, quotes = ["Seminar report"], []
    for n in range(ARTICLE_QUOTES):
        speaker, text = rng.choice(speakers), sentence(rng)
        paragraphs.append(f"“{text}” {speaker['name']} said. {sentence(rng)}")
        quotes.append(
            {
                "id": f"a{n + 1}",
                "speaker": speaker["id"],
                "text": text,
                "topic": topics[n % len(topics)]["id"],
                "source": "article",
                "locator": f"para {n + 2}",
            }
        )
    return "\n\n".join(paragraphs) + "\n", quotes


def event(seed: int, number: int, slug: str, pool: Pools) -> tuple[dict[str, Any], str]:
    """Return one synthetic event's source data and its article text."""
    rng = random.Random(seed * 100_003 + number)
    sides = [{**side, "summary": sentence(rng)} for side in pick(rng, pool.sides, SIDES)]
    speakers = _speakers(rng, sides, pick(rng, pool.people, SIDES * SPEAKERS_PER_SIDE))
    topics = [dict(topic) for topic in pick(rng, pool.topics, TOPICS)]
    turns = _transcript(rng, speakers)
    article, article_quotes = _article(rng, speakers, topics)
    positions = [
        {
            "side": side["id"],
            "topic": topic["id"],
            "stance": sentence(rng),
            "speaker": speakers[s * SPEAKERS_PER_SIDE + t % SPEAKERS_PER_SIDE]["id"],
            "sources": ["transcript"],
        }
        for s, side in enumerate(sides)
        for t, topic in enumerate(topics)
    ]
    date = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 3650))
    data = {
        "event": {
            "title": f"Seminar {number}: {' and '.join(t['title'] for t in topics[:2])}",
            "date": date,
            "host": rng.choice(HOSTS),
            "location": rng.choice(PLACES),
            "format": "seminar",
            "summary": " ".join(sentence(rng) for _ in range(4)),
            "background": " ".join(sentence(rng) for _ in range(3)),
        },
        "sides": sides,
        "speakers": speakers,
        "topics": topics,
        "positions": positions,
        "quotes": _quotes(rng, turns, topics) + article_quotes,
        "sources": [
            {"id": "transcript", "kind": "transcript", "title": "Transcript", "publisher": "Host"},
            {
                "id": "article",
                "kind": "article",
                "title": "Seminar report",
                "publisher": "The Daily Example",
                "date": date,
                "file": f"sources/{slug}.article.txt",
            },
        ],
        "transcript": turns,
        "takeaways": [sentence(rng) for _ in range(3)],
        "questions": [sentence(rng).rstrip(".") + "?" for _ in range(3)],
    }
    return data, article


class _Dumper(yaml.SafeDumper):
    """Write each repeated value in full: briefgen refuses YAML aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def write_event(root: Path, seed: int, number: int, pool: Pools) -> Path:
    """Write event ``number`` (source and article) into ``root/sources``; return the source."""
    slug = f"event-{number:04d}"
    data, article = event(seed, number, slug, pool)
    folder = root / "sources"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{slug}.article.txt").write_text(article, encoding="utf-8")
    path = folder / f"{slug}.yaml"
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(text, encoding="utf-8")
    return path


def write_workspace(
    root: Path, events: int, seed: int = 7, sizes: dict[str, int] = POOLS
) -> list[Path]:
    """Write a workspace of ``events`` synthetic events and a briefgen.yaml; return the sources."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "briefgen.yaml").write_text("organisation: Example Policy Institute\n")
    pool = pools(seed, sizes)
    return [write_event(root, seed, n, pool) for n in range(1, events + 1)]


# --- running builds in fresh processes ---------------------------------------------------------

DRIVER = """
import json, resource, sys, time
from pathlib import Path
from briefgen.build import build
from briefgen.build.progress import Reporter

class Timing(Reporter):
    def __init__(self):
        super().__init__()
        self.stages, self.workers_rss = [], 0
        self.page_workers = 0
    def stage(self, name, total):
        self.stages.append((name, time.monotonic()))
        if name.startswith("Rendering pages in "):
            self.page_workers = int(name.split()[3])
        if name == "Writing":  # the page and PDF workers are reaped by now; Pagefind has not run
            self.workers_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss

options = json.loads(sys.argv[1])
timing = Timing()
started = time.monotonic()
result = build([Path(p) for p in options.pop("paths")], reporter=timing, **options)
ended = time.monotonic()
marks = timing.stages + [("end", ended)]
print(json.dumps({
    "elapsed": ended - started,
    "built": len(result.built),
    "unchanged": len(result.unchanged),
    "stages": {a[0]: b[1] - a[1] for a, b in zip(marks, marks[1:])},
    "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    "workers_rss": timing.workers_rss * 1024,
    "page_workers": timing.page_workers,
    "children_rss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
}))
"""


@dataclass
class Run:
    """One build in its own process: wall time and what the driver reported."""

    wall: float
    data: dict[str, Any] = field(default_factory=dict)

    def stage(self, prefix: str) -> float:
        """Return the time spent in the stages whose name starts with ``prefix``."""
        return sum(t for name, t in self.data["stages"].items() if name.startswith(prefix))


def timed(command: list[str], cwd: Path) -> tuple[float, str]:
    """Run a command to completion; return its wall time and standard output."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=_env())
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stdout}\n{done.stderr}")
    return wall, done.stdout


def _env() -> dict[str, str]:
    """Return the environment of the builds: briefgen importable, no pinned date."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def build_run(root: Path, *, paths: list[str] | None = None, **options: Any) -> Run:
    """Build a workspace in a fresh interpreter, as the library call the CLI makes."""
    arguments = json.dumps({"paths": paths or ["sources"], **options})
    wall, out = timed([sys.executable, "-c", DRIVER, arguments], root)
    return Run(wall, json.loads(out.strip().splitlines()[-1]))


def cli_run(root: Path, *args: str) -> float:
    """Time ``python -m briefgen build ARGS`` as a whole process."""
    return timed([sys.executable, "-m", "briefgen", "build", *args], root)[0]


def median_of(count: int, measure: Any) -> float:
    """Return the median of ``count`` measurements."""
    return statistics.median(measure() for _ in range(count))


# --- the measurements -------------------------------------------------------------------------


def one_event_workspace(source_root: Path, slug: str, target: Path) -> Path:
    """Copy one event (source, article) and the configuration into a fresh workspace."""
    shutil.rmtree(target, ignore_errors=True)
    (target / "sources").mkdir(parents=True)
    shutil.copy(source_root / "briefgen.yaml", target)
    for path in (source_root / "sources").glob(f"{slug}.*"):
        shutil.copy(path, target / "sources")
    return target


def edit_one(path: Path) -> None:
    """Change the first stance of a source not yet edited, as an editor would."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("stance: The ", "stance: Now the ", 1), encoding="utf-8")


def edit_summary(path: Path) -> None:
    """Change a source's bottom line (the event's summary, its first), as an editor would."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("summary: The ", "summary: Now the ", 1), encoding="utf-8")


BARE = """
import sys, json, time
from weasyprint import HTML, Attachment
seconds = {}
for job in json.loads(sys.argv[1]):
    started = time.perf_counter()
    attachments = [Attachment(string=open(a, "rb").read(), name=n) for a, n in job["attach"]]
    html = HTML(string=open(job["html"], encoding="utf-8").read(), base_url=job["base"])
    html.write_pdf(job["pdf"], pdf_variant="pdf/ua-1", attachments=attachments)
    seconds[job["name"]] = time.perf_counter() - started
print(json.dumps(seconds))
"""


def final_html(root: Path, slug: str, folder: Path) -> list[dict[str, Any]]:
    """Write the print HTML briefgen hands WeasyPrint for one event; describe the bare jobs."""
    from briefgen.build.context import Options, open_workspace
    from briefgen.build.plan import briefing_meta
    from briefgen.build.stages import briefing_pdfs
    from briefgen.verify.check import load_sources

    source = load_sources([root / "sources" / f"{slug}.yaml"])[0]
    ws = open_workspace(root, [source.path], folder / "unused", Options(pdf=True))
    jobs = []
    for relative, job in briefing_pdfs(ws, source, briefing_meta(source, ws), 120).items():
        name = Path(relative).stem
        (folder / f"{name}.html").write_text(job.html, encoding="utf-8")
        attach = []
        for n, (file_name, data, _) in enumerate(job.attachments):
            (folder / f"{name}.{n}.bin").write_bytes(data)
            attach.append((str(folder / f"{name}.{n}.bin"), file_name))
        base = (root / "templates").resolve().as_uri() + "/"
        html, pdf = str(folder / f"{name}.html"), str(folder / f"{name}.pdf")
        jobs.append({"name": name, "html": html, "pdf": pdf, "base": base, "attach": attach})
    return jobs


@dataclass
class Report:
    """Lines of the printed report and the targets met or missed."""

    lines: list[str] = field(default_factory=list)

    def say(self, label: str, value: str, target: str = "", met: bool | None = None) -> None:
        """Print one measurement, with its target and PASS/MISS when it has one."""
        verdict = "" if met is None else ("PASS" if met else "MISS")
        line = f"{label:<44} {value:<34} {target:<22} {verdict}".rstrip()
        self.lines.append(line)
        print(line, flush=True)


def mb(size: float) -> str:
    """Format bytes as MB."""
    return f"{size / 1e6:.0f} MB"


def html_builds(report: Report, root: Path, events: int, small: Run | None) -> None:
    """The full HTML build, its cost per event against a small one's, no-op, one edit, memory."""
    full = build_run(root, pdf=False)
    report.say(f"full HTML build, {events} events", f"{full.wall:.1f} s")
    report.say("  stages", shown_stages(full))
    report.say("  events per second", f"{events / full.wall:.2f}")
    if small is not None:
        per_event, small_per_event = full.wall / events, small.wall / small.data["built"]
        ratio = per_event / small_per_event
        shown = f"{per_event * 1000:.0f} ms against {small_per_event * 1000:.0f} ms; {ratio:.2f}x"
        label = f"  time per event against {small.data['built']} events"
        report.say(label, shown, "< 1.2x", ratio < 1.2)
    workers = full.data["workers_rss"]
    count = full.data["page_workers"]
    total = full.data["rss"] + count * workers
    shown = f"build {mb(full.data['rss'])} + {count} page workers of {mb(workers)}"
    report.say(f"peak memory, {events}-event HTML build", shown, "< 400 MB", total < 400e6)
    noop = statistics.median(build_run(root, pdf=False).wall for _ in range(3))
    report.say("no-op rebuild", f"{noop:.2f} s = {noop / full.wall:.1%} of full", "< 2 s", noop < 2)
    source = root / "sources" / "event-0001.yaml"
    edits = [_edited(root, source, edit_one) for _ in range(3)]  # three stances in turn
    edited = sorted(edits, key=lambda run: run.wall)[1]
    report.say("rebuild after editing one stance", f"{edited.wall:.2f} s", "(median of 3)")
    report.say("  stages", shown_stages(edited))
    alone_root = one_event_workspace(root, "event-0001", root.parent / "alone")
    alone = median_of(3, lambda: _fresh_build(alone_root))
    ratio = edited.wall / alone
    shown = f"{alone:.2f} s; ratio {ratio:.2f}x"
    report.say("  building that one event alone", shown, "< 2x", ratio < 2)
    summary = _edited(root, source, edit_summary)
    shown = f"{summary.wall:.2f} s; ratio {summary.wall / alone:.2f}x"
    report.say("rebuild after editing one bottom line", shown, "(home, feed: newest 50)")


def small_build(report: Report, root: Path, events: int) -> Run:
    """A full HTML build of a small workspace: the cost per event the large one is held to."""
    run = build_run(root, pdf=False)
    report.say(f"full HTML build, {events} events", f"{run.wall:.1f} s")
    report.say("  events per second", f"{events / run.wall:.2f}")
    return run


def peers(report: Report, folder: Path, events: int, seed: int) -> None:
    """briefgen beside Pelican and Hugo on equal content (bench_peers.py), in this run."""
    from bench_peers import RUNS, peer_times, verdicts

    results = peer_times(folder, events, seed)
    for name, seconds in results.items():
        shown = f"{seconds:.2f} s = {events / seconds:.1f} events/s"
        report.say(f"{name}, {events} events from scratch", shown, f"(median of {RUNS})")
    for label, value, target, met in verdicts(results):
        report.say(label, value, target, met)


def _edited(root: Path, source: Path, edit: Any) -> Run:
    """Edit a source and rebuild the workspace (HTML only) in a fresh process."""
    edit(source)
    return build_run(root, pdf=False)


def _fresh_build(root: Path) -> float:
    """Build a workspace into an empty output folder (HTML only) and time the process."""
    shutil.rmtree(root / "output", ignore_errors=True)
    return build_run(root, pdf=False).wall


POOL = """
import json, sys, time
from pathlib import Path
from briefgen.build.context import Options, open_workspace
from briefgen.build.plan import briefing_meta
from briefgen.build.stages import briefing_pdfs
from briefgen.verify.check import load_sources
from briefgen.pdf.pool import PdfOutput, render_pdfs

root = Path.cwd()
files = sorted((root / "sources").glob("*.yaml"))
ws = open_workspace(root, files, root / "unused", Options(pdf=True))
sources = load_sources(files)
jobs = [j for s in sources for j in briefing_pdfs(ws, s, briefing_meta(s, ws), 120).values()]
started = time.monotonic()
outputs = render_pdfs(jobs, int(sys.argv[1]))
seconds = time.monotonic() - started
assert all(isinstance(o, PdfOutput) for o in outputs), outputs
print(json.dumps({"seconds": seconds, "pdfs": len(jobs)}))
"""


def pool_run(root: Path, workers: int) -> tuple[float, int, float]:
    """Time the PDF pool alone on every PDF of a workspace; return seconds, PDFs, CPU seconds."""
    before = cpu_of_children()
    data = json.loads(timed([sys.executable, "-c", POOL, str(workers)], root)[1].splitlines()[-1])
    return data["seconds"], data["pdfs"], cpu_of_children() - before


def cpu_of_children() -> float:
    """Return the CPU time (user and system) of every finished child process so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def pdf_builds(report: Report, root: Path, events: int) -> None:
    """A full build with PDFs, then PDF throughput with one worker against two."""
    full = build_run(root, pdf=True)
    pdfs = 3 * events  # the full brief, the memo and the transcript
    report.say(f"full build with PDFs, {events} events", f"{full.wall:.1f} s", f"({pdfs} PDFs)")
    report.say("  stages", shown_stages(full))
    workers = full.data["workers_rss"]
    report.say("  peak memory of the PDF workers", mb(workers), "< 500 MB", workers < 500e6)
    one, count, cpu_one = pool_run(root, 1)
    two, _, cpu_two = pool_run(root, 2)
    shown = f"{count / one:.2f} PDFs/s ({one:.1f} s)"
    report.say("PDF throughput, 1 worker (--jobs 1)", shown, f"(CPU {cpu_one:.0f} s)")
    shown = f"{count / two:.2f} PDFs/s ({two:.1f} s)"
    report.say("PDF throughput, 2 workers (--jobs 2)", shown, f"(CPU {cpu_two:.0f} s)")
    report.say("  --jobs 2 against --jobs 1", f"{one / two:.2f}x", ">= 1.6x", one / two >= 1.6)


def shown_stages(run: Run) -> str:
    """List the stages of a build that took a noticeable time."""
    stages = run.data["stages"].items()
    return ", ".join(f"{name.lower()} {t:.1f} s" for name, t in stages if t >= 0.05)


def overhead(report: Report, root: Path) -> None:
    """One event's PDFs: the whole briefgen process against bare WeasyPrint in its own."""
    alone = one_event_workspace(root, "event-0001", root.parent / "one-pdf")
    bare_dir = root.parent / "bare"
    bare_dir.mkdir(exist_ok=True)
    jobs = final_html(alone, "event-0001", bare_dir)
    runs = []

    def bare_run() -> float:
        wall, out = timed([sys.executable, "-c", BARE, json.dumps(jobs)], bare_dir)
        runs.append(json.loads(out.strip().splitlines()[-1]))
        return wall

    bare = median_of(3, bare_run)

    def briefgen(*args: str) -> float:
        shutil.rmtree(alone / "output", ignore_errors=True)
        return cli_run(alone, *args, "sources/event-0001.yaml")

    serial = median_of(3, lambda: briefgen("--jobs", "1"))
    default = median_of(3, briefgen)
    report.say(f"one event's {len(jobs)} PDFs, bare WeasyPrint", f"{bare:.2f} s", "(in turn)")
    ratio = serial / bare
    shown = f"{serial:.2f} s; ratio {ratio:.2f}"
    report.say("  python -m briefgen build --jobs 1", shown, "< 1.05", ratio < 1.05)
    shown = f"{default:.2f} s; ratio {default / bare:.2f}"
    report.say("  python -m briefgen build (default jobs)", shown)
    each = {name: statistics.median(run[name] for run in runs) for name in runs[0]}
    brief, memo = each["event-0001"], each["event-0001-memo"]
    shown = f"{memo:.2f} s against the full brief's {brief:.2f} s; {memo / brief:.2f}"
    report.say("  the memo's PDF alone (bare WeasyPrint)", shown, "< 0.5", memo / brief < 0.5)


def machine() -> str:
    """Describe the machine and the versions measured."""
    import importlib.metadata

    from briefgen import __version__

    weasy = importlib.metadata.version("weasyprint")
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    return (
        f"{platform.machine()}, {cpus} CPUs, Python {platform.python_version()}, "
        f"briefgen {__version__}, WeasyPrint {weasy}, {dt.date.today().isoformat()}; "
        f"load average {load}"
    )


def main() -> None:
    """Parse the options, build the workspaces, print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000, help="events in the HTML workspace")
    parser.add_argument(
        "--small",
        type=int,
        default=200,
        help="events of the workspace the cost per event is held to",
    )
    parser.add_argument("--pdf-events", type=int, default=20, help="events built with PDFs")
    parser.add_argument("--peer-events", type=int, default=200, help="events built by each peer")
    parser.add_argument("--seed", type=int, default=7, help="seed of the synthetic events")
    parser.add_argument("--keep", action="store_true", help="keep the temporary workspaces")
    parser.add_argument(
        "--same-ids", action="store_true", help="every event names the same cast (stress case)"
    )
    parser.add_argument("--html-only", action="store_true", help="skip the PDF measurements")
    parser.add_argument("--no-peers", action="store_true", help="skip Pelican and Hugo")
    args = parser.parse_args()
    report = Report()
    print(f"machine: {machine()}")
    speakers = SIDES * SPEAKERS_PER_SIDE
    sizes = {"sides": SIDES, "people": speakers, "topics": TOPICS} if args.same_ids else POOLS
    print(f"each event: {TURNS} turns, {QUOTES} quotes, {SIDES} sides, {TOPICS} topics, ", end="")
    print(f"{speakers} speakers; seed {args.seed}", flush=True)
    print(f"drawn from {sizes['sides']} sides, {sizes['people']} people, ", end="")
    print(f"{sizes['topics']} topics", flush=True)
    folder = Path(tempfile.mkdtemp(prefix="briefgen-bench-"))
    try:
        small = None
        if 0 < args.small < args.events:
            write_workspace(folder / "small", args.small, args.seed, sizes)
            small = small_build(report, folder / "small", args.small)
            shutil.rmtree(folder / "small", ignore_errors=True)
        write_workspace(folder / "html", args.events, args.seed, sizes)
        html_builds(report, folder / "html", args.events, small)
        shutil.rmtree(folder / "html", ignore_errors=True)
        if not args.no_peers:
            peers(report, folder / "peers", args.peer_events, args.seed)
        if args.html_only:
            return
        write_workspace(folder / "pdf", args.pdf_events, args.seed, sizes)
        pdf_builds(report, folder / "pdf", args.pdf_events)
        overhead(report, folder / "pdf")
    finally:
        misses = sum(line.endswith("MISS") for line in report.lines)
        passes = sum(line.endswith("PASS") for line in report.lines)
        print(f"{passes} targets met, {misses} missed")
        print(f"load average at the end: {', '.join(f'{n:.2f}' for n in os.getloadavg())}")
        if args.keep:
            print(f"workspaces kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
