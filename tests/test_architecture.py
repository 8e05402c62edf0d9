"""The package's shape: no import cycles, imports pointing down the pipeline, small modules."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from _workspace import REPO

PACKAGE = REPO / "briefgen"
# Each stage may import its own package and those before it, never one after it.
LAYERS = [
    {"errors", "paths", "spool", "writer"},
    {"source"},
    {"verify"},
    {"diff"},
    {"importers"},
    {"render"},
    {"site"},
    {"pdf", "word", "mail", "export"},  # the output formats: each its own library, after the views
    {"build"},
    {"preview"},
    {"cli", "__init__", "__main__"},
]
STAGES = [
    "source",
    "verify",
    "diff",
    "importers",
    "render",
    "site",
    "pdf",
    "word",
    "mail",
    "export",
    "build",
    "preview",
]


def module_name(path: Path) -> str:
    """Return the dotted name of a module file under the package."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    """Return every module of the package by dotted name."""
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported(path: Path, known: dict[str, Path]) -> Iterator[str]:
    """Yield the package's modules a file imports, at the top or inside functions."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from briefgen.render import markdown` imports the module markdown
            subs = [f"{node.module}.{alias.name}" for alias in node.names]
            names = [sub for sub in subs if sub in known] or [node.module]
        else:
            continue
        yield from (name for name in names if name in known and name != "briefgen")


def graph() -> dict[str, set[str]]:
    """Map each module to the package's modules it imports."""
    known = modules()
    return {name: set(imported(path, known)) - {name} for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(edges[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def layer(module: str) -> int:
    """Return the pipeline position of a module's stage."""
    room = module.split(".")[1] if "." in module else "__init__"
    return next(n for n, rooms in enumerate(LAYERS) if room in rooms)


def test_no_module_imports_another_that_imports_it_back() -> None:
    assert cycles(graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_imports_point_down_the_pipeline() -> None:
    upward = [
        f"{module} imports {other}"
        for module, others in graph().items()
        for other in sorted(others)
        if layer(other) > layer(module)
    ]
    assert upward == []


def test_every_stage_is_a_package_with_a_front_door() -> None:
    for stage in STAGES:
        door = PACKAGE / stage / "__init__.py"
        tree = ast.parse(door.read_text(encoding="utf-8"))
        docstring = ast.get_docstring(tree)
        assert docstring, f"{stage}/__init__.py says what it owns"
        assigned = [
            target.id
            for node in tree.body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        ]
        assert "__all__" in assigned, f"{stage}/__init__.py lists its exports"


def test_no_flat_stage_modules_remain() -> None:
    flat = [p.name for p in PACKAGE.glob("*.py")]
    prefixes = ("verify_", "diff_", "site", "server", "search")
    assert [name for name in flat if name.startswith(prefixes)] == []


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=module_name)
def test_modules_and_functions_stay_small(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count("\n") < 400, "a module under 400 lines"
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > 40
    ]
    assert long == [], "functions under 40 lines"


def functions() -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Yield every function of the package, methods included, with its module's name."""
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                yield name, node


def parameters(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Count a function's named parameters, not self or cls (``**options`` is one)."""
    args = node.args
    named = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    own = [a for a in named if a.arg not in ("self", "cls")]
    return len(own) + (args.vararg is not None) + (args.kwarg is not None)


def test_no_function_takes_more_than_six_parameters() -> None:
    many = [f"{module}.{node.name}" for module, node in functions() if parameters(node) > 6]
    assert many == []


def test_functions_are_short_on_the_whole() -> None:
    lengths = sorted(n.end_lineno - n.lineno + 1 for _, n in functions() if n.end_lineno)
    assert lengths[len(lengths) // 2] < 10, "the median function is under 10 lines"


def test_every_module_imports_and_says_what_it_owns() -> None:
    for name, path in modules().items():
        module = importlib.import_module(name)
        assert module.__doc__, f"{path.relative_to(REPO)} has a docstring"


def test_the_build_memory_and_checking_load_no_template_engine() -> None:
    """`check` stays instant, and the manifest need not load Jinja2 or the site's pages."""
    code = (
        "import sys, briefgen.build.manifest, briefgen.verify;"
        "heavy = ('jinja2', 'weasyprint', 'briefgen.site.pages');"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
