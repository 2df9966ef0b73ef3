"""Keeping one Graph subscription and one Recruit watch channel alive per (connection, kind).

Each `ensure_*` is idempotent: nothing when valid, renew when near expiry, recreate when gone; routes follow.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from functools import partial

from azure.core.exceptions import ResourceNotFoundError

from sync_core.engine.context import EngineContext
from sync_core.engine.sync_kinds.kinds import SyncKind
from sync_core.graph import subscriptions as graph_subscriptions
from sync_core.graph.client import GraphClient
from sync_core.graph.errors import Conflict, GraphError, ItemNotFound
from sync_core.recruit.client import RecruitClient
from sync_core.recruit.errors import InvalidToken, RateLimited, RecruitError
from sync_core.store.connections import Connection
from sync_core.store.routes import RouteSource
from sync_core.store.syncstate import SyncState

log = logging.getLogger(__name__)

GRAPH_WEBHOOK_PATH = "/api/webhooks/graph"
RECRUIT_WEBHOOK_PATH = "/api/webhooks/recruit"
MAX_CHANNEL_ID = 2**48
# Asked lifetimes stay this much short of the setting, so a clock a little ahead of the server's never asks
# for more than the server's maximum (Graph answers 400, Zoho silently grants one hour).
CLOCK_MARGIN = timedelta(minutes=1)


def webhook_url(ctx: EngineContext, path: str) -> str:
    return ctx.settings.public_base_url.rstrip("/") + path


def _needs_nothing(expires: datetime | None, now: datetime, ctx: EngineContext) -> bool:
    return expires is not None and expires > now + timedelta(minutes=ctx.settings.renew_before_minutes)


def _parse_expiry(value: object, fallback: datetime) -> datetime:
    if not isinstance(value, str):
        return fallback
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return fallback


async def _kept_alive(
    ctx: EngineContext,
    state: SyncState,
    expires: datetime | None,
    keep: bool,
    renew: Callable[[datetime], Awaitable[SyncState | None]],
    replace: Callable[[datetime], Awaitable[SyncState]],
) -> SyncState:
    """`state` when the watch it holds may be kept (`keep`) and expires past the renewal margin; else renewed
    while not yet expired (and still known to the service); else replaced by a new one."""
    now = ctx.clock()
    if keep:
        if _needs_nothing(expires, now, ctx):
            return state
        if expires is not None and expires > now:
            renewed = await renew(now)
            if renewed is not None:
                return renewed
    return await replace(now)


async def _store_renewal(
    ctx: EngineContext, state: SyncState, id_field: str, renewed: dict[str, object]
) -> SyncState | None:
    """`state` with the `renewed` fields, unless its watch (named by `id_field`) was replaced meanwhile: the
    replacement is newer than our renewal."""
    watch_id = getattr(state, id_field)

    def store(current: SyncState) -> SyncState | None:
        return current.model_copy(update=renewed) if getattr(current, id_field) == watch_id else None

    return await ctx.syncstate.modify(state.connection, state.kind, store)


async def _drop_route(ctx: EngineContext, source: RouteSource, route_id: str) -> None:
    with contextlib.suppress(ResourceNotFoundError):
        await ctx.routes.delete(source, route_id)


# --- Graph subscriptions ---


async def _renew_graph(
    ctx: EngineContext, state: SyncState, graph: GraphClient, now: datetime
) -> SyncState | None:
    """The state after a PATCH of the expiry (which also reauthorizes); None when the subscription is gone."""
    wanted = now + timedelta(minutes=ctx.settings.subscription_lifetime_minutes) - CLOCK_MARGIN
    try:
        answer = await graph_subscriptions.renew(graph, state.subscription_id, wanted)
    except ItemNotFound:
        return None
    expires = _parse_expiry(answer.get("expirationDateTime"), wanted)
    return await _store_renewal(ctx, state, "subscription_id", {"subscription_expires": expires})


async def _replace_graph(
    ctx: EngineContext,
    connection: Connection,
    kind: SyncKind,
    graph: GraphClient,
    state: SyncState,
    now: datetime,
) -> SyncState:
    mailbox = connection.microsoft_user_id
    if state.subscription_id:
        await _delete_graph(ctx, graph, state.subscription_id)
    resource = kind.subscription_resource(mailbox, state.container_id)
    url = webhook_url(ctx, GRAPH_WEBHOOK_PATH)
    client_state = secrets.token_urlsafe(32)
    expires = now + timedelta(minutes=ctx.settings.subscription_lifetime_minutes) - CLOCK_MARGIN
    try:
        created = await graph_subscriptions.create_subscription(
            graph, resource, url, url, client_state, expires
        )
    except Conflict:
        # Ours from an attempt that crashed before storing its id: its clientState is lost, so replace it.
        await _delete_graph_for_resource(ctx, graph, resource)
        created = await graph_subscriptions.create_subscription(
            graph, resource, url, url, client_state, expires
        )
    subscription_id = str(created["id"])
    await ctx.routes.put("graph", subscription_id, connection.key, kind.name, client_state)
    granted = _parse_expiry(created.get("expirationDateTime"), expires)

    def store(current: SyncState) -> SyncState:
        return current.model_copy(
            update={
                "subscription_id": subscription_id,
                "subscription_expires": granted,
                "subscription_client_state": client_state,
            }
        )

    log.info("graph subscription %s for %s %s until %s", subscription_id, connection.key, kind.name, granted)
    return await ctx.syncstate.modify(connection.key, kind.name, store)


async def ensure_graph_subscription(
    ctx: EngineContext, connection: Connection, kind: SyncKind, graph: GraphClient, *, force_new: bool = False
) -> SyncState:
    """The state with a subscription on the kind's container that lives past the renewal margin.

    `force_new` replaces whatever exists (after `subscriptionRemoved`, or to reauthorize).
    """
    key = connection.key
    state = await ctx.syncstate.create_if_missing(key, kind.name)
    if not state.container_id:
        raise ValueError(f"{key} {kind.name}: no container to subscribe to")
    keep = bool(state.subscription_id and state.subscription_client_state) and not force_new
    renew = partial(_renew_graph, ctx, state, graph)
    replace = partial(_replace_graph, ctx, connection, kind, graph, state)
    return await _kept_alive(ctx, state, state.subscription_expires, keep, renew, replace)


async def _delete_graph(ctx: EngineContext, graph: GraphClient, subscription_id: str) -> None:
    """Best effort: a subscription we cannot delete expires by itself and its route is gone already."""
    await _drop_route(ctx, "graph", subscription_id)
    try:
        await graph_subscriptions.delete(graph, subscription_id)
    except GraphError as error:
        log.warning("could not delete graph subscription %s: %s", subscription_id, error)


async def _delete_graph_for_resource(ctx: EngineContext, graph: GraphClient, resource: str) -> None:
    wanted = resource.strip("/").lower()
    for subscription in await graph.get_all("/subscriptions", mailbox=None):
        if str(subscription.get("resource", "")).strip("/").lower() == wanted:
            await _delete_graph(ctx, graph, str(subscription["id"]))


async def remove_graph_subscription(
    ctx: EngineContext, connection: Connection, kind: SyncKind, graph: GraphClient
) -> SyncState:
    """Deletes the subscription and its route; a subscription already gone counts as removed."""
    state = await ctx.syncstate.create_if_missing(connection.key, kind.name)
    if state.subscription_id:
        await _delete_graph(ctx, graph, state.subscription_id)

    def clear(current: SyncState) -> SyncState:
        return current.model_copy(
            update={"subscription_id": "", "subscription_expires": None, "subscription_client_state": None}
        )

    return await ctx.syncstate.modify(connection.key, kind.name, clear)


# --- Recruit watch channels ---


def _channel_expiry(ctx: EngineContext, now: datetime) -> datetime:
    return now + timedelta(hours=ctx.settings.channel_lifetime_hours) - CLOCK_MARGIN


async def _renew_channel(
    ctx: EngineContext, state: SyncState, recruit: RecruitClient, now: datetime
) -> SyncState | None:
    """The state after moving the channel's expiry; None when Recruit no longer knows the channel."""
    wanted = _channel_expiry(ctx, now)
    try:
        granted = await recruit.update_watch(int(state.channel_id), expiry=wanted)
    except (InvalidToken, RateLimited):
        raise
    except RecruitError as error:
        # Zoho's answer for an unknown channel is not documented (the emulator says INVALID_DATA): any
        # refusal is answered by opening a new channel, which is always valid.
        log.info("channel %s not renewed (%s): opening a new one", state.channel_id, error.code)
        return None
    return await _store_renewal(
        ctx, state, "channel_id", {"channel_expires": granted.channel_expiry or wanted}
    )


async def _replace_channel(
    ctx: EngineContext,
    connection: Connection,
    kind: SyncKind,
    recruit: RecruitClient,
    state: SyncState,
    now: datetime,
) -> SyncState:
    if state.channel_id:
        await _delete_channel(ctx, recruit, state.channel_id)
    channel_id = secrets.randbelow(MAX_CHANNEL_ID - 1) + 1
    token = secrets.token_urlsafe(24)  # 32 characters; Zoho allows 50
    wanted = _channel_expiry(ctx, now)
    url = webhook_url(ctx, RECRUIT_WEBHOOK_PATH)
    granted = await recruit.watch(channel_id, kind.watch_events, url, token, wanted)
    await ctx.routes.put("recruit", str(channel_id), connection.key, kind.name, token)
    expires = granted.channel_expiry or wanted

    def store(current: SyncState) -> SyncState:
        return current.model_copy(
            update={"channel_id": str(channel_id), "channel_expires": expires, "channel_token": token}
        )

    log.info("recruit channel %s for %s %s until %s", channel_id, connection.key, kind.name, expires)
    return await ctx.syncstate.modify(connection.key, kind.name, store)


async def ensure_recruit_channel(
    ctx: EngineContext,
    connection: Connection,
    kind: SyncKind,
    recruit: RecruitClient,
    *,
    force_new: bool = False,
) -> SyncState:
    """The state with a watch channel on the kind's modules that lives past the renewal margin."""
    state = await ctx.syncstate.create_if_missing(connection.key, kind.name)
    keep = bool(state.channel_id and state.channel_token) and not force_new
    renew = partial(_renew_channel, ctx, state, recruit)
    replace = partial(_replace_channel, ctx, connection, kind, recruit, state)
    return await _kept_alive(ctx, state, state.channel_expires, keep, renew, replace)


async def _delete_channel(ctx: EngineContext, recruit: RecruitClient, channel_id: str) -> None:
    """Best effort: a channel we cannot stop expires within a day and its route is gone already."""
    await _drop_route(ctx, "recruit", channel_id)
    if not channel_id.isdigit():
        return
    try:
        await recruit.unwatch([int(channel_id)])
    except RecruitError as error:
        log.info("recruit channel %s not stopped (%s): treated as gone", channel_id, error.code)


async def remove_recruit_channel(
    ctx: EngineContext, connection: Connection, kind: SyncKind, recruit: RecruitClient
) -> SyncState:
    """Stops the channel and drops its route; a channel already gone counts as removed."""
    state = await ctx.syncstate.create_if_missing(connection.key, kind.name)
    if state.channel_id:
        await _delete_channel(ctx, recruit, state.channel_id)

    def clear(current: SyncState) -> SyncState:
        return current.model_copy(update={"channel_id": "", "channel_expires": None, "channel_token": None})

    return await ctx.syncstate.modify(connection.key, kind.name, clear)
