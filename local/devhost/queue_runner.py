"""Queue triggers: polls Azurite for each queue function with the host.json `extensions.queues` semantics.

Batches, new-batch threshold, idle back-off, visibility timeout on failure, dequeue count and poison queue.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import os
import uuid
from typing import Any

from azure.core.exceptions import AzureError, ResourceExistsError
from azure.functions.queue import QueueMessage as FunctionMessage
from azure.storage.queue import QueueMessage as StorageMessage
from azure.storage.queue.aio import QueueClient

from local.devhost.appload import resolve_settings
from local.devhost.hostjson import QueueOptions
from local.devhost.invoke import Invoker, log

MIN_POLL_DELAY = 0.1
# Messages are hidden this long while their function runs, and the hold is renewed at half of it.
RUN_VISIBILITY_SECONDS = 600


class QueueStorage:
    """Queue clients by (connection setting, queue name); each queue is created on first use."""

    def __init__(self, options: QueueOptions) -> None:
        self.options = options
        self._clients: dict[tuple[str, str], QueueClient] = {}

    async def client(self, connection_setting: str, queue_name: str) -> QueueClient:
        key = (connection_setting, queue_name)
        if key not in self._clients:
            connection_string = os.environ.get(connection_setting)
            if not connection_string:
                raise KeyError(f"setting {connection_setting!r} (a storage connection string) is not set")
            # Short storage retries: the poll loop retries anyway, and a dead Azurite should show quickly.
            client = QueueClient.from_connection_string(
                connection_string, queue_name, retry_total=2, initial_backoff=0.5, increment_base=2
            )
            try:
                with contextlib.suppress(ResourceExistsError):
                    await client.create_queue()
            except BaseException:
                await client.close()
                raise
            self._clients[key] = client
        return self._clients[key]

    async def send(self, connection_setting: str, queue_name: str, texts: list[str]) -> None:
        """Output bindings write with the same messageEncoding the triggers read."""
        client = await self.client(connection_setting, resolve_settings(queue_name))
        for text in texts:
            if self.options.message_encoding == "base64":
                text = base64.b64encode(text.encode()).decode()
            await client.send_message(text)

    async def close(self) -> None:
        for client in self._clients.values():
            await client.close()


class QueuePoller:
    """Runs one queue function: fetches batches while few enough are in flight, one task per message."""

    def __init__(self, function: Any, directory: str, storage: QueueStorage) -> None:
        trigger = function.get_trigger()
        self.invoker = Invoker(function, directory, storage.send)
        self.queue_name = resolve_settings(trigger.queue_name)
        self.connection_setting = trigger.connection or "AzureWebJobsStorage"
        self.storage = storage
        self.options = storage.options
        self.in_flight: set[asyncio.Task[None]] = set()
        self.stopping = asyncio.Event()
        self._room = asyncio.Event()

    async def run(self) -> None:
        client = await self._connect()
        delay = MIN_POLL_DELAY
        while not self.stopping.is_set():
            if len(self.in_flight) > self.options.new_batch_threshold:
                self._room.clear()
                await _first_of(self._room.wait(), self.stopping.wait())
                continue
            messages = await self._receive(client)
            if messages:
                delay = MIN_POLL_DELAY
                for message in messages:
                    task = asyncio.create_task(self._process(client, message))
                    self.in_flight.add(task)
                    task.add_done_callback(self._finished)
                continue
            await _first_of(asyncio.sleep(delay), self.stopping.wait())
            delay = min(delay * 2, self.options.max_polling_interval)

    async def _connect(self) -> QueueClient:
        """Storage may come up after the host (make run starts both): keep trying and say why."""
        while True:
            try:
                return await self.storage.client(self.connection_setting, self.queue_name)
            except AzureError as error:
                log.warning("queue %s: storage not reachable (%s); retrying", self.queue_name, error)
                await asyncio.sleep(self.options.max_polling_interval)

    async def drain(self, grace_seconds: float) -> None:
        """Let in-flight runs finish for a while, then abandon the rest (they become visible again)."""
        self.stopping.set()
        if self.in_flight:
            _, pending = await asyncio.wait(set(self.in_flight), timeout=grace_seconds)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self.in_flight.discard(task)
        self._room.set()

    async def _receive(self, client: QueueClient) -> list[StorageMessage]:
        size = self.options.batch_size
        try:
            pages = client.receive_messages(
                messages_per_page=size, max_messages=size, visibility_timeout=RUN_VISIBILITY_SECONDS
            )
            return [message async for message in pages]
        except AzureError as error:
            log.warning("queue %s: receive failed (%s); retrying", self.queue_name, error)
            return []

    async def _process(self, client: QueueClient, message: StorageMessage) -> None:
        max_count = self.options.max_dequeue_count
        if message.dequeue_count is not None and message.dequeue_count > max_count:
            # Already tried often enough by an earlier run that died mid-way.
            await self._to_poison(client, message)
            return
        hold = asyncio.create_task(self._keep_hidden(client, message))
        try:
            function_message = self._function_message(message)
        except ValueError as error:
            log.warning("queue %s: %s", self.queue_name, error)
            function_message = None
        try:
            if function_message is None:
                raise ValueError("undecodable message")
            await self.invoker.run(function_message)
        except asyncio.CancelledError:
            await self._release(client, message, 0)
            raise
        except Exception:
            if (message.dequeue_count or 0) >= max_count:
                await self._to_poison(client, message)
            else:
                await self._release(client, message, int(self.options.visibility_timeout))
            return
        finally:
            hold.cancel()
        await self._storage_call(client.delete_message(message.id, message.pop_receipt), "delete")

    async def run_now(self, text: str, reason: str) -> None:
        """A run with `text` as the message body, outside the queue (the admin API's): nothing is taken from
        or left in storage; output bindings are sent as usual. Raises what the function raised."""
        message = FunctionMessage(  # type: ignore[no-untyped-call]
            id=str(uuid.uuid4()), body=text.encode(), dequeue_count=1
        )
        await self.invoker.run(message, reason=reason)

    def _function_message(self, message: StorageMessage) -> FunctionMessage:
        text: str = message.content or ""
        if self.options.message_encoding == "base64":
            try:
                body = base64.b64decode(text, validate=True)
            except binascii.Error as error:
                raise ValueError(f"message {message.id} is not valid base64 (messageEncoding)") from error
        else:
            body = text.encode()
        return FunctionMessage(  # type: ignore[no-untyped-call]
            id=message.id,
            body=body,
            dequeue_count=message.dequeue_count,
            expiration_time=message.expires_on,
            insertion_time=message.inserted_on,
            time_next_visible=message.next_visible_on,
            pop_receipt=message.pop_receipt,
        )

    async def _keep_hidden(self, client: QueueClient, message: StorageMessage) -> None:
        while True:
            await asyncio.sleep(RUN_VISIBILITY_SECONDS / 2)
            try:
                updated = await client.update_message(
                    message.id, message.pop_receipt, visibility_timeout=RUN_VISIBILITY_SECONDS
                )
            except AzureError as error:
                log.warning("queue %s: could not renew hold on %s (%s)", self.queue_name, message.id, error)
                return
            message.pop_receipt = updated.pop_receipt

    async def _release(self, client: QueueClient, message: StorageMessage, after_seconds: int) -> None:
        call = client.update_message(message.id, message.pop_receipt, visibility_timeout=after_seconds)
        await self._storage_call(call, "release")

    async def _to_poison(self, client: QueueClient, message: StorageMessage) -> None:
        poison_name = f"{self.queue_name}-poison"
        log.warning(
            "queue %s: message %s moved to %s after %s tries",
            self.queue_name,
            message.id,
            poison_name,
            message.dequeue_count,
        )
        try:
            poison = await self.storage.client(self.connection_setting, poison_name)
            # The host copies the stored text as is, so the poison message decodes like the original.
            await poison.send_message(message.content)
        except AzureError as error:
            log.warning("queue %s: could not move %s to poison (%s)", self.queue_name, message.id, error)
            return
        await self._storage_call(client.delete_message(message.id, message.pop_receipt), "delete")

    async def _storage_call(self, call: Any, what: str) -> None:
        try:
            await call
        except AzureError as error:
            # The message may have been taken by another reader after its hold lapsed.
            log.warning("queue %s: %s failed (%s)", self.queue_name, what, error)


async def _first_of(*awaitables: Any) -> None:
    tasks = [asyncio.ensure_future(a) for a in awaitables]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
