"""What a plain ``pip install`` gives: every package the code imports is declared, the
ones imported at module level among the core dependencies, and the version is one.
(`.ci/plain-install` installs the built package into an empty virtual environment and
runs it; this test catches an undeclared import before that.)"""

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

import cleaner

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", requirement).group(0)).lower()


CORE = {_name(r) for r in PROJECT["dependencies"]}
EXTRAS = {_name(r) for reqs in PROJECT["optional-dependencies"].values() for r in reqs}


def imports() -> list[tuple[str, str, bool]]:
    """Every third-party package imported by the package: (module file, top-level name,
    imported at module level)."""
    found = []
    for path in sorted((ROOT / "cleaner").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top_level = {id(node) for node in tree.body}
        top_level |= {id(n) for node in tree.body if isinstance(node, ast.If) for n in node.body}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top == "cleaner":
                    continue
                found.append((path.relative_to(ROOT).as_posix(), top, id(node) in top_level))
    return found


def distributions(module: str) -> set[str]:
    """The distributions that give ``module``; for one not installed here (an extra's,
    such as nemo_curator), the distribution its name says."""
    return {_name(d) for d in importlib.metadata.packages_distributions().get(module, [])} or {_name(module)}


def test_every_subpackage_is_shipped():
    """``[tool.setuptools] packages`` lists the subpackages by name: one left out is not in
    the wheel, and ``import cleaner`` fails after a plain install."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {p.parent.relative_to(ROOT).as_posix().replace("/", ".") for p in (ROOT / "cleaner").rglob("__init__.py")}
    assert found <= listed, f"add {sorted(found - listed)} to [tool.setuptools] packages in pyproject.toml"


def test_every_imported_package_is_declared():
    undeclared = [(f, m) for f, m, _ in imports() if not distributions(m) & (CORE | EXTRAS)]
    assert not undeclared, f"imported but not declared in pyproject.toml: {undeclared}"


def test_what_is_imported_at_module_level_is_a_core_dependency():
    """An extra's package (pyarrow, ray) may be imported only where it is used, so that
    `import cleaner` and the `clean` command work without it."""
    optional = [(f, m) for f, m, top in imports() if top and not distributions(m) & CORE]
    assert not optional, f"imported at module level but not a core dependency: {optional}"


def test_the_package_does_not_import_click_itself():
    """typer 0.28 no longer depends on click: an `import click` works only where
    something else brought it."""
    assert not [f for f, m, _ in imports() if m == "click"]


def test_the_version_is_the_packages():
    assert cleaner.__version__ == PROJECT["version"] == importlib.metadata.version("cleaner")
