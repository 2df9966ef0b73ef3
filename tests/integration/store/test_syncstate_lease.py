"""The sync-pass lease on Azurite: one winner, takeover after expiry, and pending requests never lost."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from sync_core.store.clients import StorageContext
from sync_core.store.connections import ConnectionKey
from sync_core.store.crypto import SecretBox
from sync_core.store.errors import ConcurrencyError, LeaseLost
from sync_core.store.syncstate import SyncStateRepository

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture
def states(storage: StorageContext, secrets: SecretBox) -> SyncStateRepository:
    return SyncStateRepository(storage, secrets)


async def test_two_concurrent_acquirers_exactly_one_wins(
    states: SyncStateRepository, connection_key: ConnectionKey
) -> None:
    results = await asyncio.gather(
        *(states.try_acquire(connection_key, "calendar", f"worker-{i}", NOW, 60) for i in range(2))
    )
    winners = [lease for lease in results if lease is not None]
    assert len(winners) == 1
    state = await states.get(connection_key, "calendar")
    assert state is not None and state.lease_owner == winners[0].owner
    assert state.pending  # the loser recorded its request for the winner


async def test_many_concurrent_acquirers_exactly_one_wins(
    states: SyncStateRepository, connection_key: ConnectionKey
) -> None:
    await states.create_if_missing(connection_key, "contacts")
    results = await asyncio.gather(
        *(states.try_acquire(connection_key, "contacts", f"worker-{i}", NOW, 60) for i in range(8))
    )
    assert sum(lease is not None for lease in results) == 1


async def test_expired_lease_can_be_taken_over(
    states: SyncStateRepository, connection_key: ConnectionKey
) -> None:
    first = await states.try_acquire(connection_key, "calendar", "crashed", NOW, 60)
    assert first is not None
    assert (
        await states.try_acquire(connection_key, "calendar", "next", NOW + timedelta(seconds=30), 60) is None
    )
    taken = await states.try_acquire(connection_key, "calendar", "next", NOW + timedelta(seconds=61), 60)
    assert taken is not None and taken.owner == "next"


async def test_request_during_a_pass_makes_the_holder_run_again(
    states: SyncStateRepository, connection_key: ConnectionKey
) -> None:
    lease = await states.try_acquire(connection_key, "calendar", "holder", NOW, 60)
    assert lease is not None
    assert await states.try_acquire(connection_key, "calendar", "other", NOW, 60) is None
    assert await states.release(lease) is True
    again = await states.try_acquire(connection_key, "calendar", "holder", NOW, 60)
    assert again is not None
    assert await states.release(again) is False


async def test_release_without_requests_frees_the_lease(
    states: SyncStateRepository, connection_key: ConnectionKey
) -> None:
    lease = await states.try_acquire(connection_key, "contacts", "holder", NOW, 60)
    assert lease is not None
    assert await states.release(lease) is False
    assert await states.try_acquire(connection_key, "contacts", "other", NOW, 60) is not None


async def test_renew_extends_the_lease_past_its_first_expiry(
    states: SyncStateRepository, connection_key: ConnectionKey
) -> None:
    lease = await states.try_acquire(connection_key, "calendar", "holder", NOW, 60)
    assert lease is not None
    renewed = await states.renew(lease, NOW + timedelta(seconds=50), 60)
    assert (
        await states.try_acquire(connection_key, "calendar", "other", NOW + timedelta(seconds=90), 60) is None
    )
    assert renewed.expires == NOW + timedelta(seconds=110)


async def test_renewing_a_lease_taken_over_raises_lease_lost(
    states: SyncStateRepository, connection_key: ConnectionKey
) -> None:
    lease = await states.try_acquire(connection_key, "calendar", "slow", NOW, 60)
    assert lease is not None
    assert await states.try_acquire(connection_key, "calendar", "fast", NOW + timedelta(seconds=61), 60)
    with pytest.raises(LeaseLost):
        await states.renew(lease, NOW + timedelta(seconds=62), 60)


async def test_update_with_a_stale_etag_raises_concurrency_error(
    states: SyncStateRepository, connection_key: ConnectionKey
) -> None:
    state = await states.create_if_missing(connection_key, "calendar")
    await states.update(state.model_copy(update={"status": "connecting"}))
    with pytest.raises(ConcurrencyError):
        await states.update(state.model_copy(update={"status": "active"}))


async def test_state_fields_and_encrypted_secrets_round_trip(
    states: SyncStateRepository, connection_key: ConnectionKey, storage: StorageContext
) -> None:
    state = await states.create_if_missing(connection_key, "calendar")
    written = state.model_copy(
        update={
            "status": "active",
            "subscription_client_state": "client-state-secret",
            "channel_token": "channel-secret",
            "delta_link": "https://graph/delta?token=" + "x" * 40_000,
            "mapping": [{"graph": "givenName", "recruit": "First_Name"}],
            "initial_cursor": {"page": 3},
            "counters": {"created": 4},
            "recruit_watermark": NOW,
        }
    )
    await states.update(written)
    read = await states.get(connection_key, "calendar")
    assert read is not None
    assert read.model_dump(exclude={"etag"}) == written.model_dump(exclude={"etag"})
    raw = await (await storage.table("syncstate")).get_entity(
        *SyncStateRepository._keys(connection_key, "calendar")
    )
    assert "client-state-secret" not in str(dict(raw)) and "channel-secret" not in str(dict(raw))


async def test_modify_retries_when_a_pending_request_changed_the_row(
    states: SyncStateRepository, connection_key: ConnectionKey
) -> None:
    lease = await states.try_acquire(connection_key, "calendar", "holder", NOW, 60)
    assert lease is not None
    seen = await states.get(connection_key, "calendar")
    await states.try_acquire(connection_key, "calendar", "other", NOW, 60)  # sets pending under the holder
    assert seen is not None
    with pytest.raises(ConcurrencyError):
        await states.update(seen.model_copy(update={"status": "active"}))
    updated = await states.modify(
        connection_key, "calendar", lambda s: s.model_copy(update={"status": "active"})
    )
    assert updated.status == "active" and updated.pending and updated.lease_owner == "holder"


async def test_release_after_teardown_does_not_recreate_the_state(
    states: SyncStateRepository, connection_key: ConnectionKey
) -> None:
    lease = await states.try_acquire(connection_key, "contacts", "holder", NOW, 60)
    assert lease is not None
    await states.delete(connection_key, "contacts")
    assert await states.release(lease) is False
    assert await states.get(connection_key, "contacts") is None
