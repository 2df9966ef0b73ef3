"""How a response from the emulator is compared with a documentation example, and the one place that lists
what may differ between them (the documented variability).

Compared: the status code; every property name the example shows is present; JSON types match
(string, number, boolean, object, array, null); nested objects and array elements have the example's shape.
Never compared: values. What may differ, and why:

1. **Values** (ids, dates, etags, change keys, names): examples come from other mailboxes and other days.
2. **null in the example** means the example's item had no value there; any type is accepted.
3. **`$select`**: properties outside the selection are not required (OData `$select`; several examples
   show more properties than they selected, e.g. contact-delta.md).
4. **OData control information** other than `@odata.context`, `@odata.etag`, `@odata.nextLink`,
   `@odata.deltaLink` and `@removed`: `@odata.id`, `@odata.type`, `@odata.mediaEtag`, `*@odata.navigationLink`
   and the like may be left out by a service under the default `odata.metadata=minimal` when a client can
   compute them (OData JSON Format v4.01, section 4.5 "Control Information").
5. **Arrays**: an example's non-empty array needs a non-empty one here; every element here has the shape of
   the example's first element. An empty array in the example accepts any array.
6. **Opaque paths** a case names (e.g. a batch item's `headers`): only the JSON type is compared, because the
   example shows another service's headers.
7. **Contradicted paths** a case names under `contradicted`, with the page that contradicts the example
   (e.g. the resource page types a property differently from an example copied from beta): not compared.
8. **Response headers**: those the example shows, other than Content-Type and Content-Length, must be present.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

REQUIRED_ANNOTATIONS = {"@odata.context", "@odata.etag", "@odata.nextLink", "@odata.deltaLink", "@removed"}
IGNORED_HEADERS = {"content-type", "content-length"}


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


def _optional_annotation(name: str) -> bool:
    return "@" in name and name not in REQUIRED_ANNOTATIONS


class ShapeCheck:
    """Collects every difference between an example body and ours, as readable lines."""

    def __init__(
        self, selected: Iterable[str] | None = None, opaque: Iterable[str] = (), skipped: Iterable[str] = ()
    ) -> None:
        self.selected = {s.lower() for s in selected} if selected is not None else None
        self.opaque = set(opaque)
        self.skipped = set(skipped)
        self.problems: list[str] = []

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
            self._compare_object(example, ours, path, entity_level)
        elif isinstance(example, list) and example:
            if not ours:
                self._problem(f"{path}: the example shows items, ours is empty")
            for item in ours:
                self.compare(example[0], item, f"{path}[]", entity_level=path == "$.value")

    def _compare_object(self, example: dict[str, Any], ours: dict[str, Any], path: str, entity: bool) -> None:
        top = path == "$" and "value" not in example
        for name, value in example.items():
            if _optional_annotation(name):
                continue
            if (top or entity) and self.selected is not None and not self._selected(name):
                continue
            if name not in ours:
                self._problem(f"{path}.{name}: missing")
                continue
            self.compare(value, ours[name], f"{path}.{name}")

    def _selected(self, name: str) -> bool:
        assert self.selected is not None
        return name == "id" or name.startswith("@") or name.lower() in self.selected


def header_problems(example_headers: dict[str, str], ours: Any) -> list[str]:
    """Headers the example shows (beyond content type and length) that our response lacks."""
    return [
        f"header {name}: missing"
        for name in example_headers
        if name.lower() not in IGNORED_HEADERS and name.lower() not in {k.lower() for k in ours}
    ]
