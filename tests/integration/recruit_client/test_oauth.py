"""Sign in with Zoho against the emulated accounts server, and token refresh when Recruit refuses a token."""

from __future__ import annotations

import httpx
import pytest

from sync_core.config import Settings
from sync_core.recruit import (
    InMemoryTokenSource,
    InvalidToken,
    RecruitClient,
    UntrustedAccountsServer,
    api_base_for,
    exchange_code,
)
from tests.fixtures.recruit_emulator import RecruitEmulator

from .conftest import ALICE, REDIRECT_URI, SignIn, consent_redirect


async def test_consent_redirect_carries_code_state_and_data_centre(zoho_settings: Settings) -> None:
    callback = await consent_redirect(zoho_settings, ALICE, state="nonce-1")
    assert callback["state"] == "nonce-1"
    assert callback["code"]
    assert callback["location"] == "us"
    assert callback["accounts-server"] == zoho_settings.zoho_accounts_url


async def test_exchanged_code_gives_tokens_that_act_as_the_signed_in_user(
    zoho_settings: Settings, sign_in: SignIn
) -> None:
    tokens = await sign_in(ALICE)
    assert tokens.refresh_token
    api_base = api_base_for(tokens.accounts_server, zoho_settings)
    assert api_base == zoho_settings.zoho_api_base_url
    async with RecruitClient(api_base, InMemoryTokenSource(tokens, settings=zoho_settings)) as client:
        user = await client.current_user()
    assert user.email == ALICE
    assert user.time_zone == "Asia/Kolkata"


async def test_a_code_works_only_once(zoho_settings: Settings) -> None:
    callback = await consent_redirect(zoho_settings, ALICE)
    server = callback["accounts-server"]
    await exchange_code(server, callback["code"], REDIRECT_URI, settings=zoho_settings)
    with pytest.raises(InvalidToken) as raised:
        await exchange_code(server, callback["code"], REDIRECT_URI, settings=zoho_settings)
    assert raised.value.code == "invalid_code"


async def test_a_callback_naming_a_foreign_accounts_server_never_sends_the_secret(
    zoho_settings: Settings,
) -> None:
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"access_token": "stolen"})

    async with httpx.AsyncClient(transport=httpx.MockTransport(record)) as http:
        with pytest.raises(UntrustedAccountsServer):
            await exchange_code(
                "https://accounts.evil.example", "c", REDIRECT_URI, settings=zoho_settings, http=http
            )
    assert sent == []


async def test_an_expired_access_token_is_refreshed_once_and_the_call_succeeds(
    recruit: RecruitEmulator, zoho_settings: Settings, sign_in: SignIn
) -> None:
    tokens = await sign_in(ALICE)
    source = InMemoryTokenSource(tokens, settings=zoho_settings)
    async with RecruitClient(zoho_settings.zoho_api_base_url, source) as client:
        recruit.control("clock", {"advance_seconds": 7200})
        org = await client.org()
        assert org.company_name == "Acme Recruiting"
        assert source.refresh_count == 1
        assert client.requests_made == 2  # refused once, then served with the new token
        assert source.tokens.refresh_token == tokens.refresh_token


async def test_a_revoked_refresh_token_surfaces_as_invalid_token(
    recruit: RecruitEmulator, zoho_settings: Settings, sign_in: SignIn
) -> None:
    tokens = await sign_in(ALICE)
    assert tokens.refresh_token
    async with httpx.AsyncClient(trust_env=False) as http:
        revoked = await http.post(
            f"{recruit.base_url}/oauth/v2/token/revoke", data={"token": tokens.refresh_token}
        )
    assert revoked.json() == {"status": "success"}
    source = InMemoryTokenSource(tokens, settings=zoho_settings)
    async with RecruitClient(zoho_settings.zoho_api_base_url, source) as client:
        with pytest.raises(InvalidToken):
            await client.current_user()
