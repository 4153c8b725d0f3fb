"""The package's layout stays readable: no import circle among its modules, and no
module that cannot be read in one sitting."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "cleaner"
#: About what a reader takes in at one sitting.
MAX_LINES = 500


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules that ``name`` imports, anywhere in it: at the top, inside
    functions, and under ``TYPE_CHECKING`` (a circle there is a circle of design).
    ``from . import x`` imports the module ``x``, or reads the name ``x`` of the package."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for a in node.names:  # `from . import outputs` imports a module; `from . import run`, a name
                found.add(f"{module}.{a.name}" if f"{module}.{a.name}" in known else module)
    return {m for m in found if m in known and m != name}


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected parts of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                part.append(w)
                if w == v:
                    break
            if len(part) > 1:
                out.append(sorted(part))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_the_walk_sees_imports_of_every_kind():
    edges = graph()
    assert "cleaner.text" in edges["cleaner.apply"]  # at the top
    assert "cleaner.ruleset" in edges["cleaner.detectors"]  # under TYPE_CHECKING
    assert "cleaner.outputs" in edges["cleaner"] or "cleaner.outputs" in edges["cleaner.runner"]  # `from . import`


def test_the_circle_finder_finds_a_circle():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_one_that_imports_it_back():
    found = circles(graph())
    assert not found, "import circles: " + "; ".join(" <-> ".join(c) for c in found)


def test_every_module_reads_in_one_sitting():
    long = {name: n for name, path in modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines (split each by its jobs): {long}"


def test_the_layout_page_names_every_module():
    page = (PACKAGE.parent / "docs" / "layout.md").read_text(encoding="utf-8")
    missing = sorted(name for name, path in modules().items()
                     if f"`{path.relative_to(PACKAGE).as_posix()}`" not in page   # `apply.py`
                     and (path.parent == PACKAGE or f"`{path.parent.name}/`" not in page)  # in `prefilter/`
                     and f"`{path.stem}`" not in page)                              # named in its package's row
    assert not missing, f"docs/layout.md does not name: {missing}"
