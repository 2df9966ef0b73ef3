"""The storage the engine needs, as small Protocols: what a use case may ask of connections, sync state,
links, the sync log and the sync queue. `store/` implements them on Azure Storage; tests may pass in-memory
doubles of the same shape (the repository edge is the only place fakes are allowed).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from datetime import datetime
from typing import Protocol

from sync_core.store.connections import Connection, ConnectionKey
from sync_core.store.links import Link
from sync_core.store.queues import LifecycleRequest, SyncRequest
from sync_core.store.synclog import LogEntry, LogType, SyncLogPage
from sync_core.store.syncstate import Kind, Lease, LeaseBusy, SyncState


class ConnectionStore(Protocol):
    async def get(self, key: ConnectionKey) -> Connection | None: ...

    async def upsert(self, connection: Connection) -> Connection: ...

    async def reseal(self, key: ConnectionKey) -> bool: ...

    async def key_at(self, partition: str, row: str) -> ConnectionKey | None: ...

    async def delete(self, key: ConnectionKey) -> None: ...

    def list_all(self) -> AsyncIterator[Connection]: ...

    def list_org(self, org_id: str) -> AsyncIterator[Connection]: ...


class SyncStateStore(Protocol):
    """One row per (connection, kind); every write ETag-matched, the pass lease kept in the row."""

    async def get(self, key: ConnectionKey, kind: Kind) -> SyncState | None: ...

    async def delete(self, key: ConnectionKey, kind: Kind) -> None: ...

    async def create_if_missing(self, key: ConnectionKey, kind: Kind) -> SyncState: ...

    async def modify(
        self, key: ConnectionKey, kind: Kind, change: Callable[[SyncState], SyncState | None]
    ) -> SyncState: ...

    async def acquire(
        self, key: ConnectionKey, kind: Kind, owner: str, now: datetime, seconds: int
    ) -> Lease | LeaseBusy: ...

    async def try_acquire(
        self, key: ConnectionKey, kind: Kind, owner: str, now: datetime, seconds: int
    ) -> Lease | None: ...

    async def renew(self, lease: Lease, now: datetime, seconds: int) -> Lease: ...

    async def release(self, lease: Lease, failed: bool = False) -> bool: ...


class LinkStore(Protocol):
    """Each Recruit record <-> Graph item pair, findable from either side."""

    async def save_many(self, links: Sequence[Link]) -> None: ...

    async def by_graph(self, connection: ConnectionKey, kind: Kind, graph_id: str) -> Link | None: ...

    async def get_many_by_recruit(
        self, connection: ConnectionKey, kind: Kind, module: str, recruit_ids: Iterable[str]
    ) -> dict[str, Link]: ...

    async def get_many_by_graph(
        self, connection: ConnectionKey, kind: Kind, graph_ids: Iterable[str]
    ) -> dict[str, Link]: ...

    def list_all(self, connection: ConnectionKey, kind: Kind) -> AsyncIterator[Link]: ...

    async def count_linked(self, connection: ConnectionKey, kind: Kind, as_of: str | None = None) -> int: ...

    async def delete_partition(self, connection: ConnectionKey, kind: Kind) -> int: ...


class SyncLogStore(Protocol):
    async def append(self, connection: ConnectionKey, entry: LogEntry) -> None: ...

    async def recent(
        self,
        connection: ConnectionKey,
        kind: Kind | None = None,
        limit: int = 50,
        before: str | None = None,
        entry_type: LogType | None = None,
    ) -> SyncLogPage: ...


class CreditStore(Protocol):
    """Recruit API credits spent per org per UTC day."""

    async def add(self, org_id: str, credits: int, now: datetime) -> int: ...

    async def used_today(self, org_id: str, now: datetime | None = None) -> int: ...


class SyncQueue(Protocol):
    async def send_sync(self, request: SyncRequest, visibility_timeout: int | None = None) -> None: ...

    async def send_lifecycle(
        self, request: LifecycleRequest, visibility_timeout: int | None = None
    ) -> None: ...
