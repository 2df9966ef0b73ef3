"""The connections table: one row per Recruit user who connected, PK org id, RK Recruit user id (joined with
the data centre when the key names one, see ConnectionKey).

Holds the Recruit and Microsoft identities and the encrypted Recruit token and MSAL token cache.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Literal

from azure.core import MatchConditions
from azure.core.exceptions import ResourceModifiedError, ResourceNotFoundError
from azure.data.tables import UpdateMode
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from . import keys
from .clients import StorageContext
from .crypto import SecretBox
from .entities import StoredRow, etag_of, from_entity, to_entity

AuthMode = Literal["sso", "delegated"]


class ConnectionKey(BaseModel):
    """Identifies a connection: the Recruit org and user ids and, where needed, the Zoho data centre that
    issued them (its accounts server's `host[:port]`), since two data centres' ids may name different people.

    An empty `data_centre` is the two-part key every connection had before the data centre was part of it:
    those rows keep it and stay readable, and the configured home data centre keeps using it for new
    connections (engine/accounts/accounts.py decides which key a sign-in gets). `str(key)` is `{org}:{user}`
    or `{org}:{user}:{data centre}` (parts escaped) and `parse` reverses it."""

    model_config = ConfigDict(frozen=True)
    org_id: str
    user_id: str
    data_centre: str = ""

    def __str__(self) -> str:
        if self.data_centre:
            return keys.compose(self.org_id, self.user_id, self.data_centre)
        return keys.compose(self.org_id, self.user_id)

    @classmethod
    def parse(cls, value: str) -> ConnectionKey:
        if value.count(":") == 2:
            org_id, user_id, data_centre = keys.decompose(value, 3)
            return cls(org_id=org_id, user_id=user_id, data_centre=data_centre)
        org_id, user_id = keys.decompose(value, 2)
        return cls(org_id=org_id, user_id=user_id)

    @property
    def row_key(self) -> str:
        """The connections row's RowKey: the user id, joined with the data centre when the key names one."""
        if self.data_centre:
            return keys.escape(keys.compose(self.user_id, self.data_centre))
        return keys.escape(self.user_id)

    @classmethod
    def of_row(cls, partition: str, row: str, data_centre: str) -> ConnectionKey:
        """The key of a connections row; `data_centre` is the row's `key_data_centre` column."""
        org_id = keys.unescape(partition)
        if data_centre:
            user_id, data_centre = keys.decompose(keys.unescape(row), 2)
            return cls(org_id=org_id, user_id=user_id, data_centre=data_centre)
        return cls(org_id=org_id, user_id=keys.unescape(row))


class RecruitToken(BaseModel):
    # repr=False: a token must never reach a log line through a model's repr.
    refresh_token: str = Field(repr=False)
    access_token: str = Field(default="", repr=False)
    expires_at: AwareDatetime | None = None


class _ConnectionFields(BaseModel):
    """The fields a connections row and the engine's view share; secrets differ (plain vs `_enc`)."""

    org_name: str = ""
    email: str = ""
    name: str = ""
    time_zone: str = ""
    data_centre: str = ""
    # The data centre part of the connection's key (ConnectionKey.data_centre); empty for a two-part key.
    key_data_centre: str = ""
    api_base: str = ""
    accounts_server: str = ""
    microsoft_tenant_id: str = ""
    microsoft_user_id: str = ""
    microsoft_email: str = ""
    auth_mode: AuthMode = "delegated"
    # "Disconnect" was asked: once both kinds are torn down, the tokens are revoked and the row deleted.
    disconnecting: bool = False
    # The user has Recruit's Administrator profile, as Recruit said at `admin_checked_at`
    # (engine/accounts/admin.py).
    recruit_admin: bool = False
    admin_checked_at: AwareDatetime | None = None
    created_at: AwareDatetime | None = None
    updated_at: AwareDatetime | None = None


class Connection(_ConnectionFields):
    """A connected Recruit user, secrets in plaintext (they are encrypted only in the row)."""

    org_id: str
    user_id: str
    recruit_token: RecruitToken | None = Field(default=None, repr=False)
    msal_cache: str | None = Field(default=None, repr=False)
    etag: str | None = None

    @property
    def key(self) -> ConnectionKey:
        return ConnectionKey(org_id=self.org_id, user_id=self.user_id, data_centre=self.key_data_centre)


class _ConnectionRow(StoredRow, _ConnectionFields):
    recruit_token_enc: str | None = None
    msal_cache_enc: str | None = None


class ConnectionRepository:
    def __init__(self, storage: StorageContext, secrets: SecretBox) -> None:
        self._storage = storage
        self._secrets = secrets

    def _aad(self, key: ConnectionKey, field: str) -> str:
        return f"connections|{key}|{field}"

    def _to_entity(self, connection: Connection) -> dict[str, object]:
        key = connection.key
        token = connection.recruit_token
        row = _ConnectionRow(
            **connection.model_dump(exclude={"org_id", "user_id", "recruit_token", "msal_cache", "etag"}),
            recruit_token_enc=(
                self._secrets.encrypt(token.model_dump_json(), self._aad(key, "recruit_token"))
                if token
                else None
            ),
            msal_cache_enc=(
                self._secrets.encrypt(connection.msal_cache, self._aad(key, "msal_cache"))
                if connection.msal_cache is not None
                else None
            ),
        )
        return to_entity(row, keys.escape(key.org_id), key.row_key)

    def _from_entity(self, entity: dict[str, object]) -> Connection:
        row = from_entity(_ConnectionRow, entity)
        key = ConnectionKey.of_row(str(entity["PartitionKey"]), str(entity["RowKey"]), row.key_data_centre)
        token = None
        if row.recruit_token_enc:
            plain = self._secrets.decrypt(row.recruit_token_enc, self._aad(key, "recruit_token"))
            token = RecruitToken.model_validate(json.loads(plain))
        cache = None
        if row.msal_cache_enc:
            cache = self._secrets.decrypt_text(row.msal_cache_enc, self._aad(key, "msal_cache"))
        return Connection(
            **row.model_dump(exclude={"recruit_token_enc", "msal_cache_enc"}),
            org_id=key.org_id,
            user_id=key.user_id,
            recruit_token=token,
            msal_cache=cache,
            etag=etag_of(entity),
        )

    async def get(self, key: ConnectionKey) -> Connection | None:
        table = await self._storage.table("connections")
        try:
            entity = await table.get_entity(keys.escape(key.org_id), key.row_key)
        except ResourceNotFoundError:
            return None
        return self._from_entity(entity)

    async def key_at(self, partition: str, row: str) -> ConnectionKey | None:
        """The key of the row stored at (PartitionKey, RowKey) as listed, or None once it is gone."""
        table = await self._storage.table("connections")
        try:
            entity = await table.get_entity(partition, row)
        except ResourceNotFoundError:
            return None
        return ConnectionKey.of_row(partition, row, str(entity.get("key_data_centre") or ""))

    async def upsert(self, connection: Connection) -> Connection:
        """Writes the whole row (last writer wins) and returns it with its new ETag."""
        table = await self._storage.table("connections")
        metadata = await table.upsert_entity(self._to_entity(connection), mode=UpdateMode.REPLACE)
        return connection.model_copy(update={"etag": etag_of(metadata)})

    async def reseal(self, key: ConnectionKey) -> bool:
        """Writes the row back unchanged but for its secrets, sealed under the current key; ETag-matched, so
        a concurrent writer (a token refresh) wins and the row is simply resealed by that write. True if
        written."""
        current = await self.get(key)
        if current is None or current.etag is None:
            return False
        table = await self._storage.table("connections")
        try:
            await table.update_entity(
                self._to_entity(current),
                mode=UpdateMode.REPLACE,
                etag=current.etag,
                match_condition=MatchConditions.IfNotModified,
            )
        except (ResourceModifiedError, ResourceNotFoundError):
            return False
        return True

    async def delete(self, key: ConnectionKey) -> None:
        table = await self._storage.table("connections")
        await table.delete_entity(keys.escape(key.org_id), key.row_key)

    async def list_all(self) -> AsyncIterator[Connection]:
        table = await self._storage.table("connections")
        async for entity in table.list_entities():
            yield self._from_entity(entity)

    async def list_org(self, org_id: str) -> AsyncIterator[Connection]:
        """Every connection of one Recruit organisation (its partition)."""
        table = await self._storage.table("connections")
        entities = table.query_entities("PartitionKey eq @pk", parameters={"pk": keys.escape(org_id)})
        async for entity in entities:
            yield self._from_entity(entity)
