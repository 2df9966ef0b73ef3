"""One pass's scope: the connection, its kind, both clients and the sync state, opened together under the
pass lease; `keep_lease` between stages stops the pass once sync was turned off or restarted.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sync_core.engine.context import EngineContext
from sync_core.engine.sync_kinds.kinds import KindContext, SyncKind
from sync_core.graph.client import GraphClient
from sync_core.recruit.client import RecruitClient
from sync_core.store.connections import Connection, ConnectionKey
from sync_core.store.syncstate import Lease, SyncState

# Field metadata per (org, module): it changes rarely (a new custom field, a field's length) and every pass
# needs the owner field's name and the lengths texts are cut to. A Recruit credit is precious, so a worker
# reads it at most once a day per org and module; the mapping popup's own fresh read refreshes it
# (`remember_fields`), so a field an admin just added counts at once.
FIELDS_TTL_SECONDS = 86_400.0
_FIELDS_CACHE: dict[tuple[str, str], tuple[float, list[dict[str, Any]]]] = {}


class SyncStopped(Exception):
    """Sync of the pass's (connection, kind) was turned off or restarted meanwhile: it must write no more."""


@dataclass
class PassScope:
    """Everything one pass for one (connection, kind) works with."""

    ctx: EngineContext
    connection: Connection
    kind: SyncKind
    kind_ctx: KindContext
    graph: GraphClient
    recruit: RecruitClient
    state: SyncState
    lease: Lease | None = None

    async def keep_lease(self) -> None:
        """Renew the lease between stages (a throttled stage may be slow) and check that sync still runs
        for the same container; raises LeaseLost or SyncStopped, after which the pass must not write."""
        if self.lease is None:
            return
        ctx = self.ctx
        self.lease = await ctx.syncstate.renew(self.lease, ctx.clock(), ctx.settings.lease_seconds)
        current = await ctx.syncstate.get(self.key, self.kind.name)
        if (
            current is None
            or current.status not in ("active", "initial_sync")
            or current.container_id != self.container_id
        ):
            raise SyncStopped(f"{self.key} {self.kind.name}: sync turned off or restarted during the pass")

    @property
    def key(self) -> ConnectionKey:
        return self.connection.key

    @property
    def mailbox(self) -> str:
        return self.connection.microsoft_user_id

    @property
    def container_id(self) -> str:
        return self.state.container_id


def remember_fields(org_id: str, module: str, metadata: list[dict[str, Any]]) -> None:
    """Field metadata just read elsewhere: the passes of this worker use it instead of reading it again."""
    _FIELDS_CACHE[(org_id, module)] = (time.monotonic(), metadata)


async def kind_context(
    ctx: EngineContext, connection: Connection, kind: SyncKind, recruit: RecruitClient, state: SyncState
) -> KindContext:
    """What the kind's conversions need, with each module's field metadata (cached per process)."""
    owner_fields: dict[str, str] = {}
    recruit_fields: dict[str, list[dict[str, Any]]] = {}
    for module in kind.recruit_modules:
        cache_key = (connection.org_id, module)
        cached = _FIELDS_CACHE.get(cache_key)
        if cached is None or time.monotonic() - cached[0] > FIELDS_TTL_SECONDS:
            metas = await recruit.fields(module)
            cached = _FIELDS_CACHE[cache_key] = (time.monotonic(), [meta.model_dump() for meta in metas])
        recruit_fields[module] = cached[1]
        owner = next((f for f in recruit_fields[module] if f.get("data_type") == "ownerlookup"), None)
        if owner is not None:
            owner_fields[module] = str(owner.get("api_name"))
    return KindContext(
        settings=ctx.settings,
        recruit_user_id=connection.user_id,
        recruit_user_name=connection.name,
        time_zone=connection.time_zone or "UTC",
        owner_fields=owner_fields,
        mapping=state.mapping,
        recruit_fields=recruit_fields,
    )


@asynccontextmanager
async def open_scope(
    ctx: EngineContext, key: ConnectionKey, kind: SyncKind, state: SyncState, lease: Lease | None = None
) -> AsyncIterator[PassScope | None]:
    """The pass scope with both clients open, or None when the connection is gone."""
    connection = await ctx.connections.get(key)
    if connection is None:
        yield None
        return
    async with ctx.recruit(connection) as recruit, ctx.graph(connection) as graph:
        kind_ctx = await kind_context(ctx, connection, kind, recruit, state)
        yield PassScope(ctx, connection, kind, kind_ctx, graph, recruit, state, lease)


async def reload_state(scope: PassScope) -> None:
    """Reads the scope's sync state again (after a stage that wrote it); SyncStopped when it is gone."""
    state = await scope.ctx.syncstate.get(scope.key, scope.kind.name)
    if state is None:
        raise SyncStopped(f"{scope.key} {scope.kind.name}: sync state deleted during the pass")
    scope.state = state
