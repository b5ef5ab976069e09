"""The package's modules import one another without a cycle: each can be read, tested and
replaced on its own, and importing one never depends on which was imported first.

Every import counts, those inside functions and under `if TYPE_CHECKING:` too: a cycle hidden
in a function is still two modules that each need the other."""

from __future__ import annotations

import ast
from pathlib import Path

import newslint

PACKAGE = Path(newslint.__file__).resolve().parent


def modules() -> dict[str, Path]:
    """Every module of the package by its dotted name (a package by its own name)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imported(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules that module `name` (at `path`) imports, anywhere in it."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from its package up
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # `from newslint import document` imports the module newslint.document.
            targets.update(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names)
    # `import newslint.checks.base` runs newslint.checks too, but a module only depends on what
    # it names; a name that is not a module of the package (a third-party one) is not counted.
    return {target for target in targets if target in known and target != name}


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imported(name, path, known) for name, path in known.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of `graph` as [a, b, ..., a], or None. Depth first, with a stack of its own."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in sorted(graph):
        if root in state:
            continue
        path = [root]
        pending = [iter(sorted(graph[root]))]
        state[root] = 1
        while pending:
            following = next(pending[-1], None)
            if following is None:
                state[path.pop()] = 2
                pending.pop()
            elif state.get(following) == 1:
                return path[path.index(following) :] + [following]
            elif following not in state:
                state[following] = 1
                path.append(following)
                pending.append(iter(sorted(graph[following])))
    return None


def test_the_walk_sees_every_kind_of_import(tmp_path):
    module = tmp_path / "x.py"
    module.write_text(
        "from __future__ import annotations\n"
        "from typing import TYPE_CHECKING\n"
        "import yaml\n"
        "import newslint.a\n"
        "from newslint import b\n"
        "from newslint.c import thing\n"
        "from . import d\n"
        "if TYPE_CHECKING:\n"
        "    from newslint.e import E\n"
        "def f():\n"
        "    from .f import F\n"
    )
    known = {f"newslint.{name}": Path() for name in "abcdefx"}
    assert imported("newslint.x", module, known) == {f"newslint.{name}" for name in "abcdef"}
    assert "newslint.checks.base" in import_graph()["newslint.checks"]  # at the top of a package


def test_find_cycle_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_package_has_no_import_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_every_package_is_installed():
    """pyproject.toml lists the packages setuptools installs: one left out imports in a checkout
    (and under `pip install -e`) but is missing from a real install, the GitHub Action's."""
    import tomllib

    pyproject = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(pyproject["tool"]["setuptools"]["packages"])
    packages = {".".join(path.parent.relative_to(PACKAGE.parent).parts) for path in PACKAGE.rglob("__init__.py")}
    assert packages <= listed
