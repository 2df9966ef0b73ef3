"""The sessions table: which Manage page sessions are live, PK the connection key, RK the session's nonce.

A signed cookie alone cannot be taken back; a row can. Logout deletes one row, disconnect every row of a user.
"""

from __future__ import annotations

from datetime import datetime

from azure.core.exceptions import ResourceNotFoundError
from pydantic import AwareDatetime

from . import keys
from .clients import StorageContext
from .connections import ConnectionKey
from .entities import StoredRow, from_entity, to_entity


class _SessionRow(StoredRow):
    expires_at: AwareDatetime


class SessionRepository:
    def __init__(self, storage: StorageContext) -> None:
        self._storage = storage

    @staticmethod
    def _keys(key: ConnectionKey, nonce: str) -> tuple[str, str]:
        return keys.escape(str(key)), keys.escape(nonce)

    async def start(self, key: ConnectionKey, nonce: str, expires_at: datetime) -> None:
        table = await self._storage.table("sessions")
        await table.create_entity(to_entity(_SessionRow(expires_at=expires_at), *self._keys(key, nonce)))

    async def is_live(self, key: ConnectionKey, nonce: str, now: datetime) -> bool:
        table = await self._storage.table("sessions")
        try:
            entity = await table.get_entity(*self._keys(key, nonce))
        except ResourceNotFoundError:
            return False
        return from_entity(_SessionRow, entity).expires_at > now

    async def end(self, key: ConnectionKey, nonce: str) -> None:
        table = await self._storage.table("sessions")
        await table.delete_entity(*self._keys(key, nonce))  # the SDK ignores a missing row

    async def end_all(self, key: ConnectionKey) -> int:
        """Ends every session of the user (disconnect); returns how many were live."""
        table = await self._storage.table("sessions")
        partition = keys.escape(str(key))
        count = 0
        async for entity in table.query_entities(
            "PartitionKey eq @pk", parameters={"pk": partition}, select=["PartitionKey", "RowKey"]
        ):
            await table.delete_entity(partition, str(entity["RowKey"]))
            count += 1
        return count
