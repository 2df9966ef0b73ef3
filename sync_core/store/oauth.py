"""The oauth table: pending consent flows keyed by their state nonce, encrypted, each usable once.

`take` claims the row with an ETag-matched write before deleting it, so two racing callbacks cannot both win.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from azure.core import MatchConditions
from azure.core.exceptions import ResourceModifiedError, ResourceNotFoundError
from azure.data.tables import UpdateMode
from pydantic import AwareDatetime

from . import keys
from .clients import StorageContext
from .crypto import SecretBox
from .entities import StoredRow, etag_of, from_entity, to_entity

_PARTITION = "state"


class _PendingRow(StoredRow):
    payload_enc: str
    expires_at: AwareDatetime
    taken: bool = False


class OAuthStateRepository:
    def __init__(self, storage: StorageContext, secrets: SecretBox) -> None:
        self._storage = storage
        self._secrets = secrets

    @staticmethod
    def _aad(nonce: str) -> str:
        return f"oauth|{nonce}"

    async def put(self, nonce: str, payload: dict[str, Any], expires_at: datetime) -> None:
        """Stores a flow (MSAL flow dict, PKCE verifier, user, redirect...) until `expires_at`."""
        table = await self._storage.table("oauth")
        sealed = self._secrets.encrypt(json.dumps(payload), self._aad(nonce))
        row = _PendingRow(payload_enc=sealed, expires_at=expires_at)
        await table.create_entity(to_entity(row, _PARTITION, keys.escape(nonce)))

    async def take(self, nonce: str, now: datetime) -> dict[str, Any] | None:
        """The payload, deleted in the same step; None if unknown, already taken or expired."""
        table = await self._storage.table("oauth")
        row_key = keys.escape(nonce)
        try:
            entity = await table.get_entity(_PARTITION, row_key)
            row = from_entity(_PendingRow, entity)
            if row.taken:
                return None
            # The SDK's delete ignores 404, which would let two racing takes both succeed; an ETag-matched
            # update does fail for the loser, so claim the row first, then delete it.
            await table.update_entity(
                {"PartitionKey": _PARTITION, "RowKey": row_key, "taken": True},
                mode=UpdateMode.MERGE,
                etag=etag_of(entity),
                match_condition=MatchConditions.IfNotModified,
            )
        except (ResourceNotFoundError, ResourceModifiedError):
            return None
        await table.delete_entity(_PARTITION, row_key)
        if row.expires_at <= now:
            return None
        payload: dict[str, Any] = json.loads(self._secrets.decrypt(row.payload_enc, self._aad(nonce)))
        return payload

    async def purge_expired(self, now: datetime) -> int:
        """Deletes flows that expired unused (for the timer); returns how many."""
        table = await self._storage.table("oauth")
        count = 0
        async for entity in table.query_entities(
            "PartitionKey eq @pk and expires_at le @now", parameters={"pk": _PARTITION, "now": now}
        ):
            await table.delete_entity(_PARTITION, str(entity["RowKey"]))
            count += 1
        return count
