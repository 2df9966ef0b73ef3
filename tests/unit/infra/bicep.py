"""Reading infra/ for the offline checks: Bicep files parsed by pycep (the parser checkov uses), and the
environment names of the settings in sync_core/config.py."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from pycep import BicepParser
from pydantic import AliasChoices

from sync_core.config import Settings

REPO = Path(__file__).resolve().parents[3]
INFRA = REPO / "infra"


def bicep_files() -> list[Path]:
    """Every Bicep file under infra/."""
    return sorted(INFRA.rglob("*.bicep"))


@cache
def _parser() -> BicepParser:
    # Building the grammar takes about a second; one parser serves every file.
    return BicepParser()


@cache
def parse_bicep(relative_path: str) -> dict[str, Any]:
    """pycep's JSON form of one Bicep file under infra/ (raises on a syntax error)."""
    return _parser().parse(file_path=INFRA / relative_path)


def object_keys(bicep_object: dict[str, Any]) -> set[str]:
    """Keys of a Bicep object literal; pycep keeps the quotes of quoted keys like 'session-secret'."""
    return {key.strip("'") for key in bicep_object}


def variable(relative_path: str, name: str) -> Any:
    return parse_bicep(relative_path)["variables"][name]["value"]


def setting_names() -> dict[str, str]:
    """Environment name of every Settings field (its first validation alias, else its upper-cased name)."""
    names: dict[str, str] = {}
    for field_name, field in Settings.model_fields.items():
        alias = field.validation_alias
        if isinstance(alias, AliasChoices):
            env_name = str(alias.choices[0])
        elif isinstance(alias, str):
            env_name = alias
        else:
            env_name = field_name.upper()
        names[env_name] = field_name
    return names
