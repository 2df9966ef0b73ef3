"""OAuth consent state is single use and expires; routes verify the stored clientState/token."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from sync_core.store.clients import StorageContext
from sync_core.store.connections import ConnectionKey
from sync_core.store.crypto import SecretBox
from sync_core.store.oauth import OAuthStateRepository
from sync_core.store.routes import RouteRepository

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
FLOW = {"code_verifier": "pkce-verifier", "user": "alice", "redirect": "/api/ui"}


@pytest.fixture
def oauth(storage: StorageContext, secrets: SecretBox) -> OAuthStateRepository:
    return OAuthStateRepository(storage, secrets)


@pytest.fixture
def routes(storage: StorageContext) -> RouteRepository:
    return RouteRepository(storage)


async def test_oauth_state_can_be_taken_once(oauth: OAuthStateRepository) -> None:
    await oauth.put("nonce-1", FLOW, NOW + timedelta(minutes=10))
    assert await oauth.take("nonce-1", NOW) == FLOW
    assert await oauth.take("nonce-1", NOW) is None


async def test_two_racing_takes_of_one_state_give_it_to_only_one(oauth: OAuthStateRepository) -> None:
    await oauth.put("nonce-race", FLOW, NOW + timedelta(minutes=10))
    results = await asyncio.gather(*(oauth.take("nonce-race", NOW) for _ in range(5)))
    assert [result for result in results if result is not None] == [FLOW]


async def test_expired_oauth_state_is_refused_and_gone(oauth: OAuthStateRepository) -> None:
    await oauth.put("nonce-old", FLOW, NOW + timedelta(minutes=10))
    assert await oauth.take("nonce-old", NOW + timedelta(minutes=11)) is None
    assert await oauth.take("nonce-old", NOW) is None


async def test_unknown_oauth_state_is_refused(oauth: OAuthStateRepository) -> None:
    assert await oauth.take("never/stored#", NOW) is None


async def test_purge_removes_only_expired_states(oauth: OAuthStateRepository) -> None:
    await oauth.put("stale", FLOW, NOW - timedelta(minutes=1))
    await oauth.put("fresh", FLOW, NOW + timedelta(minutes=10))
    assert await oauth.purge_expired(NOW) == 1
    assert await oauth.take("fresh", NOW) == FLOW


async def test_route_leads_to_its_connection_and_verifies_only_its_secret(
    routes: RouteRepository, connection_key: ConnectionKey
) -> None:
    await routes.put("graph", "sub/1#?", connection_key, "calendar", "client-state-abc")
    route = await routes.get("graph", "sub/1#?")
    assert route is not None
    assert (route.connection, route.kind) == (connection_key, "calendar")
    assert route.verify("client-state-abc")
    assert not route.verify("client-state-abd")
    assert await routes.get("recruit", "sub/1#?") is None


async def test_deleted_route_is_gone(routes: RouteRepository, connection_key: ConnectionKey) -> None:
    await routes.put("recruit", "channel-9", connection_key, "contacts", "token")
    await routes.delete("recruit", "channel-9")
    assert await routes.get("recruit", "channel-9") is None
