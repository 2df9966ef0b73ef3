"""`sync_core/` has no import cycle, and its layers point inward: functions -> engine -> graph, recruit and
store -> domain, the domain importing nothing of ours. Read from the source (every module-level import, those
only for type checking too), and checked for real in fresh interpreters for the modules a cycle joined."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "sync_core"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _module_level_imports(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """Imports at module level, inside `if` / `try` blocks too; not those inside functions (lazy ones)."""
    stack: list[ast.stmt] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If | ast.Try):
            stack += [
                *node.body,
                *node.orelse,
                *getattr(node, "finalbody", []),
                *getattr(node, "handlers", []),
            ]
        elif isinstance(node, ast.ExceptHandler):
            stack += node.body


def _with_parents(name: str) -> list[str]:
    """Importing `a.b.c` runs `a/__init__`, `a/b/__init__`, then `a.b.c`: each is a dependency."""
    parts = name.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts)) if ".".join(parts[: i + 1]) in MODULES]


def _dependencies(name: str, path: Path) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _module_level_imports(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names
            ]
        for target in targets:
            if target.startswith("sync_core"):
                found.update(_with_parents(target))
    # A module's own packages are initialised before it runs: importing them back is no cycle.
    return found - set(_with_parents(name))


GRAPH = {name: _dependencies(name, path) for name, path in MODULES.items()}


def _cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in GRAPH[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    return components


def test_no_module_of_sync_core_imports_itself_through_others() -> None:
    assert _cycles() == []


LAYERS = ["domain", "graph|recruit|store", "engine", "functions"]


def _layer(name: str) -> int | None:
    part = name.split(".")[1] if name.count(".") else ""
    return next((i for i, names in enumerate(LAYERS) if part in names.split("|")), None)


def test_dependencies_point_inward() -> None:
    outward = [
        f"{name} -> {target}"
        for name, targets in GRAPH.items()
        for target in targets
        if (mine := _layer(name)) is not None and (theirs := _layer(target)) is not None and theirs > mine
    ]
    assert outward == []


@pytest.mark.parametrize(
    "module",
    [
        "sync_core.engine.sync_pass.apply",
        "sync_core.engine.sync_pass.synclog",
        "sync_core.engine.sync_pass.scope",
        "sync_core.engine.sync_pass.reconcile",
    ],
)
def test_the_module_imports_first_in_a_fresh_interpreter(module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", f"import {module}"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
