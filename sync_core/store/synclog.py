"""The synclog table: what the Manage page shows about runs, newest first, per connection.

RowKey is an inverted timestamp plus a random suffix, so a plain partition scan returns newest entries first.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Literal

from pydantic import AwareDatetime, BaseModel

from . import keys
from .clients import StorageContext
from .connections import ConnectionKey
from .entities import StoredRow, from_entity, to_entity
from .syncstate import Kind

LogLevel = Literal["info", "warning", "error"]
LogType = Literal["pass", "failure", "unlink", "info", "enable", "disable", "conflict", "repair"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MAX_MICROS = 10**19 - 1


class LogEntry(BaseModel):
    kind: Kind
    level: LogLevel = "info"
    type: LogType = "info"
    title: str = ""
    message: str = ""
    counts: dict[str, int] = {}
    at: AwareDatetime


class _LogRow(StoredRow):
    json_fields = frozenset({"counts"})
    kind: Kind
    level: LogLevel
    type: LogType
    title: str
    message: str
    counts: dict[str, int]
    at: AwareDatetime


def _row_key(at: datetime) -> str:
    micros = (at - _EPOCH) // timedelta(microseconds=1)
    return f"{_MAX_MICROS - micros:019d}-{secrets.token_hex(4)}"


class SyncLogPage(BaseModel):
    entries: list[LogEntry]
    next_cursor: str | None


class SyncLogRepository:
    def __init__(self, storage: StorageContext) -> None:
        self._storage = storage

    async def append(self, connection: ConnectionKey, entry: LogEntry) -> None:
        table = await self._storage.table("synclog")
        row = _LogRow(**entry.model_dump())
        await table.create_entity(to_entity(row, keys.escape(str(connection)), _row_key(entry.at)))

    async def recent(
        self,
        connection: ConnectionKey,
        kind: Kind | None = None,
        limit: int = 50,
        before: str | None = None,
        entry_type: LogType | None = None,
    ) -> SyncLogPage:
        """Up to `limit` entries newest first (only of `entry_type` when given), older than the `before`
        cursor of a previous page."""
        table = await self._storage.table("synclog")
        query = "PartitionKey eq @pk"
        parameters: dict[str, str] = {"pk": keys.escape(str(connection))}
        if kind is not None:
            query += " and kind eq @kind"
            parameters["kind"] = kind
        if entry_type is not None:
            query += " and type eq @type"
            parameters["type"] = entry_type
        if before is not None:
            query += " and RowKey gt @before"
            parameters["before"] = before
        entries: list[LogEntry] = []
        last_key: str | None = None
        async for entity in table.query_entities(query, parameters=parameters, results_per_page=limit + 1):
            if len(entries) == limit:
                return SyncLogPage(entries=entries, next_cursor=last_key)
            entries.append(LogEntry(**from_entity(_LogRow, entity).model_dump()))
            last_key = str(entity["RowKey"])
        return SyncLogPage(entries=entries, next_cursor=None)
