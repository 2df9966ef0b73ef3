"""Lists addressed slot by slot (a contact's `emailAddresses[1]`, `[2]`), compared as lists without gaps.

Graph lists have no holes, so Recruit's ("", b) is Outlook's [b]: both are the same list. Aligning one
side's slots to the agreed snapshot when the two are the same list keeps a gap from reading as an edit,
and keeps the snapshot's slot for each value, so no value moves into another field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sync_core.domain.canonical import Canonical, canonical_value
from sync_core.domain.items import FieldValues, JsonValue

SlotGroup = Sequence[str]  # the slot names of one list, in slot order


def without_gaps(fields: FieldValues, slots: SlotGroup) -> list[Canonical]:
    """The group's values in slot order, empty slots left out, in canonical form."""
    values = (canonical_value(fields.get(name)) for name in slots)
    return [value for value in values if value is not None]


def same_list(left: FieldValues, right: FieldValues, slots: SlotGroup) -> bool:
    return without_gaps(left, slots) == without_gaps(right, slots)


def aligned(fields: FieldValues, reference: FieldValues, groups: Iterable[SlotGroup]) -> dict[str, JsonValue]:
    """`fields` with each group that holds the same list as `reference` (gaps aside) given `reference`'s
    slots. A group whose list differs, or that `fields` does not carry at all, is left as it is."""
    result = dict(fields)
    for slots in groups:
        if not any(name in fields for name in slots):
            continue
        if same_list(fields, reference, slots):
            result.update({name: reference.get(name) for name in slots})
    return result
