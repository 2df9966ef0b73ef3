"""Shared setup for the Recruit client tests: settings aimed at the emulator, Zoho sign-in, clients."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from sync_core.config import Settings
from sync_core.recruit import InMemoryTokenSource, RecruitClient, RecruitTokens, authorize_url, exchange_code
from tests.fixtures.recruit_emulator import RecruitEmulator

ALICE = "alice@contoso.example"
REDIRECT_URI = "https://app.example/api/auth/zoho/callback"


def product_scopes(settings: Settings) -> list[str]:
    """The scopes the product asks for at Sign in with Zoho: the client tests run with exactly those."""
    return [s for s in settings.zoho_scopes.split(",") if s] + [settings.zoho_notifications_scope]


@pytest.fixture
def zoho_settings(recruit: RecruitEmulator) -> Settings:
    client = recruit.seed["client"]
    return Settings(
        zoho_accounts_url=recruit.base_url,
        zoho_api_base_url=recruit.api_base,
        zoho_client_id=client["client_id"],
        zoho_client_secret=client["client_secret"],
    )


async def consent_redirect(settings: Settings, email: str, state: str = "s1") -> dict[str, str]:
    """Walks the authorize URL as a browser would and returns the query our callback receives."""

    def callback(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text="signed in")

    url = authorize_url(
        settings.zoho_accounts_url,
        settings.zoho_client_id,
        REDIRECT_URI,
        state,
        product_scopes(settings),
        email,
    )
    mounts = {"https://app.example": httpx.MockTransport(callback)}
    async with httpx.AsyncClient(mounts=mounts, follow_redirects=True, trust_env=False) as browser:
        response = await browser.get(url)
    assert response.status_code == 200 and str(response.url).startswith(REDIRECT_URI)
    return {key: values[0] for key, values in parse_qs(urlsplit(str(response.url)).query).items()}


SignIn = Callable[[str], Awaitable[RecruitTokens]]


@pytest.fixture
def sign_in(zoho_settings: Settings) -> SignIn:
    async def run(email: str) -> RecruitTokens:
        callback = await consent_redirect(zoho_settings, email)
        return await exchange_code(
            callback["accounts-server"], callback["code"], REDIRECT_URI, settings=zoho_settings
        )

    return run


ClientFor = Callable[..., Awaitable[RecruitClient]]


@pytest.fixture
async def client_for(zoho_settings: Settings, sign_in: SignIn) -> AsyncIterator[ClientFor]:
    """Makes signed-in clients (keyword arguments go to RecruitClient) and closes them after the test."""
    opened: list[RecruitClient] = []

    async def make(email: str = ALICE, **options: object) -> RecruitClient:
        tokens = await sign_in(email)
        source = InMemoryTokenSource(tokens, settings=zoho_settings)
        client = RecruitClient(zoho_settings.zoho_api_base_url, source, backoff_seconds=0.01, **options)  # type: ignore[arg-type]
        opened.append(client)
        return client

    yield make
    for client in opened:
        await client.aclose()


@pytest.fixture
async def alice(client_for: ClientFor) -> RecruitClient:
    return await client_for(ALICE)
