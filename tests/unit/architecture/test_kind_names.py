"""The shared engine names no kind: a "calendar" or "contacts" string literal in `sync_core/engine/` stands
only in the kind's own modules, in kinds.py (the KindName type) and in registry.py (which kinds exist). Read
from the syntax tree, so comments and docstrings that mention a kind do not count."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
ENGINE = ROOT / "sync_core" / "engine"
KIND_NAMES = frozenset({"calendar", "contacts"})
# Matched by file name, so the check holds wherever in engine/ these modules are grouped.
ALLOWED = frozenset({"calendar_kind.py", "contacts_kind.py", "kinds.py", "registry.py"})


def kind_literals(source: str) -> list[tuple[int, str]]:
    """(line, value) of every string constant in `source` that is exactly a kind name."""
    return [
        (node.lineno, node.value)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in KIND_NAMES
    ]


def test_the_checker_finds_a_kind_literal_but_not_prose() -> None:
    source = (
        '"""Syncs the calendar."""\n'
        '# "contacts" in a comment\n'
        'if kind == "contacts":\n'
        '    noun = "calendar folder"\n'
    )
    assert kind_literals(source) == [(3, "contacts")]


def test_no_kind_name_literal_in_shared_engine_modules() -> None:
    shared = [path for path in sorted(ENGINE.rglob("*.py")) if path.name not in ALLOWED]
    assert len(shared) > 10, "engine/ modules not found"
    found = [
        f"{path.relative_to(ROOT)}:{line}: {value!r}"
        for path in shared
        for line, value in kind_literals(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "kind names belong to the kind modules or the registry:\n" + "\n".join(found)
