"""Scopes and data centres through the product's own OAuth code (sync_core/recruit/oauth.py): the scopes it
asks for cover every call it makes, a call outside them is a ScopeMismatch (never a token refresh), and a
Canadian user signs in through the Canadian accounts server the grant names and is served by the Canadian
API host."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from local.emulators.kit.serve import Listener, ServerThread, free_port
from local.emulators.recruit import create_app
from local.emulators.recruit.seed import load_seed
from sync_core.config import Settings
from sync_core.recruit import InMemoryTokenSource, RecruitClient, ScopeMismatch, api_base_for, exchange_code

from .conftest import ALICE, REDIRECT_URI, ClientFor, consent_redirect

MAYA = "maya@mapletalent.example"


async def test_the_product_scopes_cover_every_read_it_makes(alice: RecruitClient) -> None:
    assert (await alice.current_user()).email == ALICE
    assert (await alice.org()).company_name == "Acme Recruiting"
    assert (await alice.owner_field("Contacts")).api_name == "Contact_Owner"
    assert await alice.search("Clients", [("Client_Name", "equals", "Contoso Ltd")])
    assert [record async for record in alice.list_records("Interviews")]
    expiry = datetime.now(UTC) + timedelta(hours=12)
    await alice.watch(4242, ["Events.all"], "https://app.example/api/webhooks/recruit", "t", expiry)
    assert [channel.channel_id for channel in await alice.list_watches()] == [4242]


async def test_a_call_outside_the_consented_scopes_is_a_scope_mismatch_not_an_expired_token(
    zoho_settings: Settings, client_for: ClientFor
) -> None:
    narrow = zoho_settings.model_copy(update={"zoho_scopes": "ZohoRecruit.modules.contact.ALL"})
    callback = await consent_redirect(narrow, ALICE)
    tokens = await exchange_code(
        callback["accounts-server"], callback["code"], REDIRECT_URI, settings=zoho_settings
    )
    source = InMemoryTokenSource(tokens, settings=zoho_settings)
    async with RecruitClient(zoho_settings.zoho_api_base_url, source) as client:
        assert [record async for record in client.list_records("Contacts")]
        with pytest.raises(ScopeMismatch) as raised:
            await client.search("Clients", [("Client_Name", "equals", "Contoso Ltd")])
        assert raised.value.code == "OAUTH_SCOPE_MISMATCH" and raised.value.http_status == 401
        assert source.refresh_count == 0
        before = client.requests_made
        with pytest.raises(ScopeMismatch):
            await client.org()
        assert client.requests_made - before == 1


@pytest.fixture(scope="module")
def two_centres() -> Iterator[tuple[str, str]]:
    """An emulator playing the US at one port and Canada, strictly, at another."""
    home_port, ca_port = free_port(), free_port()
    home, canada = f"http://127.0.0.1:{home_port}", f"http://127.0.0.1:{ca_port}"
    app = create_app(load_seed(), {"ca": canada})
    server = ServerThread(app, [Listener(home_port), Listener(ca_port)]).start()
    yield home, canada
    server.stop()


async def test_a_canadian_user_signs_in_through_canada_and_is_served_by_the_canadian_api(
    two_centres: tuple[str, str],
) -> None:
    home, canada = two_centres
    client = load_seed()["client"]
    settings = Settings(
        zoho_accounts_url=home,
        zoho_api_base_url=f"{home}/recruit/v2",
        zoho_client_id=client["client_id"],
        zoho_client_secret=client["client_secret"],
        zoho_local_data_centres=f"{canada}={canada}/recruit/v2",
    )
    callback = await consent_redirect(settings, MAYA)
    assert callback["location"] == "ca" and callback["accounts-server"] == canada
    tokens = await exchange_code(
        callback["accounts-server"], callback["code"], REDIRECT_URI, settings=settings
    )
    assert tokens.accounts_server == canada
    api_base = api_base_for(tokens.accounts_server, settings)
    assert api_base == f"{canada}/recruit/v2"
    source = InMemoryTokenSource(tokens, settings=settings)
    async with RecruitClient(api_base, source) as recruit:
        assert (await recruit.current_user()).email == MAYA
        assert (await recruit.org()).company_name == "Maple Talent"
        titles = [record["Event_Title"] async for record in recruit.list_records("Events")]
        assert titles == ["Intake call"]
    # Refreshing goes to Canada's accounts server too.
    assert (await source.refreshed()) != tokens.access_token
    # The home data centre does not know a Canadian token.
    async with httpx.AsyncClient(trust_env=False) as http:
        refused = await http.get(
            f"{home}/recruit/v2/org",
            headers={"Authorization": f"Zoho-oauthtoken {source.tokens.access_token}"},
        )
    assert refused.status_code == 401 and refused.json()["code"] == "INVALID_TOKEN"
