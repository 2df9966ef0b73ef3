"""The Table and Queue service clients built from Settings, owned by one `StorageContext` per process/test.

Connection string when set (Azurite, local), else the managed identity through DefaultAzureCredential.
"""

from __future__ import annotations

import asyncio
import contextlib
from types import TracebackType
from typing import Literal

from azure.core.exceptions import ResourceExistsError
from azure.data.tables.aio import TableClient, TableServiceClient
from azure.identity.aio import DefaultAzureCredential
from azure.storage.queue.aio import QueueClient, QueueServiceClient

from sync_core.config import Settings

TableName = Literal["connections", "syncstate", "links", "routes", "oauth", "synclog", "sessions", "credits"]


class StorageContext:
    """Owns the service clients and creates tables and queues on first use (remembering which exist)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._credential: DefaultAzureCredential | None = None
        if settings.storage_connection_string:
            conn = settings.storage_connection_string
            self.tables = TableServiceClient.from_connection_string(conn)
            self.queues = QueueServiceClient.from_connection_string(conn)
        elif settings.storage_account_name:
            account = settings.storage_account_name
            self._credential = DefaultAzureCredential()
            self.tables = TableServiceClient(
                f"https://{account}.table.core.windows.net", credential=self._credential
            )
            self.queues = QueueServiceClient(
                f"https://{account}.queue.core.windows.net", credential=self._credential
            )
        else:
            raise ValueError(
                "set AzureWebJobsStorage (connection string) or AzureWebJobsStorage__accountName"
            )
        self._tables: dict[str, TableClient] = {}
        self._queues: dict[str, QueueClient] = {}
        self._lock = asyncio.Lock()

    def table_name(self, name: TableName) -> str:
        return self.settings.table_prefix + name

    async def table(self, name: TableName) -> TableClient:
        full = self.table_name(name)
        client = self._tables.get(full)
        if client is None:
            async with self._lock:
                client = self._tables.get(full)
                if client is None:
                    with contextlib.suppress(ResourceExistsError):
                        await self.tables.create_table(full)
                    client = self._tables[full] = self.tables.get_table_client(full)
        return client

    async def queue(self, name: str) -> QueueClient:
        client = self._queues.get(name)
        if client is None:
            async with self._lock:
                client = self._queues.get(name)
                if client is None:
                    client = self.queues.get_queue_client(name)
                    with contextlib.suppress(ResourceExistsError):
                        await client.create_queue()
                    self._queues[name] = client
        return client

    async def close(self) -> None:
        for table in self._tables.values():
            await table.close()
        for queue in self._queues.values():
            await queue.close()
        await self.tables.close()
        await self.queues.close()
        if self._credential is not None:
            await self._credential.close()

    async def __aenter__(self) -> StorageContext:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()
