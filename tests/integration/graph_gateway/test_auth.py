"""Credentials against the emulator's identity endpoints: app-only for consented tenants, and the delegated
sign-in (code + PKCE) whose serialized cache keeps working after a round trip through storage.
"""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from sync_core.config import Settings
from sync_core.graph import containers
from sync_core.graph.auth import DelegatedCredential, finish_consent, start_consent
from sync_core.graph.client import GraphClient
from sync_core.graph.errors import AuthRequired, ConsentError
from tests.fixtures.graph_emulator import GraphEmulatorHandle

from .conftest import ALICE, BOB, CAROL, REDIRECT_URI, GraphFor


async def _approve(auth_url: str) -> dict[str, str]:
    """What a browser does: open the sign-in URL (login_hint approves at once), follow it to the callback."""
    async with httpx.AsyncClient(trust_env=False) as browser:
        answer = await browser.get(auth_url, follow_redirects=False)
    assert answer.status_code == 302, answer.text
    location = answer.headers["location"]
    assert location.startswith(REDIRECT_URI)
    return {key: values[0] for key, values in parse_qs(urlparse(location).query).items()}


async def _sign_in(settings: Settings, email: str) -> tuple[str, Any]:
    auth_url, flow = await start_consent(settings, REDIRECT_URI, login_hint=email)
    return await finish_consent(settings, flow, await _approve(auth_url))


async def test_app_only_credential_reaches_every_mailbox_of_a_consented_tenant(graph_for: GraphFor) -> None:
    contoso = await graph_for(ALICE)
    answer = await contoso.request("GET", f"/users/{CAROL}/calendars", mailbox=CAROL)
    assert answer.status == 200 and answer.body["value"]


async def test_app_only_credential_without_admin_consent_needs_sign_in(graph_for: GraphFor) -> None:
    fabrikam = await graph_for(BOB)
    with pytest.raises(AuthRequired):
        await fabrikam.request("GET", f"/users/{BOB}/calendars", mailbox=BOB)


async def test_consent_names_the_user_who_signed_in(graph: GraphEmulatorHandle, settings: Settings) -> None:
    _, identity = await _sign_in(settings, BOB)
    bob = graph.user(BOB)
    assert (identity.tenant_id, identity.user_id, identity.email) == (bob["tenant_id"], bob["id"], BOB)
    assert identity.name


async def test_delegated_cache_survives_serialisation_and_calls_graph(settings: Settings) -> None:
    cache, identity = await _sign_in(settings, BOB)
    credential = DelegatedCredential(settings, cache)
    bob_graph = GraphClient(credential, settings)
    calendar_id = await containers.find_or_create_calendar(bob_graph, identity.user_id, "Zoho Recruit")
    stored = credential.serialized_cache()

    again = GraphClient(DelegatedCredential(settings, stored), settings)
    assert await containers.calendar_exists(again, identity.user_id, calendar_id)


async def test_a_tampered_callback_state_is_refused(settings: Settings) -> None:
    auth_url, flow = await start_consent(settings, REDIRECT_URI, login_hint=BOB)
    query = await _approve(auth_url)
    with pytest.raises(ConsentError):
        await finish_consent(settings, flow, {**query, "state": "forged"})


async def test_an_empty_cache_means_the_user_must_sign_in_again(settings: Settings) -> None:
    bob_graph = GraphClient(DelegatedCredential(settings, ""), settings)
    with pytest.raises(AuthRequired):
        await bob_graph.request("GET", f"/users/{BOB}/calendars", mailbox=BOB)


async def test_a_cache_holding_a_valid_token_is_not_rewritten(settings: Settings) -> None:
    cache, _ = await _sign_in(settings, BOB)
    credential = DelegatedCredential(settings, cache)
    await credential.get_token("https://graph.microsoft.com/.default")
    assert not credential.cache_changed


def _expire_access_tokens(serialized_cache: str) -> str:
    """The cache as it is an hour later: access tokens expired, refresh token still good."""
    cache = json.loads(serialized_cache)
    for entry in cache.get("AccessToken", {}).values():
        entry["expires_on"] = entry["extended_expires_on"] = str(int(time.time()) - 60)
    return json.dumps(cache)


async def test_a_refresh_rewrites_the_cache_and_says_so(settings: Settings) -> None:
    cache, _ = await _sign_in(settings, BOB)
    stale = _expire_access_tokens(cache)
    credential = DelegatedCredential(settings, stale)
    token = await credential.get_token("https://graph.microsoft.com/.default")
    assert token.expires_on > time.time()
    assert credential.cache_changed
    assert credential.serialized_cache() != stale


# Graph refuses a token the client still holds for valid when it is revoked, or judged on a clock ahead of
# the client's (here: the emulator's, moved two hours on). The request goes through with a fresh token, and
# the user is not asked to sign in again.
CLOCK_AHEAD = {"advance_seconds": 2 * 3600}


async def test_a_delegated_token_graph_refuses_is_refreshed_once_and_the_request_succeeds(
    graph: GraphEmulatorHandle, settings: Settings
) -> None:
    cache, _ = await _sign_in(settings, BOB)
    credential = DelegatedCredential(settings, cache)
    async with GraphClient(credential, settings) as bob_graph:
        await bob_graph.request("GET", f"/users/{BOB}/calendars", mailbox=BOB)
        graph.control("clock", CLOCK_AHEAD)
        answer = await bob_graph.request("GET", f"/users/{BOB}/calendars", mailbox=BOB)
    assert answer.status == 200 and answer.body["value"]
    assert credential.cache_changed  # the fresh token is stored for the next pass


async def test_an_app_token_graph_refuses_is_replaced_once_and_the_request_succeeds(
    graph: GraphEmulatorHandle, alice_graph: GraphClient
) -> None:
    await alice_graph.request("GET", f"/users/{ALICE}/calendars", mailbox=ALICE)
    graph.control("clock", CLOCK_AHEAD)
    answer = await alice_graph.request("GET", f"/users/{ALICE}/calendars", mailbox=ALICE)
    assert answer.status == 200 and answer.body["value"]
