"""The package's layout: imports point down the pipeline and never form a circle; every
module is short and says what it is for.

The imports are read from the source (ast), including those inside functions and under
`if TYPE_CHECKING:`, so a circle hidden in a function-level import is found too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "graph"
MAX_LINES = 450

# The stages, lowest first: a module may import its own stage and the ones before it.
LAYERS = (
    ("graph", "graph.errors", "graph.records", "graph.files", "graph.tables", "graph.screen"),
    ("graph.ingest",),
    ("graph.gazetteer",),
    ("graph.extract",),
    ("graph.rdf",),
    ("graph.store",),
    ("graph.ask",),
    ("graph.outputs",),
    ("graph.run",),
)
ALLOWED_UP: set[tuple[str, str]] = set()  # imports against the pipeline: none


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _parents(name: str) -> list[str]:
    """The packages importing `name` runs first (graph.a.b -> graph, graph.a)."""
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def imports_of(name: str) -> set[str]:
    """The graph modules `name` imports, anywhere in its source (and their packages)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            targets.add(module)
            targets.update(f"{module}.{a.name}" for a in node.names)  # a submodule, if it is one
    found = {t for t in targets if t in MODULES}
    for t in list(found):
        found.update(_parents(t))
    found.discard(name)
    return {t for t in found if t not in _parents(name)}


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def _layer(name: str) -> int:
    for rank, roots in enumerate(LAYERS):
        if any(name == r or (r != "graph" and name.startswith(r + ".")) for r in roots):
            return rank
    raise AssertionError(f"{name} is in no layer of LAYERS")


def test_the_walker_finds_a_circle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_the_walker_reads_function_level_and_relative_imports() -> None:
    assert "graph.screen" in imports_of("graph.ingest.chrome")  # inside a function
    assert "graph.gazetteer" in imports_of("graph.extract.places")  # from ..gazetteer import
    assert "graph.run.worker" in imports_of("graph.run.distributed")  # inside a function


def test_no_import_circle() -> None:
    edges = {name: imports_of(name) for name in MODULES}
    assert _cycles(edges) == []


def test_imports_point_down_the_pipeline() -> None:
    wrong = [
        f"{name} -> {target}"
        for name in MODULES
        for target in sorted(imports_of(name))
        if _layer(target) > _layer(name) and (name, target) not in ALLOWED_UP
    ]
    assert wrong == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_is_short_and_documented(name: str) -> None:
    text = MODULES[name].read_text(encoding="utf-8")
    assert text.count("\n") <= MAX_LINES, f"{name}: {text.count(chr(10))} lines"
    assert ast.get_docstring(ast.parse(text)), f"{name} has no docstring"


def test_query_does_not_load_the_html_stack() -> None:
    """`query` (graph.ask.query and what it imports) needs neither pyvis nor networkx, nor
    the extractors."""
    import subprocess
    import sys

    code = (
        "import sys; import graph.ask.query, graph.store.source; "
        "print(sorted(m for m in ('pyvis', 'networkx', 'graph.extract') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=PACKAGE.parent, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
