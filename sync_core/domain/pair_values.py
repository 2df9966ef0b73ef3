"""The value arithmetic of the planner on one pair: the newest change per id, replays and echoes, each side's
view over the agreed snapshot, the patch a side needs, and the agreed, stamped link. Pure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TypeVar

from sync_core.domain.canonical import project, same_fields, same_value
from sync_core.domain.fingerprint import fingerprint
from sync_core.domain.items import FieldValues, GraphChange, JsonValue, Link, RecruitChange
from sync_core.domain.length_limits import widen_cut_values
from sync_core.domain.list_slots import SlotGroup, aligned

_C = TypeVar("_C", RecruitChange, GraphChange)


def latest(changes: Iterable[_C], key_of: Callable[[_C], str]) -> dict[str, _C]:
    latest: dict[str, _C] = {}
    for change in changes:
        key = key_of(change)
        kept = latest.get(key)
        if kept is None or _supersedes(change, kept):
            latest[key] = change
    return latest


def _supersedes(change: RecruitChange | GraphChange, kept: RecruitChange | GraphChange) -> bool:
    if change.deleted != kept.deleted:
        return change.deleted
    return change.modified >= kept.modified


def stale(
    change: RecruitChange | GraphChange,
    agreed_at: datetime | None,
    seen: str = "",
    names: Sequence[str] = (),
) -> bool:
    """An update older than the one the link already took in is a replay, and so is that one itself: stamped
    at the same time and holding what the link saw then (`seen`, its `version` over `names`), or anything
    when what it saw is unknown. Other content at the same time is an edit made within that time's second.
    Deletions are never stale: ids never come back, and the engine may not know when a deletion happened."""
    if change.deleted or agreed_at is None or change.modified > agreed_at:
        return False
    return change.modified < agreed_at or not seen or version(change, names) == seen


def fresh(change: _C | None, agreed_at: datetime | None, seen: str, names: Sequence[str]) -> _C | None:
    """The change of a linked side, or None when it is `stale` against what the link took in."""
    return None if change is None or stale(change, agreed_at, seen, names) else change


def version(change: RecruitChange | GraphChange, names: Sequence[str]) -> str:
    """What one side held at one time, as a fingerprint of its synced fields ("" for a deletion)."""
    return "" if change.fields is None else fingerprint(change.fields, names)


def echo(fields: FieldValues | None, snapshot: FieldValues, names: Sequence[str]) -> bool:
    """True when `fields` equal the agreed snapshot on the fields that side may change: our own write
    coming back, or a change that touched nothing we sync."""
    return fields is not None and same_fields(fields, snapshot, names)


def overlay(base: FieldValues, fields: FieldValues | None, names: Sequence[str]) -> dict[str, JsonValue]:
    result = dict(base)
    if fields is not None:
        result.update(project(fields, names))
    return result


def current(snapshot: FieldValues, fields: FieldValues | None, names: Sequence[str]) -> FieldValues:
    # Without a change from a side, it still holds the agreed snapshot.
    return project(fields, names) if fields is not None else snapshot


def differing(wanted: FieldValues, current: FieldValues, names: Sequence[str]) -> dict[str, JsonValue]:
    return {name: wanted.get(name) for name in names if not same_value(wanted.get(name), current.get(name))}


def agreed(link: Link, merged: FieldValues, names: Sequence[str]) -> Link:
    return replace(link, fingerprint=fingerprint(merged, names), snapshot=dict(merged), state="linked")


def stamped(
    link: Link, recruit: RecruitChange | None, graph: GraphChange | None, names: Sequence[str]
) -> Link:
    """The link having taken in these changes (as read, before any widening): their times and versions."""
    return replace(
        link,
        recruit_modified=later(link.recruit_modified, recruit.modified if recruit else None),
        graph_modified=later(link.graph_modified, graph.modified if graph else None),
        recruit_seen=_seen(link.recruit_seen, link.recruit_modified, recruit, names),
        graph_seen=_seen(link.graph_seen, link.graph_modified, graph, names),
        state="linked",
    )


def _seen(
    seen: str, at: datetime | None, change: RecruitChange | GraphChange | None, names: Sequence[str]
) -> str:
    if change is None or (at is not None and change.modified < at):
        return seen
    return version(change, names)


def later(first: datetime | None, second: datetime | None) -> datetime | None:
    if first is None or second is None:
        return first or second
    return max(first, second)


def read_against(
    change: _C | None,
    snapshot: FieldValues,
    list_groups: Sequence[SlotGroup],
    cut_lengths: Mapping[str, int] | None = None,
) -> _C | None:
    """One side's change as it reads against the agreed snapshot: a list the same as the snapshot's but
    for gaps takes the snapshot's slots, and (Recruit's side, `cut_lengths`) a value that is the agreed one
    cut to the field's length is our own shortened write. Neither is an edit."""
    if change is None or change.fields is None:
        return change
    fields = aligned(change.fields, snapshot, list_groups) if list_groups else change.fields
    if cut_lengths:
        fields = widen_cut_values(fields, snapshot, cut_lengths)
    return change if fields is change.fields else replace(change, fields=fields)
