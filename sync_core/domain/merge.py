"""Three-way field merge of concurrent edits: one-sided changes win, two-sided ones go to the newer side.

"Changed" means changed in canonical form (see canonical.py), so formatting noise never counts as an edit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sync_core.domain.canonical import same_value
from sync_core.domain.items import FieldValues, JsonValue


def merge3(
    base: FieldValues,
    recruit: FieldValues,
    graph: FieldValues,
    recruit_modified: datetime,
    graph_modified: datetime,
    names: Iterable[str] | None = None,
) -> tuple[dict[str, JsonValue], list[str]]:
    """Merge per field over `names` (default: every name any of the three holds).

    Returns the merged values and the sorted names of fields both sides changed to different values
    (settled by the newer modification time; ties go to Recruit).
    """
    field_names = sorted(set(names) if names is not None else {*base, *recruit, *graph})
    recruit_wins_ties = recruit_modified >= graph_modified
    merged: dict[str, JsonValue] = {}
    conflicts: list[str] = []
    for name in field_names:
        before, ours, theirs = base.get(name), recruit.get(name), graph.get(name)
        recruit_changed = not same_value(before, ours)
        graph_changed = not same_value(before, theirs)
        if recruit_changed and graph_changed and not same_value(ours, theirs):
            conflicts.append(name)
            merged[name] = ours if recruit_wins_ties else theirs
        elif graph_changed and not recruit_changed:
            merged[name] = theirs
        else:
            merged[name] = ours
    return merged, conflicts
