"""The domain depends on nothing of ours outside itself and does no I/O (DESIGN.md: dependencies inward)."""

import ast
import sys
from pathlib import Path

import sync_core.domain

DOMAIN = Path(sync_core.domain.__file__).parent
# Maintained libraries the domain uses instead of own parsers (issue 14): pure converters, no I/O of their own
# beyond reading their packaged data.
PURE_LIBRARIES = {"dateutil", "tzlocal", "inscriptis", "lxml", "regex"}
IO_MODULES = {"os", "io", "socket", "asyncio", "subprocess", "pathlib", "shutil", "http", "urllib", "random"}


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_domain_imports_only_the_standard_library_pure_libraries_and_itself() -> None:
    for path in sorted(DOMAIN.glob("*.py")):
        for module in imported_modules(path):
            top = module.split(".")[0]
            allowed = (
                module.startswith("sync_core.domain")
                or top in sys.stdlib_module_names
                or top in PURE_LIBRARIES
            )
            assert allowed, f"{path.name} imports {module}"
            assert top not in IO_MODULES, f"{path.name} imports {module}, which does I/O or randomness"
