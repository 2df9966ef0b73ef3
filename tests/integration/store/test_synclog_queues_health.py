"""Sync log order and paging, queue messages as the Functions host reads them, and the health probe."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

from local.azurite import connection_string
from local.emulators.kit.serve import free_port
from sync_core.config import Settings
from sync_core.store.clients import StorageContext
from sync_core.store.connections import ConnectionKey
from sync_core.store.health import storage_reachable
from sync_core.store.queues import (
    LifecycleRequest,
    QueueProducer,
    SyncRequest,
    parse_lifecycle_request,
    parse_sync_request,
)
from sync_core.store.synclog import LogEntry, SyncLogRepository

START = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


async def test_sync_log_pages_newest_first_without_gaps_or_repeats(
    storage: StorageContext, connection_key: ConnectionKey
) -> None:
    log = SyncLogRepository(storage)
    for minute in range(7):
        entry = LogEntry(
            kind="calendar", type="pass", title=f"run {minute}", at=START + timedelta(minutes=minute)
        )
        await log.append(connection_key, entry)
    await log.append(connection_key, LogEntry(kind="contacts", title="other kind", at=START))
    titles: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        page = await log.recent(connection_key, "calendar", limit=3, before=cursor)
        titles += [entry.title for entry in page.entries]
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break
    assert titles == [f"run {minute}" for minute in reversed(range(7))]
    assert pages == 3


async def test_sync_log_entry_round_trips(storage: StorageContext, connection_key: ConnectionKey) -> None:
    log = SyncLogRepository(storage)
    entry = LogEntry(
        kind="contacts", level="error", type="failure", message="Graph 503", counts={"failed": 2}, at=START
    )
    await log.append(connection_key, entry)
    assert (await log.recent(connection_key)).entries == [entry]


async def receive_bodies(storage: StorageContext, queue_name: str) -> list[str]:
    queue = await storage.queue(queue_name)
    return [message.content async for message in queue.receive_messages(max_messages=32)]


async def test_sync_request_is_queued_base64_and_parses_back(
    storage: StorageContext, store_settings: Settings
) -> None:
    request = SyncRequest(
        connection=str(ConnectionKey(org_id="o", user_id="u")),
        kind="contacts",
        reason="recruit_notification",
        recruit_module="Contacts",
        recruit_ids=["1", "2"],
        recruit_operation="update",
    )
    await QueueProducer(storage).send_sync(request)
    [body] = await receive_bodies(storage, store_settings.queue_sync_requests)
    assert json.loads(base64.b64decode(body))["reason"] == "recruit_notification"
    assert parse_sync_request(body) == request
    assert parse_sync_request(base64.b64decode(body)) == request  # as the host hands it over, decoded


async def test_lifecycle_request_round_trips(storage: StorageContext, store_settings: Settings) -> None:
    request = LifecycleRequest(connection="o:u", kind="calendar", action="teardown")
    await QueueProducer(storage).send_lifecycle(request)
    [body] = await receive_bodies(storage, store_settings.queue_lifecycle)
    assert parse_lifecycle_request(body) == request


async def test_many_recruit_ids_are_split_over_messages_under_the_size_limit(
    storage: StorageContext, store_settings: Settings
) -> None:
    ids = [f"{n:018d}" for n in range(5000)]
    request = SyncRequest(
        connection="o:u", kind="calendar", reason="sweep", recruit_module="Events", recruit_ids=ids
    )
    await QueueProducer(storage).send_sync(request)
    bodies = await receive_bodies(storage, store_settings.queue_sync_requests)
    assert len(bodies) > 1 and all(len(body) < 64 * 1024 for body in bodies)
    received = [rid for body in bodies for rid in parse_sync_request(body).recruit_ids or []]
    assert sorted(received) == ids


async def test_delayed_request_is_invisible_until_its_delay(
    storage: StorageContext, store_settings: Settings
) -> None:
    await QueueProducer(storage).send_sync(
        SyncRequest(connection="o:u", kind="calendar", reason="resync"), visibility_timeout=60
    )
    assert await receive_bodies(storage, store_settings.queue_sync_requests) == []
    properties = await (await storage.queue(store_settings.queue_sync_requests)).get_queue_properties()
    assert properties.approximate_message_count == 1


async def test_health_probe_sees_azurite(store_settings: Settings) -> None:
    assert await storage_reachable(store_settings)


async def test_health_probe_reports_unreachable_storage(store_settings: Settings) -> None:
    nobody = free_port()  # a port nothing listens on
    dead = connection_string(nobody, nobody, nobody)
    assert not await storage_reachable(
        store_settings.model_copy(update={"storage_connection_string": dead}), 0.5
    )
