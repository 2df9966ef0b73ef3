"""Values one side keeps only in part: Recruit holds the first `length` characters of a longer text that
Outlook keeps whole, and reading that cut back is no edit on either side. Pure."""

from __future__ import annotations

from collections.abc import Mapping

from sync_core.domain.canonical import same_value
from sync_core.domain.items import FieldValues, JsonValue
from sync_core.domain.text_limits import truncate


def widen_cut_values(
    fields: FieldValues, agreed: FieldValues, lengths: Mapping[str, int]
) -> dict[str, JsonValue]:
    """`fields` with every value that is the agreed value cut to its field's length (as `truncate` cuts it)
    taken back to the agreed value, so the planner sees our own shortened write as an echo.

    `lengths` maps canonical field names to Recruit's limits. A value the user changed in Recruit to anything
    else than that cut stays as it is: an edit.
    """
    widened = dict(fields)
    for name, limit in lengths.items():
        full = agreed.get(name)
        if name not in fields or not isinstance(full, str) or limit <= 0:
            continue
        cut = truncate(full, limit)
        if cut != full and same_value(fields.get(name), cut):
            widened[name] = full
    return widened
