"""Enable, disable/teardown and subscription recreation for one (connection, kind), from the lifecycle queue.

Every step is idempotent, so a retried message completes what a failed one began; Recruit is never written.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid

from azure.core.exceptions import ResourceNotFoundError

from sync_core.engine.accounts.disconnect import finish_disconnect
from sync_core.engine.context import EngineContext, NotConnected
from sync_core.engine.sync_kinds.kinds import KindName
from sync_core.engine.sync_kinds.registry import kind_for
from sync_core.engine.sync_lifecycle.subscriptions import (
    ensure_graph_subscription,
    ensure_recruit_channel,
    remove_graph_subscription,
    remove_recruit_channel,
)
from sync_core.graph.containers import Removal
from sync_core.graph.errors import AuthRequired, GraphError
from sync_core.recruit.errors import InvalidToken, RecruitError, ScopeMismatch
from sync_core.store.connections import ConnectionKey
from sync_core.store.queues import LifecycleRequest, SyncRequest
from sync_core.store.routes import RouteSource
from sync_core.store.synclog import LogEntry
from sync_core.store.syncstate import Lease, SyncState

log = logging.getLogger(__name__)

CONTAINER_DELETED = "container_deleted"
USER_DISABLED = "user"
# How long teardown waits for a running pass to let go of the lease before deleting the links anyway.
TEARDOWN_LEASE_WAIT_SECONDS = 60.0
# A teardown queues a check this long after it starts; a teardown a crash left unfinished resumes then.
TEARDOWN_CHECK_SECONDS = 60
LEASE_POLL_SECONDS = 0.25
# Errors only the user can fix (consent withdrawn, token revoked): the state says so, nothing retries.
NEEDS_USER = (AuthRequired, InvalidToken, ScopeMismatch, NotConnected)


async def handle(ctx: EngineContext, request: LifecycleRequest) -> None:
    key = ConnectionKey.parse(request.connection)
    if request.action == "enable":
        await enable(ctx, key, request.kind)
    elif request.action == "disable":
        await teardown(ctx, key, request.kind, reason=USER_DISABLED)
    elif request.action == "teardown":
        await resume_teardown(ctx, key, request.kind)
    else:
        await recreate_subscription(ctx, key, request.kind)


def _plain_message(error: Exception) -> tuple[str, str]:
    if isinstance(error, AuthRequired):
        return "microsoft_auth", "Microsoft access has expired or was withdrawn. Enable again to sign in."
    if isinstance(error, InvalidToken):
        return "recruit_auth", "Zoho Recruit access has expired or was withdrawn. Sign in with Zoho again."
    if isinstance(error, ScopeMismatch):
        return (
            "recruit_scopes",
            "Zoho Recruit did not grant a permission sync needs. Sign in with Zoho again.",
        )
    return "not_connected", "The account is not fully connected. Enable again to sign in."


async def mark_error(ctx: EngineContext, key: ConnectionKey, kind: KindName, error: Exception) -> None:
    """Status `error` with a message the Manage page shows; logged once, never raised (no retry loop)."""
    code, message = _plain_message(error)
    log.warning("%s %s: sync stopped, needs the user: %s", key, kind, error)

    def failed(state: SyncState) -> SyncState | None:
        if state.status in ("disabled", "disabling"):
            return None
        return state.model_copy(
            update={"status": "error", "last_error_code": code, "last_error_message": message}
        )

    await ctx.syncstate.modify(key, kind, failed)
    entry = LogEntry(
        kind=kind, level="error", type="failure", title="Sync stopped", message=message, at=ctx.clock()
    )
    await ctx.synclog.append(key, entry)


async def enable(ctx: EngineContext, key: ConnectionKey, kind_name: KindName) -> None:
    """Container, subscription, channel, then `initial_sync` and its first message. Harmless when repeated."""
    kind = kind_for(kind_name, ctx.settings)
    state = await ctx.syncstate.get(key, kind_name)
    if state is None or state.status not in ("connecting", "initial_sync", "active"):
        log.info("%s %s: enable ignored in status %s", key, kind_name, state.status if state else None)
        return
    connection = await ctx.connections.get(key)
    if connection is None:
        log.info("%s %s: enable ignored, no connection", key, kind_name)
        return
    try:
        async with ctx.graph(connection) as graph:
            name = kind.container_name(ctx.settings)
            container_id = await kind.find_or_create_container(graph, connection.microsoft_user_id, name)

            def with_container(current: SyncState) -> SyncState | None:
                if current.container_id == container_id:
                    return None
                return current.model_copy(update={"container_id": container_id})

            await ctx.syncstate.modify(key, kind_name, with_container)
            await ensure_graph_subscription(ctx, connection, kind, graph)
        async with ctx.recruit(connection) as recruit:
            await ensure_recruit_channel(ctx, connection, kind, recruit)
    except NEEDS_USER as error:
        await mark_error(ctx, key, kind_name, error)
        return
    if state.status == "connecting":
        # Links left by an earlier enable name items of a calendar that no longer exists.
        await ctx.links.delete_partition(key, kind_name)

    def start(current: SyncState) -> SyncState | None:
        if current.status != "connecting":
            return None
        return current.model_copy(
            update={
                "status": "initial_sync",
                "delta_link": "",
                "delta_window_start": None,
                "delta_window_end": None,
                "recruit_watermark": None,
                "initial_done": 0,
                "initial_total": 0,
                "initial_cursor": None,
                "counters": {},
                "failed_items": {},
                "last_error_code": "",
                "last_error_message": "",
            }
        )

    started = await ctx.syncstate.modify(key, kind_name, start)
    if started.status == "initial_sync":
        # Also when repeated: a crash after the status change must not leave the initial sync unqueued.
        await ctx.queues.send_sync(SyncRequest(connection=str(key), kind=kind_name, reason="initial"))
    if state.status == "connecting":
        entry = LogEntry(kind=kind_name, type="enable", message="Sync enabled", at=ctx.clock())
        await ctx.synclog.append(key, entry)


async def teardown(
    ctx: EngineContext, key: ConnectionKey, kind_name: KindName, *, reason: str, lease: Lease | None = None
) -> None:
    """Delete the container in Outlook (its items go with it), subscription, channel, routes and links, then
    reset the state to `disabled`. Gone things count as done; Recruit records are never touched.

    The links go under the pass lease (`lease`: the caller, a pass, holds it already), so a pass still
    running cannot write a link after them; `disabling` makes such a pass stop at its next stage."""
    kind = kind_for(kind_name, ctx.settings)
    state = await ctx.syncstate.get(key, kind_name)
    if state is None:
        return

    started = ctx.clock()

    def disabling(current: SyncState) -> SyncState | None:
        return current.model_copy(update={"status": "disabling", "disabling_since": started})

    state = await ctx.syncstate.modify(key, kind_name, disabling)
    # If this worker dies before the end, the check finds the kind still `disabling` and finishes the job.
    await ctx.queues.send_lifecycle(
        LifecycleRequest(connection=str(key), kind=kind_name, action="teardown"),
        visibility_timeout=TEARDOWN_CHECK_SECONDS,
    )
    connection = await ctx.connections.get(key)
    unreachable = ""
    kept: Removal | None = None
    if connection is not None:
        try:
            async with ctx.graph(connection) as graph:
                if state.container_id and reason != CONTAINER_DELETED:
                    removal = await kind.delete_container(
                        graph, connection.microsoft_user_id, state.container_id
                    )
                    kept = None if removal.container_deleted else removal
                await remove_graph_subscription(ctx, connection, kind, graph)
        except (*NEEDS_USER, GraphError) as error:
            # Without access the calendar cannot be deleted; the subscription expires by itself.
            log.warning("%s %s: Outlook not reachable during teardown: %s", key, kind_name, error)
            unreachable = str(error)
        try:
            async with ctx.recruit(connection) as recruit:
                await remove_recruit_channel(ctx, connection, kind, recruit)
        except (*NEEDS_USER, RecruitError) as error:
            log.warning("%s %s: Recruit not reachable during teardown: %s", key, kind_name, error)
    # Routes go even when the remote side could not be reached: a late notification then finds nothing.
    if state.subscription_id:
        await _drop_route(ctx, "graph", state.subscription_id)
    if state.channel_id:
        await _drop_route(ctx, "recruit", state.channel_id)
    held = lease or await _wait_for_lease(ctx, key, kind_name)
    try:
        await ctx.links.delete_partition(key, kind_name)
        await _reset(ctx, key, kind_name, reason, unreachable)
    finally:
        if held is not None and held is not lease:
            await ctx.syncstate.release(held)  # a no-op after the reset, which clears the lease
    message = kind.container_deleted_message if reason == CONTAINER_DELETED else "Sync disabled"
    level = "warning" if reason == CONTAINER_DELETED else "info"
    if kept is not None:
        # A container we did not create (adopted by name before containers were tagged) is never deleted.
        name = kind.container_name(ctx.settings)
        message = (
            f"Sync disabled. The {name!r} {kind.container_noun} was not created by this app, so it was left "
            f"in place; only the {kept.items_removed} items this app added were removed from it."
        )
        log.warning(
            "%s %s: untagged container kept, %d tagged items removed", key, kind_name, kept.items_removed
        )
    await ctx.synclog.append(
        key, LogEntry(kind=kind_name, level=level, type="disable", message=message, at=ctx.clock())
    )
    after = await ctx.syncstate.get(key, kind_name)
    if after is not None and after.status == "connecting":
        # Enable was pressed while this teardown ran: it starts now, on a clean slate.
        await ctx.queues.send_lifecycle(
            LifecycleRequest(connection=str(key), kind=kind_name, action="enable")
        )
    await finish_disconnect(ctx, key)


async def resume_teardown(ctx: EngineContext, key: ConnectionKey, kind_name: KindName) -> None:
    """The check a teardown queues for itself: still `disabling` a minute after it began means the worker
    running it died (a restart, a crash), so the teardown runs again; every step of it is idempotent."""
    state = await ctx.syncstate.get(key, kind_name)
    if state is None or state.status != "disabling":
        return
    since = state.disabling_since
    if since is not None and (ctx.clock() - since).total_seconds() < TEARDOWN_CHECK_SECONDS:
        return  # a newer teardown began meanwhile; it queued its own check
    log.warning("%s %s: teardown left unfinished since %s: resuming it", key, kind_name, since)
    await teardown(ctx, key, kind_name, reason=USER_DISABLED)


async def _wait_for_lease(ctx: EngineContext, key: ConnectionKey, kind_name: KindName) -> Lease | None:
    """The pass lease once the running pass (if any) lets go; None after TEARDOWN_LEASE_WAIT_SECONDS, when
    teardown goes on regardless (the pass then stops at its next stage, seeing `disabling`)."""
    owner = f"teardown-{uuid.uuid4().hex}"
    deadline = time.monotonic() + TEARDOWN_LEASE_WAIT_SECONDS
    while True:
        lease = await ctx.syncstate.try_acquire(
            key, kind_name, owner, ctx.clock(), ctx.settings.lease_seconds
        )
        if lease is not None or time.monotonic() >= deadline:
            return lease
        await asyncio.sleep(LEASE_POLL_SECONDS)


async def _reset(
    ctx: EngineContext, key: ConnectionKey, kind_name: KindName, reason: str, unreachable: str
) -> None:
    def reset(current: SyncState) -> SyncState:
        # The mapping and the last sync time outlive a teardown: a disabled card still says when it last ran.
        fresh = SyncState(
            connection=key,
            kind=kind_name,
            mapping=current.mapping,
            last_sync=current.last_sync,
            etag=current.etag,
        )
        if current.enable_after_teardown:
            fresh = fresh.model_copy(update={"status": "connecting"})
        if reason == CONTAINER_DELETED:
            message = kind_for(kind_name, ctx.settings).container_deleted_message
            return fresh.model_copy(
                update={"last_error_code": CONTAINER_DELETED, "last_error_message": message}
            )
        if unreachable:
            message = "Outlook could not be reached, so the synced copies may still be there."
            return fresh.model_copy(
                update={"last_error_code": "outlook_unreachable", "last_error_message": message}
            )
        return fresh

    await ctx.syncstate.modify(key, kind_name, reset)


async def _drop_route(ctx: EngineContext, source: RouteSource, route_id: str) -> None:
    with contextlib.suppress(ResourceNotFoundError):
        await ctx.routes.delete(source, route_id)


async def recreate_subscription(ctx: EngineContext, key: ConnectionKey, kind_name: KindName) -> None:
    """A new Graph subscription (after `subscriptionRemoved`), then a resync pass for what was missed.

    Graph also removes the subscription when the user deletes the container: then sync is turned off.
    """
    kind = kind_for(kind_name, ctx.settings)
    state = await ctx.syncstate.get(key, kind_name)
    connection = await ctx.connections.get(key)
    if state is None or connection is None or state.status not in ("active", "initial_sync"):
        return
    try:
        async with ctx.graph(connection) as graph:
            mailbox = connection.microsoft_user_id
            gone = not await kind.container_exists(graph, mailbox, state.container_id)
            if not gone:
                await ensure_graph_subscription(ctx, connection, kind, graph, force_new=True)
    except NEEDS_USER as error:
        await mark_error(ctx, key, kind_name, error)
        return
    if gone:
        await teardown(ctx, key, kind_name, reason=CONTAINER_DELETED)
        return
    await ctx.queues.send_sync(SyncRequest(connection=str(key), kind=kind_name, reason="resync"))
