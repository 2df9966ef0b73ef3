"""The routes table: from a Graph subscription id or a Recruit channel id to its connection and kind.

Stores only a SHA-256 of the clientState/token, so a webhook can check one without any decryption key.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Literal

from azure.core.exceptions import ResourceNotFoundError
from azure.data.tables import UpdateMode
from pydantic import BaseModel

from . import keys
from .clients import StorageContext
from .connections import ConnectionKey
from .entities import StoredRow, from_entity, to_entity
from .syncstate import Kind

RouteSource = Literal["graph", "recruit"]


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class Route(BaseModel):
    source: RouteSource
    route_id: str
    connection: ConnectionKey
    kind: Kind
    secret_sha256: str

    def verify(self, secret: str) -> bool:
        """True when `secret` is the clientState/token this route was stored with (constant-time compare)."""
        return hmac.compare_digest(secret_hash(secret), self.secret_sha256)


class _RouteRow(StoredRow):
    connection: str
    kind: Kind
    secret_sha256: str


class RouteRepository:
    def __init__(self, storage: StorageContext) -> None:
        self._storage = storage

    async def put(
        self, source: RouteSource, route_id: str, connection: ConnectionKey, kind: Kind, secret: str
    ) -> Route:
        table = await self._storage.table("routes")
        row = _RouteRow(connection=str(connection), kind=kind, secret_sha256=secret_hash(secret))
        await table.upsert_entity(to_entity(row, source, keys.escape(route_id)), mode=UpdateMode.REPLACE)
        return Route(
            source=source,
            route_id=route_id,
            connection=connection,
            kind=kind,
            secret_sha256=row.secret_sha256,
        )

    async def get(self, source: RouteSource, route_id: str) -> Route | None:
        table = await self._storage.table("routes")
        try:
            entity = await table.get_entity(source, keys.escape(route_id))
        except ResourceNotFoundError:
            return None
        row = from_entity(_RouteRow, entity)
        return Route(
            source=source,
            route_id=route_id,
            connection=ConnectionKey.parse(row.connection),
            kind=row.kind,
            secret_sha256=row.secret_sha256,
        )

    async def delete(self, source: RouteSource, route_id: str) -> None:
        table = await self._storage.table("routes")
        await table.delete_entity(source, keys.escape(route_id))
