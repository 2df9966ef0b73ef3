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

from ..json_shape import ShapeCheck as JsonShapeCheck

REQUIRED_ANNOTATIONS = {"@odata.context", "@odata.etag", "@odata.nextLink", "@odata.deltaLink", "@removed"}
IGNORED_HEADERS = {"content-type", "content-length"}


class ShapeCheck(JsonShapeCheck):
    """The shared comparison with Graph's variability: optional control information (4) and `$select` (3)."""

    def __init__(
        self, selected: Iterable[str] | None = None, opaque: Iterable[str] = (), skipped: Iterable[str] = ()
    ) -> None:
        super().__init__(opaque, skipped)
        self.selected = {s.lower() for s in selected} if selected is not None else None

    def leaves_out(self, name: str, path: str, example: dict[str, Any], entity_level: bool) -> bool:
        if "@" in name and name not in REQUIRED_ANNOTATIONS:
            return True
        top = path == "$" and "value" not in example
        return (top or entity_level) and self.selected is not None and not self._selected(name)

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
