"""Turning webhook bodies (Graph notifications, Recruit callbacks) into queued sync and lifecycle requests.

Only route lookups and queue writes happen here: no Graph or Recruit call, so a webhook answers at once.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sync_core.engine.context import EngineContext
from sync_core.store.queues import LifecycleRequest, SyncRequest
from sync_core.store.routes import Route, RouteSource

log = logging.getLogger(__name__)

# A notification body holds at most a few hundred items; anything far larger is not from Graph or Zoho.
MAX_BODY_BYTES = 1024 * 1024
MAX_RECRUIT_IDS = 10_000


class BadNotification(ValueError):
    """The body is not a notification at all (the webhook answers 400)."""


@dataclass
class NotificationResult:
    """What one webhook body led to; `unknown` and `forged` items were ignored."""

    sync_requests: list[SyncRequest] = field(default_factory=list)
    lifecycle_requests: list[LifecycleRequest] = field(default_factory=list)
    unknown: int = 0
    forged: int = 0


GraphNotificationResult = NotificationResult
RecruitCallbackResult = NotificationResult


def _json_object(body: bytes) -> dict[str, Any]:
    if len(body) > MAX_BODY_BYTES:
        raise BadNotification("body too large")
    try:
        parsed = json.loads(body)
    except (UnicodeDecodeError, ValueError) as error:
        raise BadNotification("body is not JSON") from error
    if not isinstance(parsed, dict):
        raise BadNotification("body is not a JSON object")
    return parsed


def _graph_items(body: bytes) -> list[Mapping[str, Any]]:
    value = _json_object(body).get("value")
    if not isinstance(value, list):
        raise BadNotification("no `value` list")
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("subscriptionId"), str):
            raise BadNotification("an item without a subscriptionId")
    return value


class _Routes:
    """Route lookups cached for one body: Graph batches many items of one subscription into a POST."""

    def __init__(self, ctx: EngineContext, source: RouteSource) -> None:
        self._ctx = ctx
        self._source = source
        self._seen: dict[str, Route | None] = {}

    async def get(self, route_id: str) -> Route | None:
        if route_id not in self._seen:
            self._seen[route_id] = await self._ctx.routes.get(self._source, route_id) if route_id else None
        return self._seen[route_id]


class _Outbox:
    """Requests de-duplicated per (connection, kind, reason/action): notifications are signals, not counts."""

    def __init__(self, result: NotificationResult) -> None:
        self._result = result
        self._keys: set[tuple[str, ...]] = set()

    def sync(self, route: Route, reason: str, **extra: Any) -> None:
        key = (str(route.connection), route.kind, reason)
        if extra or key not in self._keys:
            self._keys.add(key)
            request = SyncRequest.model_validate(
                {"connection": str(route.connection), "kind": route.kind, "reason": reason, **extra}
            )
            self._result.sync_requests.append(request)

    def lifecycle(self, route: Route, action: str) -> None:
        key = (str(route.connection), route.kind, "lifecycle", action)
        if key not in self._keys:
            self._keys.add(key)
            request = LifecycleRequest.model_validate(
                {"connection": str(route.connection), "kind": route.kind, "action": action}
            )
            self._result.lifecycle_requests.append(request)


def _graph_lifecycle(outbox: _Outbox, route: Route, event: str) -> None:
    if event == "missed":
        # Notifications were lost: the stored delta link still reports whatever they would have said.
        outbox.sync(route, "resync")
    elif event in ("subscriptionRemoved", "reauthorizationRequired"):
        # The lifecycle worker recreates the subscription (a new one is also authorised anew) and then
        # queues a "resync" itself, which covers changes made while no subscription existed.
        outbox.lifecycle(route, "recreate_subscription")
    else:
        log.info("ignored unknown lifecycle event %r for %s %s", event, route.connection, route.kind)


async def graph_notifications(ctx: EngineContext, body: bytes) -> NotificationResult:
    """Queues what a Graph notification POST asks for; raises `BadNotification` for a malformed body."""
    items = _graph_items(body)
    result = NotificationResult()
    routes = _Routes(ctx, "graph")
    outbox = _Outbox(result)
    for item in items:
        subscription_id = str(item["subscriptionId"])
        route = await routes.get(subscription_id)
        if route is None:
            result.unknown += 1
            continue
        client_state = item.get("clientState")
        if not isinstance(client_state, str) or not route.verify(client_state):
            result.forged += 1
            log.warning("forged clientState for graph subscription %s: ignored", subscription_id)
            continue
        event = item.get("lifecycleEvent")
        if isinstance(event, str) and event:
            _graph_lifecycle(outbox, route, event)
        else:
            outbox.sync(route, "graph_notification")
    await _send(ctx, result)
    return result


def _recruit_ids(raw: Any) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > MAX_RECRUIT_IDS:
        raise BadNotification("`ids` is not a list of ids")
    ids = []
    for value in raw:
        if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value):
            raise BadNotification("`ids` holds something that is not an id")
        ids.append(str(value))
    return ids


async def recruit_callback(ctx: EngineContext, body: bytes) -> NotificationResult:
    """Queues a sync of the ids a Recruit watch callback names; raises `BadNotification` for a bad body."""
    callback = _json_object(body)
    channel_id, token = callback.get("channel_id"), callback.get("token")
    module, operation = callback.get("module"), callback.get("operation")
    if isinstance(channel_id, bool) or not isinstance(channel_id, (int, str)) or not str(channel_id):
        raise BadNotification("no channel_id")
    if not isinstance(token, str) or not isinstance(module, str) or not module:
        raise BadNotification("no token or module")
    if operation is not None and not isinstance(operation, str):
        raise BadNotification("operation is not text")
    ids = _recruit_ids(callback.get("ids"))
    result = NotificationResult()
    route = await ctx.routes.get("recruit", str(channel_id))
    if route is None:
        result.unknown += 1
        return result
    if not route.verify(token):
        result.forged += 1
        log.warning("forged token for recruit channel %s: ignored", channel_id)
        return result
    _Outbox(result).sync(
        route, "recruit_notification", recruit_module=module, recruit_ids=ids, recruit_operation=operation
    )
    await _send(ctx, result)
    return result


async def _send(ctx: EngineContext, result: NotificationResult) -> None:
    for lifecycle in result.lifecycle_requests:
        await ctx.queues.send_lifecycle(lifecycle)
    for request in result.sync_requests:
        await ctx.queues.send_sync(request)  # split into queue-sized messages there
