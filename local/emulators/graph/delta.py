"""Delta queries: calendarView/delta over a fixed window and contacts/delta, with skip and delta tokens.

A round snapshots its pages when it starts; the deltaLink remembers the sequence number it covered and the
ids the client has seen in the window, so a later round reports changes, deletions and items that left it.
A round works on entries (id, seq, view): contacts and single events are items, while the calendarView
delta's entries are the occurrences, exceptions and single instances of `series.py` (`calendar_view.py`).
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .errors import GraphError, bad_request
from .store import CALENDAR, Container, Item, Mailbox
from .timezones import to_utc

DEFAULT_PAGE_SIZE = 10  # Graph's default for both deltas.

ItemRenderer = Callable[[Item], dict[str, Any]]


@dataclass(frozen=True)
class DeltaEntry:
    """One thing a delta round can report: its id, the seq of its last change, and its view when needed."""

    id: str
    seq: int
    view: Callable[[], dict[str, Any]]


@dataclass
class DeltaCursor:
    mailbox_id: str
    container_id: str
    window: tuple[datetime, datetime] | None
    select: list[str] | None
    watermark: int
    known_ids: set[str]
    pending: list[dict[str, Any]] = field(default_factory=list)
    expired: bool = False


def sync_state_gone() -> GraphError:
    return GraphError(410, "SyncStateNotFound", "The sync state generation is not found. Start a new round.")


def in_window(item: Item, window: tuple[datetime, datetime] | None) -> bool:
    if window is None:
        return True
    start = to_utc(item.fields["start"]["dateTime"], item.fields["start"]["timeZone"])
    end = to_utc(item.fields["end"]["dateTime"], item.fields["end"]["timeZone"])
    # An instant (end == start) inside the window counts too.
    return start < window[1] and (end > window[0] or start >= window[0])


class DeltaBook:
    """All live cursors, by token (skip and delta tokens share one namespace)."""

    def __init__(self) -> None:
        self.cursors: dict[str, DeltaCursor] = {}

    def reset(self) -> None:
        self.cursors.clear()

    def expire(self, mailbox_id: str | None = None) -> int:
        count = 0
        for cursor in self.cursors.values():
            if mailbox_id is None or cursor.mailbox_id == mailbox_id:
                cursor.expired = True
                count += 1
        return count

    def start(
        self, mailbox: Mailbox, container: Container, window: tuple[datetime, datetime] | None,
        select: list[str] | None, seq: int, render: ItemRenderer,
    ) -> DeltaCursor:  # fmt: skip
        return self.start_entries(
            mailbox, container, window, select, seq, _item_entries(container, window, render)
        )

    def start_entries(
        self, mailbox: Mailbox, container: Container, window: tuple[datetime, datetime] | None,
        select: list[str] | None, seq: int, entries: list[DeltaEntry],
    ) -> DeltaCursor:  # fmt: skip
        """A first round: everything in the window, in the order it last changed."""
        ordered = sorted(entries, key=lambda e: e.seq)
        cursor = DeltaCursor(mailbox.id, container.id, window, select, seq, {e.id for e in ordered})
        cursor.pending = [e.view() for e in ordered]
        return cursor

    def resume(self, token: str, mailbox: Mailbox, container: Container) -> DeltaCursor:
        cursor = self.cursors.get(token)
        if cursor is None or cursor.expired:
            raise sync_state_gone()
        if cursor.mailbox_id != mailbox.id or cursor.container_id != container.id:
            raise bad_request("The token does not belong to this resource.", "ErrorInvalidUrlQuery")
        return cursor

    def follow_delta(
        self, cursor: DeltaCursor, container: Container, seq: int, render: ItemRenderer
    ) -> DeltaCursor:
        entries = _item_entries(container, cursor.window, render)
        return self.follow_entries(cursor, entries, container.tombstones, seq)

    def follow_entries(
        self, cursor: DeltaCursor, entries: list[DeltaEntry], tombstones: Iterable[tuple[int, str]], seq: int
    ) -> DeltaCursor:
        """A new round from a deltaLink: what changed since its watermark, and `@removed` for what the
        client saw that is gone (deleted, cancelled, or out of the window) and for deletions since then."""
        changes: list[tuple[int, dict[str, Any]]] = [
            (e.seq, e.view()) for e in entries if e.seq > cursor.watermark
        ]
        current = {e.id for e in entries}
        removed: set[str] = set()
        for tomb_seq, item_id in sorted(tombstones):
            if tomb_seq > cursor.watermark and item_id not in current and item_id not in removed:
                removed.add(item_id)
                changes.append((tomb_seq, _removed(item_id)))
        for item_id in sorted(cursor.known_ids - current - removed):
            changes.append((seq, _removed(item_id)))
        changes.sort(key=lambda pair: pair[0])
        fresh = DeltaCursor(
            cursor.mailbox_id, cursor.container_id, cursor.window, cursor.select, seq, current
        )
        fresh.pending = [view for _, view in changes]
        return fresh

    def page(self, cursor: DeltaCursor, page_size: int, link_base: str) -> dict[str, Any]:
        """Serve the next page of a round and hand out the link to what comes after it."""
        chunk, rest = cursor.pending[:page_size], cursor.pending[page_size:]
        token = secrets.token_urlsafe(24)
        follower = DeltaCursor(
            cursor.mailbox_id, cursor.container_id, cursor.window, cursor.select, cursor.watermark,
            set(cursor.known_ids), rest,
        )  # fmt: skip
        self.cursors[token] = follower
        answer: dict[str, Any] = {"value": chunk}
        if rest:
            answer["@odata.nextLink"] = f"{link_base}?$skiptoken={token}"
        else:
            answer["@odata.deltaLink"] = f"{link_base}?$deltatoken={token}"
        return answer


def _removed(item_id: str) -> dict[str, Any]:
    return {"id": item_id, "@removed": {"reason": "deleted"}}


def _item_entries(
    container: Container, window: tuple[datetime, datetime] | None, render: ItemRenderer
) -> list[DeltaEntry]:
    return [
        DeltaEntry(i.id, i.seq, functools.partial(render, i))
        for i in container.items.values()
        if in_window(i, window)
    ]


def is_calendar(container: Container) -> bool:
    return container.kind == CALENDAR
