"""Webhook bodies to queued requests, against in-memory routes and queues (no storage, no network)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, cast

import pytest

from sync_core.engine.context import EngineContext
from sync_core.engine.sync_lifecycle.notifications import (
    BadNotification,
    graph_notifications,
    recruit_callback,
)
from sync_core.store.connections import ConnectionKey
from sync_core.store.queues import LifecycleRequest, SyncRequest
from sync_core.store.routes import Route, RouteSource, secret_hash
from sync_core.store.syncstate import Kind

ALICE = ConnectionKey(org_id="874920001", user_id="1001")
CAROL = ConnectionKey(org_id="874920001", user_id="1002")


@dataclass
class FakeRoutes:
    routes: dict[tuple[str, str], Route] = field(default_factory=dict)
    lookups: int = 0

    def add(self, source: RouteSource, route_id: str, key: ConnectionKey, kind: Kind, secret: str) -> None:
        self.routes[(source, route_id)] = Route(
            source=source, route_id=route_id, connection=key, kind=kind, secret_sha256=secret_hash(secret)
        )

    async def get(self, source: RouteSource, route_id: str) -> Route | None:
        self.lookups += 1
        return self.routes.get((source, route_id))


@dataclass
class FakeQueues:
    sync: list[SyncRequest] = field(default_factory=list)
    lifecycle: list[LifecycleRequest] = field(default_factory=list)

    async def send_sync(self, request: SyncRequest) -> None:
        self.sync.append(request)

    async def send_lifecycle(self, request: LifecycleRequest) -> None:
        self.lifecycle.append(request)


@dataclass
class FakeContext:
    routes: FakeRoutes = field(default_factory=FakeRoutes)
    queues: FakeQueues = field(default_factory=FakeQueues)

    def engine(self) -> EngineContext:
        return cast(EngineContext, self)


@pytest.fixture
def fake() -> FakeContext:
    context = FakeContext()
    context.routes.add("graph", "sub-alice-cal", ALICE, "calendar", "alice-cal-secret")
    context.routes.add("graph", "sub-alice-con", ALICE, "contacts", "alice-con-secret")
    context.routes.add("graph", "sub-carol-cal", CAROL, "calendar", "carol-cal-secret")
    context.routes.add("recruit", "777", ALICE, "contacts", "alice-token")
    return context


def body(*items: dict[str, Any]) -> bytes:
    return json.dumps({"value": list(items)}).encode()


def item(subscription_id: str, client_state: str, **extra: str) -> dict[str, Any]:
    return {"subscriptionId": subscription_id, "clientState": client_state, "changeType": "updated", **extra}


def reasons(queues: FakeQueues) -> list[tuple[str, str, str]]:
    return [(request.connection, request.kind, request.reason) for request in queues.sync]


async def test_each_connection_and_kind_gets_one_request_however_many_items_name_it(
    fake: FakeContext,
) -> None:
    items = [item("sub-alice-cal", "alice-cal-secret")] * 3 + [
        item("sub-alice-con", "alice-con-secret"),
        item("sub-carol-cal", "carol-cal-secret"),
        item("sub-carol-cal", "carol-cal-secret"),
    ]
    await graph_notifications(fake.engine(), body(*items))
    assert reasons(fake.queues) == [
        (str(ALICE), "calendar", "graph_notification"),
        (str(ALICE), "contacts", "graph_notification"),
        (str(CAROL), "calendar", "graph_notification"),
    ]
    assert fake.routes.lookups == 3  # one lookup per subscription, not per item


async def test_forged_and_unknown_items_are_counted_and_queue_nothing(fake: FakeContext) -> None:
    result = await graph_notifications(
        fake.engine(),
        body(
            item("sub-alice-cal", "carol-cal-secret"),
            {"subscriptionId": "sub-alice-cal", "changeType": "updated"},
            item("sub-nobody", "whatever"),
        ),
    )
    assert (result.forged, result.unknown) == (2, 1)
    assert fake.queues.sync == [] and fake.queues.lifecycle == []


async def test_one_forged_item_does_not_stop_a_genuine_one_beside_it(fake: FakeContext) -> None:
    await graph_notifications(
        fake.engine(), body(item("sub-carol-cal", "guess"), item("sub-alice-cal", "alice-cal-secret"))
    )
    assert reasons(fake.queues) == [(str(ALICE), "calendar", "graph_notification")]


@pytest.mark.parametrize(
    ("event", "sync_reasons", "actions"),
    [
        ("missed", ["resync"], []),
        ("subscriptionRemoved", [], ["recreate_subscription"]),
        ("reauthorizationRequired", [], ["recreate_subscription"]),
        ("somethingNew", [], []),
    ],
)
async def test_lifecycle_events_queue_what_each_asks_for(
    fake: FakeContext, event: str, sync_reasons: list[str], actions: list[str]
) -> None:
    await graph_notifications(
        fake.engine(), body(item("sub-alice-cal", "alice-cal-secret", lifecycleEvent=event))
    )
    assert [request.reason for request in fake.queues.sync] == sync_reasons
    assert [(r.connection, r.kind, r.action) for r in fake.queues.lifecycle] == [
        (str(ALICE), "calendar", action) for action in actions
    ]


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"not json",
        b"\xff\xfe",
        b"[]",
        b"{}",
        b'{"value": "x"}',
        b'{"value": [1]}',
        b'{"value": [{"clientState": "x"}]}',
        b'{"value": [{"subscriptionId": 5}]}',
    ],
)
async def test_a_body_that_is_not_a_graph_notification_is_refused(fake: FakeContext, raw: bytes) -> None:
    with pytest.raises(BadNotification):
        await graph_notifications(fake.engine(), raw)
    assert fake.queues.sync == []


def callback(**changes: Any) -> bytes:
    base: dict[str, Any] = {
        "channel_id": 777,
        "token": "alice-token",
        "module": "Contacts",
        "ids": [461233000000400001, "461233000000400002"],
        "operation": "update",
    }
    return json.dumps({**base, **changes}).encode()


async def test_a_recruit_callback_queues_its_module_ids_and_operation(fake: FakeContext) -> None:
    await recruit_callback(fake.engine(), callback())
    assert fake.queues.sync == [
        SyncRequest(
            connection=str(ALICE),
            kind="contacts",
            reason="recruit_notification",
            recruit_module="Contacts",
            recruit_ids=["461233000000400001", "461233000000400002"],
            recruit_operation="update",
        )
    ]


async def test_a_recruit_callback_naming_its_channel_as_text_is_routed_too(fake: FakeContext) -> None:
    await recruit_callback(fake.engine(), callback(channel_id="777", ids=None, operation=None))
    [request] = fake.queues.sync
    assert request.recruit_ids == [] and request.recruit_operation is None


async def test_a_recruit_callback_with_a_wrong_token_or_channel_queues_nothing(fake: FakeContext) -> None:
    forged = await recruit_callback(fake.engine(), callback(token="guess"))
    unknown = await recruit_callback(fake.engine(), callback(channel_id=778))
    assert (forged.forged, unknown.unknown) == (1, 1)
    assert fake.queues.sync == []


@pytest.mark.parametrize(
    "raw",
    [
        b"[]",
        b"{",
        callback(channel_id=None),
        callback(channel_id=True),
        callback(token=None),
        callback(module=""),
        callback(ids="1,2"),
        callback(ids=[{"id": 1}]),
        callback(operation=5),
    ],
)
async def test_a_body_that_is_not_a_recruit_callback_is_refused(fake: FakeContext, raw: bytes) -> None:
    with pytest.raises(BadNotification):
        await recruit_callback(fake.engine(), raw)
    assert fake.queues.sync == []
