"""Compares a JSON answer with a documented example: every property of the example is present, with the same
JSON type (null in the example matches anything); lists are compared item by item against the example's first
item. Extra properties in the answer are allowed (Zoho adds fields freely)."""

from __future__ import annotations

from typing import Any


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def mismatches(example: Any, actual: Any, path: str = "$", skip: frozenset[str] = frozenset()) -> list[str]:
    """Where `actual` departs from `example`; `skip` names paths whose type is not compared."""
    if example is None or path in skip:
        return []
    if json_type(example) != json_type(actual):
        return [f"{path}: {json_type(actual)}, documented {json_type(example)}"]
    if isinstance(example, dict):
        found = []
        for key, value in example.items():
            if key not in actual:
                found.append(f"{path}.{key}: missing")
            else:
                found += mismatches(value, actual[key], f"{path}.{key}", skip)
        return found
    if isinstance(example, list) and example:
        if not actual:
            return [f"{path}: empty, documented with items"]
        return [problem for item in actual for problem in mismatches(example[0], item, f"{path}[]", skip)]
    return []
