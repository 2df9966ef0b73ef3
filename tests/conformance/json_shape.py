"""The one comparison of a service's JSON answer with a documented example, for both emulators' conformance
suites: every property the example shows is present with the same JSON type, nested objects and array items
alike (each item against the example's first); values are never compared.

Shared rules: null in the example accepts anything; a `skipped` path is not compared; an `opaque` path is
compared by JSON type only; an example's non-empty array needs a non-empty one; extra properties are allowed.
A service's own rules of what may be left out go in `leaves_out` (see graph/shape.py).
"""

from __future__ import annotations

from collections.abc import Iterable
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


class ShapeCheck:
    """Collects every difference between an example body and ours, as readable lines."""

    def __init__(self, opaque: Iterable[str] = (), skipped: Iterable[str] = ()) -> None:
        self.opaque = set(opaque)
        self.skipped = set(skipped)
        self.problems: list[str] = []

    def leaves_out(self, name: str, path: str, example: dict[str, Any], entity_level: bool) -> bool:
        """Whether the service may leave out the example's property `name` of the object at `path`."""
        return False

    def _problem(self, text: str) -> None:
        if text not in self.problems:  # every element of an array reports the same gap once
            self.problems.append(text)

    def compare(self, example: Any, ours: Any, path: str = "$", entity_level: bool = False) -> None:
        if example is None or path in self.skipped:
            return
        if json_type(example) != json_type(ours):
            self._problem(f"{path}: the example has a {json_type(example)}, ours is {json_type(ours)}")
            return
        if path in self.opaque:
            return
        if isinstance(example, dict):
            for name, value in example.items():
                if self.leaves_out(name, path, example, entity_level):
                    continue
                if name not in ours:
                    self._problem(f"{path}.{name}: missing")
                    continue
                self.compare(value, ours[name], f"{path}.{name}")
        elif isinstance(example, list) and example:
            if not ours:
                self._problem(f"{path}: the example shows items, ours is empty")
            for item in ours:
                self.compare(example[0], item, f"{path}[]", entity_level=path == "$.value")
