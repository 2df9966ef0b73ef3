"""Items a pass could not write, kept in the sync state until one is written: `/api/me` counts them as the
kind's `failed` items and names the latest in `last_error`; the sync log tells of each failure once.

Retry policy. Recruit refusing a record (a per-record `INVALID_DATA`, `MANDATORY_NOT_FOUND`,
`DUPLICATE_DATA`, ...) and Outlook answering a 4xx other than those below are permanent: the same content
would be refused again, so it is not sent again until the item changes (its fingerprint differs), and the
cursors move past it. A throttled or failing server (Recruit's limit codes, Graph 429, 5xx, and 404 / 409 /
412 / 423, which a later pass settles) is transient: retried by the failure retries and every later pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sync_core.domain.fingerprint import fingerprint
from sync_core.domain.items import FieldValues
from sync_core.recruit.errors import LIMIT_CODES
from sync_core.store.syncstate import FailedItem, SyncState

# Per-record codes that say "not now" rather than "not this".
TRANSIENT_RECORD_CODES = frozenset({"INTERNAL_ERROR", "TOO_MANY_REQUESTS", *LIMIT_CODES})
# Graph 4xx answers a later pass settles (gone, edited meanwhile, locked, throttled).
TRANSIENT_GRAPH_STATUSES = frozenset({404, 408, 409, 412, 423, 429})
# The last_error code while items are failing; other codes (a dead token, a deleted calendar) are not ours.
ITEMS_FAILED = "items_failed"
# At most this many are kept (a row holds < 1 MiB); the oldest go first.
MAX_KEPT = 200


def record_refusal_is_permanent(code: str) -> bool:
    return code.upper() not in TRANSIENT_RECORD_CODES


def graph_refusal_is_permanent(status: int) -> bool:
    return 400 <= status < 500 and status not in TRANSIENT_GRAPH_STATUSES


def item_key(recruit_key: str | None, graph_id: str | None) -> str:
    """One name per item: its Recruit key once it has one, else its Outlook id."""
    return f"r:{recruit_key}" if recruit_key else f"g:{graph_id}"


def content_of(fields: FieldValues | None) -> str:
    """The fingerprint of what a write carried: a changed item has another one."""
    values = dict(fields or {})
    return fingerprint(values, values.keys())


@dataclass
class FailureBook:
    """A pass's view of failed items: those stored before it (`known`), those it failed, those it wrote."""

    known: Mapping[str, FailedItem]
    now: datetime
    failed: dict[str, FailedItem] = field(default_factory=dict)
    written: set[str] = field(default_factory=set)

    def refused_before(
        self, recruit_key: str | None, graph_id: str | None, fields: FieldValues | None
    ) -> bool:
        """Whether this very content of the item was refused for good by an earlier pass: not sent again."""
        known = self.known.get(item_key(recruit_key, graph_id))
        return known is not None and known.permanent and known.content == content_of(fields)

    def fail(
        self,
        recruit_key: str | None,
        graph_id: str | None,
        title: str,
        reason: str,
        fields: FieldValues | None,
        permanent: bool,
    ) -> bool:
        """Records a failure; True when it is news (to be logged): the item was not failing for this reason
        with this content before."""
        key, content = item_key(recruit_key, graph_id), content_of(fields)
        known = self.known.get(key)
        news = known is None or known.reason != reason or known.content != content
        since = self.now.isoformat() if news or known is None else known.since
        self.failed[key] = FailedItem(
            title=title, reason=reason, content=content, permanent=permanent, since=since
        )
        return news

    def wrote(self, recruit_key: str | None, graph_id: str | None) -> None:
        """The item was written: whatever failed for it before is over."""
        if recruit_key:
            self.written.add(item_key(recruit_key, None))
        if graph_id:
            self.written.add(item_key(None, graph_id))

    def changes(self, state: SyncState) -> dict[str, object]:
        """The sync-state update: failed items without the written ones, plus this pass's, and `last_error`
        naming the latest while any is left (cleared once none is, if it was ours)."""
        items = {
            k: v for k, v in state.failed_items.items() if k not in self.written and k not in self.failed
        }
        items.update({k: v for k, v in self.failed.items() if k not in self.written})
        if len(items) > MAX_KEPT:
            items = dict(sorted(items.items(), key=lambda pair: pair[1].since)[-MAX_KEPT:])
        update: dict[str, object] = {"failed_items": items}
        if state.last_error_code in ("", ITEMS_FAILED):
            if items:
                latest = max(items.values(), key=lambda item: item.since)
                count = f"{len(items)} item(s) could not be synced"
                update["last_error_code"] = ITEMS_FAILED
                update["last_error_message"] = f"{count}; latest: {latest.title}: {latest.reason}"
            else:
                update["last_error_code"], update["last_error_message"] = "", ""
        return update

    def changes_anything(self, state: SyncState) -> bool:
        return bool(self.failed) or any(key in state.failed_items for key in self.written)
