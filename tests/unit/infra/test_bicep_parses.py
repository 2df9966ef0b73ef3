"""Every Bicep file under infra/ parses with pycep, the parser checkov uses (no bicep binary here)."""

from pathlib import Path

import pytest

from tests.unit.infra.bicep import INFRA, bicep_files, parse_bicep


def test_infra_holds_the_entry_point_and_its_modules() -> None:
    names = {path.relative_to(INFRA).as_posix() for path in bicep_files()}
    assert {"main.bicep", "resources.bicep", "modules/functionapp.bicep", "modules/keyvault.bicep"} <= names


@pytest.mark.parametrize("path", bicep_files(), ids=lambda path: path.relative_to(INFRA).as_posix())
def test_bicep_file_parses(path: Path) -> None:
    parsed = parse_bicep(path.relative_to(INFRA).as_posix())
    assert parsed.get("resources") or parsed.get("modules")


def test_every_module_a_file_references_exists() -> None:
    missing = []
    for path in bicep_files():
        for module in parse_bicep(path.relative_to(INFRA).as_posix()).get("modules", {}).values():
            target = path.parent / module["detail"]["path"]
            if not target.is_file():
                missing.append(f"{path.name} -> {module['detail']['path']}")
    assert missing == []
