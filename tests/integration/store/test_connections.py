"""Connections on Azurite: identities and encrypted tokens round trip, odd ids work, all rows list."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from sync_core.config import Settings
from sync_core.store.clients import StorageContext
from sync_core.store.connections import Connection, ConnectionKey, ConnectionRepository, RecruitToken
from sync_core.store.crypto import SecretBox
from sync_core.store.errors import SecretDecryptError, SecretKeyMissing

NEW_KEY = base64.b64encode(bytes(range(100, 132))).decode()


@pytest.fixture
def connections(storage: StorageContext, secrets: SecretBox) -> ConnectionRepository:
    return ConnectionRepository(storage, secrets)


def make_connection(key: ConnectionKey) -> Connection:
    return Connection(
        org_id=key.org_id,
        user_id=key.user_id,
        key_data_centre=key.data_centre,
        email="ada@example.com",
        name="Ada",
        time_zone="Europe/London",
        api_base="https://recruit.zoho.eu/recruit/v2",
        recruit_token=RecruitToken(
            refresh_token="1000.refresh",
            access_token="1000.access",
            expires_at=datetime(2026, 1, 1, tzinfo=UTC),
        ),
        microsoft_tenant_id="tenant",
        microsoft_user_id="ms-user",
        auth_mode="sso",
        msal_cache='{"RefreshToken": {"x": "secret-rt"}}',
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


async def test_connection_with_odd_ids_round_trips_with_its_tokens(
    connections: ConnectionRepository, connection_key: ConnectionKey
) -> None:
    saved = await connections.upsert(make_connection(connection_key))
    read = await connections.get(connection_key)
    assert read is not None
    assert read == saved
    assert read.key == connection_key


async def test_tokens_are_not_stored_in_plaintext(
    connections: ConnectionRepository, connection_key: ConnectionKey, storage: StorageContext
) -> None:
    await connections.upsert(make_connection(connection_key))
    table = await storage.table("connections")
    stored = str([dict(entity) async for entity in table.list_entities()])
    assert "1000.refresh" not in stored and "secret-rt" not in stored


async def test_connection_key_string_form_parses_back() -> None:
    key = ConnectionKey(org_id="o:1|x", user_id="u%2:é")
    assert ConnectionKey.parse(str(key)) == key


async def test_list_all_returns_every_connection_and_delete_removes_one(
    connections: ConnectionRepository,
) -> None:
    keys = [ConnectionKey(org_id=f"org{i % 2}", user_id=f"user{i}") for i in range(5)]
    for key in keys:
        await connections.upsert(make_connection(key))
    await connections.delete(keys[0])
    listed = [connection.key async for connection in connections.list_all()]
    assert sorted(listed, key=str) == sorted(keys[1:], key=str)
    assert await connections.get(keys[0]) is None


async def test_the_same_ids_from_two_data_centres_and_a_key_without_one_are_three_rows(
    connections: ConnectionRepository, storage: StorageContext
) -> None:
    plain = ConnectionKey(org_id="org:1", user_id="user:1")
    eu, ca = (plain.model_copy(update={"data_centre": dc}) for dc in ("accounts.zoho.eu", "127.0.0.1:7083"))
    for key, email in ((plain, "old@example.com"), (eu, "eu@example.com"), (ca, "ca@example.com")):
        await connections.upsert(make_connection(key).model_copy(update={"email": email}))

    read = {key: await connections.get(key) for key in (plain, eu, ca)}
    listed = {connection.key: connection.email async for connection in connections.list_all()}

    assert {key: c.email if c else None for key, c in read.items()} == listed
    assert listed == {plain: "old@example.com", eu: "eu@example.com", ca: "ca@example.com"}
    table = await storage.table("connections")
    for entity in [e async for e in table.list_entities()]:
        assert await connections.key_at(entity["PartitionKey"], entity["RowKey"]) in listed
    await connections.delete(eu)
    assert await connections.get(eu) is None and await connections.get(plain) is not None


async def test_rotated_keys_still_read_old_rows(
    store_settings: Settings, storage: StorageContext, connection_key: ConnectionKey
) -> None:
    old = ConnectionRepository(storage, SecretBox.from_settings(store_settings))
    await old.upsert(make_connection(connection_key))
    rotated_keys = f"k2:{NEW_KEY},{store_settings.token_encryption_keys}"
    rotated = SecretBox.from_settings(
        store_settings.model_copy(update={"token_encryption_keys": rotated_keys})
    )
    read = await ConnectionRepository(storage, rotated).get(connection_key)
    assert read is not None and read.recruit_token is not None
    assert read.recruit_token.refresh_token == "1000.refresh"


async def test_reading_with_a_retired_key_is_an_error_not_empty_tokens(
    store_settings: Settings, storage: StorageContext, connection_key: ConnectionKey
) -> None:
    await ConnectionRepository(storage, SecretBox.from_settings(store_settings)).upsert(
        make_connection(connection_key)
    )
    retired = SecretBox.from_settings(
        store_settings.model_copy(update={"token_encryption_keys": f"k2:{NEW_KEY}"})
    )
    with pytest.raises(SecretDecryptError):
        await ConnectionRepository(storage, retired).get(connection_key)


async def test_saving_tokens_without_a_configured_key_is_a_clear_error(
    store_settings: Settings, storage: StorageContext, connection_key: ConnectionKey
) -> None:
    keyless = SecretBox.from_settings(store_settings.model_copy(update={"token_encryption_keys": ""}))
    with pytest.raises(SecretKeyMissing):
        await ConnectionRepository(storage, keyless).upsert(make_connection(connection_key))
