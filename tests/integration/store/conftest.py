"""Store tests share the session's Azurite; each test gets its own tables and queues by prefix."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator

import pytest

from sync_core.config import Settings
from sync_core.store.clients import StorageContext
from sync_core.store.connections import ConnectionKey
from sync_core.store.crypto import SecretBox

TEST_KEY = base64.b64encode(bytes(range(32))).decode()


@pytest.fixture
def store_settings(storage_connection_string: str, table_prefix: str) -> Settings:
    return Settings(
        storage_connection_string=storage_connection_string,
        table_prefix=table_prefix,
        queue_sync_requests=f"{table_prefix}-sync-requests",
        queue_lifecycle=f"{table_prefix}-lifecycle",
        token_encryption_keys=f"k1:{TEST_KEY}",
    )


@pytest.fixture
async def storage(store_settings: Settings) -> AsyncIterator[StorageContext]:
    async with StorageContext(store_settings) as context:
        yield context


@pytest.fixture
def secrets(store_settings: Settings) -> SecretBox:
    return SecretBox.from_settings(store_settings)


@pytest.fixture
def connection_key() -> ConnectionKey:
    return ConnectionKey(org_id="org/1#", user_id="user?\\é")
