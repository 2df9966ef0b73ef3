"""Loads the FunctionApp and its settings, and sorts its functions by trigger for the runners.

Settings: real environment variables win over local.settings.json "Values", as in Core Tools.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import azure.functions as func

_SETTING_REFERENCE = re.compile(r"%([^%]+)%")


@dataclass(frozen=True)
class LoadedApp:
    app: func.FunctionApp
    folder: Path
    http: list[Any]  # azure.functions.decorators.function_app.Function
    queue: list[Any]
    timer: list[Any]
    unsupported: list[Any]


def load_local_settings(path: Path) -> list[str]:
    """Copy "Values" into os.environ where not already set; returns the names it set."""
    if not path.exists():
        return []
    values = json.loads(path.read_text(encoding="utf-8")).get("Values") or {}
    applied = []
    for name, value in values.items():
        if name not in os.environ:
            os.environ[name] = str(value)
            applied.append(name)
    return applied


def resolve_settings(text: str) -> str:
    """Replace `%Name%` binding expressions with app settings, as the host does for queue names."""

    def setting(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise KeyError(f"binding expression %{name}% names a setting that is not set")
        return os.environ[name]

    return _SETTING_REFERENCE.sub(setting, text)


def module_folder(spec: str) -> Path:
    """The folder of the app module, found without importing it (so its settings can load first)."""
    module_name = spec.partition(":")[0]
    found = importlib.util.find_spec(module_name)
    if found is None or found.origin is None:
        raise ModuleNotFoundError(f"cannot find module {module_name!r}")
    return Path(found.origin).resolve().parent


def load_app(spec: str) -> LoadedApp:
    """Import `module:attribute` and sort its functions; get_functions() may only be called once."""
    module_name, _, attribute = spec.partition(":")
    module = importlib.import_module(module_name)
    app = getattr(module, attribute or "app")
    by_kind: dict[str, list[Any]] = {"httpTrigger": [], "queueTrigger": [], "timerTrigger": []}
    unsupported: list[Any] = []
    for function in app.get_functions():
        trigger = function.get_trigger()
        kind = trigger.get_binding_name() if trigger else ""
        by_kind.get(kind, unsupported).append(function)
    folder = Path(module.__file__ or ".").resolve().parent
    return LoadedApp(
        app,
        folder,
        by_kind["httpTrigger"],
        by_kind["queueTrigger"],
        by_kind["timerTrigger"],
        unsupported,
    )
