"""Queue functions run from Azurite with the host.json queue semantics."""

from __future__ import annotations

import base64
import contextlib
import uuid
from typing import Any

import httpx
from azure.core.exceptions import ResourceExistsError
from azure.storage.queue import QueueClient, TextBase64EncodePolicy

from tests.fixtures.polling import poll
from tests.integration.devhost.conftest import (
    BATCH_SIZE,
    MAX_DEQUEUE_COUNT,
    NEW_BATCH_THRESHOLD,
    DevHost,
)


def _queue(devhost: DevHost, name: str) -> QueueClient:
    """A client that writes base64 text, as the host's default messageEncoding expects."""
    client = QueueClient.from_connection_string(
        devhost.connection_string, name, message_encode_policy=TextBase64EncodePolicy()
    )
    with contextlib.suppress(ResourceExistsError):
        client.create_queue()
    return client


def test_successful_function_gets_the_decoded_body_and_message_is_deleted(devhost: DevHost) -> None:
    body = f"hello {uuid.uuid4()}"
    queue = _queue(devhost, devhost.sample_queue)
    queue.send_message(body)

    runs = poll(
        lambda: [r for r in devhost.records("take_message") if r["body"] == body], what="the message to run"
    )

    assert [run["dequeue_count"] for run in runs] == [1]
    poll(lambda: queue.get_queue_properties().approximate_message_count == 0, what="the message deleted")


def test_failing_message_is_tried_max_dequeue_count_times_then_moved_to_poison(devhost: DevHost) -> None:
    body = f"doomed {uuid.uuid4()}"
    _queue(devhost, devhost.failing_queue).send_message(body)
    poison = _queue(devhost, f"{devhost.failing_queue}-poison")

    def poisoned() -> list[str]:
        return [base64.b64decode(m.content).decode() for m in poison.peek_messages(max_messages=32)]

    poll(lambda: body in poisoned(), seconds=30, what="the message in the poison queue")

    tries = [r["dequeue_count"] for r in devhost.records("always_fails") if r["body"] == body]
    assert tries == list(range(1, MAX_DEQUEUE_COUNT + 1))
    failing = _queue(devhost, devhost.failing_queue)
    assert failing.get_queue_properties().approximate_message_count == 0


def test_queue_output_binding_of_an_http_function_feeds_the_queue_function(devhost: DevHost) -> None:
    body = f"via output binding {uuid.uuid4()}"

    response = httpx.post(f"{devhost.base_url}/api/enqueue", content=body.encode())

    assert response.status_code == 202
    poll(lambda: [r for r in devhost.records("take_message") if r["body"] == body], what="the queued run")


def test_at_most_batch_size_plus_threshold_messages_run_at_once(devhost: DevHost) -> None:
    queue = _queue(devhost, devhost.slow_queue)
    bodies = {f"slow {n} {uuid.uuid4()}" for n in range(3 * BATCH_SIZE)}
    for body in bodies:
        queue.send_message(body)

    def all_runs() -> list[dict[str, Any]]:
        runs = [r for r in devhost.records("slow_message") if r["body"] in bodies]
        return runs if len(runs) == len(bodies) else []

    runs = poll(all_runs, what="every slow message to run")

    most_at_once = max(run["running"] for run in runs)
    # A whole batch runs together, and a new batch only comes once few enough remain.
    assert BATCH_SIZE <= most_at_once <= BATCH_SIZE + NEW_BATCH_THRESHOLD
