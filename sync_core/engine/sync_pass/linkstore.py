"""Conversion between the domain's links (what the planner reads) and the store's link rows, in one place.

Tombstones are rows in the `tombstone` state; a deleted record's (dormant forever) says so in its fingerprint.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sync_core.domain.items import FOREVER, FieldValues, JsonValue, RecruitRef
from sync_core.domain.items import Link as DomainLink
from sync_core.store.connections import ConnectionKey
from sync_core.store.links import Link as StoredLink
from sync_core.store.syncstate import Kind

# A deleted record's tombstone is stamped FOREVER; year 9999 is a poor fit for Table storage, so the row
# keeps no stamp and says so in its fingerprint (a tombstone has no fingerprint of its own).
FOREVER_MARK = "forever"
_DATETIME = "$dt"
_DATE = "$date"


def _encode(value: JsonValue) -> Any:
    """JSON-safe form of a field value that `_decode` turns back into the same value (datetimes tagged)."""
    if isinstance(value, datetime):
        return {_DATETIME: value.isoformat()}
    if isinstance(value, date):
        return {_DATE: value.isoformat()}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return {key: _encode(item) for key, item in value.items()}
    return value


def _decode(value: Any) -> JsonValue:
    if isinstance(value, dict):
        if set(value) == {_DATETIME}:
            return datetime.fromisoformat(str(value[_DATETIME]))
        if set(value) == {_DATE}:
            return date.fromisoformat(str(value[_DATE]))
        return {str(key): _decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value  # type: ignore[no-any-return]


def encode_snapshot(snapshot: FieldValues) -> dict[str, Any]:
    return {name: _encode(value) for name, value in snapshot.items()}


def decode_snapshot(stored: dict[str, Any]) -> dict[str, JsonValue]:
    return {name: _decode(value) for name, value in stored.items()}


def to_domain(stored: StoredLink) -> DomainLink:
    ref = RecruitRef(stored.recruit_module, stored.recruit_id) if stored.recruit_id else None
    graph_id = stored.graph_id or None
    if stored.state == "tombstone":
        stamp = FOREVER if stored.fingerprint == FOREVER_MARK else stored.recruit_modified
        return DomainLink.tombstone(ref, graph_id, stamp)
    return DomainLink(
        recruit=ref,
        graph_id=graph_id,
        fingerprint=stored.fingerprint,
        snapshot=decode_snapshot(stored.snapshot),
        recruit_modified=stored.recruit_modified,
        graph_modified=stored.graph_modified,
        state=stored.state,
        recruit_seen=stored.recruit_seen,
        graph_seen=stored.graph_seen,
    )


def to_store(link: DomainLink, connection: ConnectionKey, kind: Kind, title: str = "") -> StoredLink:
    ref = link.recruit
    values: dict[str, Any] = {
        "connection": connection,
        "kind": kind,
        "recruit_module": ref.module if ref else "",
        "recruit_id": ref.id if ref else "",
        "graph_id": link.graph_id or "",
        "title": title[:200],
    }
    if link.state == "tombstone":
        forever = link.recruit_modified == FOREVER
        values["fingerprint"] = FOREVER_MARK if forever else ""
        values["recruit_modified"] = None if forever else link.recruit_modified
        return StoredLink(**values, state="tombstone")
    values.update(
        fingerprint=link.fingerprint,
        snapshot=encode_snapshot(link.snapshot),
        recruit_modified=link.recruit_modified,
        graph_modified=link.graph_modified,
        state=link.state,
        recruit_seen=link.recruit_seen,
        graph_seen=link.graph_seen,
    )
    return StoredLink(**values)
