"""Turning webhook bodies (Graph notifications, Recruit callbacks) into queued sync and lifecycle requests.

Only route lookups and queue writes happen here: no Graph or Recruit call, so a webhook answers at once.
Anyone can POST to a webhook, so a body costs what a real notification costs: its size, its number of items
and of distinct subscriptions/channels are capped, and every id is checked for shape before any lookup.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sync_core.engine.context import EngineContext
from sync_core.store.queues import LifecycleRequest, SyncRequest
from sync_core.store.routes import Route, RouteSource

log = logging.getLogger(__name__)

# The caps (issue 15). A real body holds a few dozen items at most: Graph batches the notifications of one
# notification URL, Zoho sends one callback per change with the ids of that change.
MAX_BODY_BYTES = 1024 * 1024
# Items in one Graph body; far above the few dozen Graph batches, far below what 1 MiB can hold (~8,000).
MAX_GRAPH_ITEMS = 1000
# Distinct subscriptions in one Graph body: each costs one Table read (done concurrently, a few at a time).
MAX_GRAPH_SUBSCRIPTIONS = 50
ROUTE_LOOKUPS_AT_ONCE = 10
# Ids in one Recruit callback: a mass update of many records is notified in one callback.
MAX_RECRUIT_IDS = 10_000
# Graph subscription ids are GUIDs; allow any short id of letters, digits and '-' (so a format change does
# not drop notifications) but nothing that could not be one, such as 600 characters or a '/'.
_SUBSCRIPTION_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
# Our Recruit channel ids are positive integers below 2**48 (engine/sync_lifecycle/subscriptions.py).
_CHANNEL_ID = re.compile(r"[1-9][0-9]{0,17}")
# Recruit record ids are long decimal numbers; module API names are identifiers.
_RECORD_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")
_MODULE = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")
# Zoho's documented operations and the create/edit spelling seen in practice (API-NOTES.md). Only these
# reach the engine, whose own follow-up operations (pending checks, retries) no caller may name.
RECRUIT_OPERATIONS = frozenset({"insert", "update", "delete", "create", "edit"})
MAX_SECRET_CHARS = 512


class BadNotification(ValueError):
    """The body is not a notification at all, or beyond the caps (the webhook answers 400)."""


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
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise BadNotification("body is not JSON") from error
    if not isinstance(parsed, dict):
        raise BadNotification("body is not a JSON object")
    return parsed


def _graph_items(body: bytes) -> list[Mapping[str, Any]]:
    value = _json_object(body).get("value")
    if not isinstance(value, list):
        raise BadNotification("no `value` list")
    if len(value) > MAX_GRAPH_ITEMS:
        raise BadNotification(f"more than {MAX_GRAPH_ITEMS} notifications in one body")
    subscriptions: set[str] = set()
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("subscriptionId"), str):
            raise BadNotification("an item without a subscriptionId")
        if not _SUBSCRIPTION_ID.fullmatch(item["subscriptionId"]):
            raise BadNotification("a subscriptionId that is not one")
        subscriptions.add(item["subscriptionId"])
    if len(subscriptions) > MAX_GRAPH_SUBSCRIPTIONS:
        raise BadNotification(f"more than {MAX_GRAPH_SUBSCRIPTIONS} subscriptions in one body")
    return value


class _Routes:
    """Route lookups for one body, each id read once: Graph batches many items of one subscription."""

    def __init__(self, ctx: EngineContext, source: RouteSource) -> None:
        self._ctx = ctx
        self._source = source
        self._seen: dict[str, Route | None] = {}

    async def load(self, route_ids: set[str]) -> None:
        """Reads the routes of `route_ids` (already shape-checked and capped), a few at a time."""
        gate = asyncio.Semaphore(ROUTE_LOOKUPS_AT_ONCE)

        async def read(route_id: str) -> None:
            async with gate:
                self._seen[route_id] = await self._ctx.routes.get(self._source, route_id)

        await asyncio.gather(*(read(route_id) for route_id in route_ids if route_id not in self._seen))

    def get(self, route_id: str) -> Route | None:
        return self._seen.get(route_id)


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
    await routes.load({str(item["subscriptionId"]) for item in items})
    outbox = _Outbox(result)
    for item in items:
        subscription_id = str(item["subscriptionId"])
        route = routes.get(subscription_id)
        if route is None:
            result.unknown += 1
            continue
        client_state = item.get("clientState")
        if (
            not isinstance(client_state, str)
            or len(client_state) > MAX_SECRET_CHARS
            or not route.verify(client_state)
        ):
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
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise BadNotification("`ids` holds something that is not an id")
        text = str(value)
        if not _RECORD_ID.fullmatch(text):
            raise BadNotification("`ids` holds something that is not an id")
        ids.append(text)
    return ids


def _channel_id(raw: Any) -> str:
    if isinstance(raw, bool) or not isinstance(raw, (int, str)):
        raise BadNotification("no channel_id")
    text = str(raw)
    if not _CHANNEL_ID.fullmatch(text):
        raise BadNotification("a channel_id that is not one")
    return text


async def recruit_callback(ctx: EngineContext, body: bytes) -> NotificationResult:
    """Queues a sync of the ids a Recruit watch callback names; raises `BadNotification` for a bad body.

    The channel token is the callback's only proof, and Zoho shows it to whoever holds the user's Recruit
    token (`GET /actions/watch`). Such a holder can already change the user's records; with the token they
    can only ask for a sync of that user's own data, whose truth is read from Recruit and filtered by owner.
    So every field is checked here and the operation is one of Zoho's, never one of the engine's own."""
    callback = _json_object(body)
    channel_id = _channel_id(callback.get("channel_id"))
    token, module, operation = callback.get("token"), callback.get("module"), callback.get("operation")
    if not isinstance(token, str) or not token or len(token) > MAX_SECRET_CHARS:
        raise BadNotification("no token")
    if not isinstance(module, str) or not _MODULE.fullmatch(module):
        raise BadNotification("no module, or not a module name")
    if operation is not None and (not isinstance(operation, str) or operation not in RECRUIT_OPERATIONS):
        raise BadNotification("operation is not one of Zoho's")
    ids = _recruit_ids(callback.get("ids"))
    result = NotificationResult()
    route = await ctx.routes.get("recruit", channel_id)
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
