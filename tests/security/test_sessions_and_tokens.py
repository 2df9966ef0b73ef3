"""Findings "logout only clears cookies", "tokens are kept forever", "SSO decided once", "data centre not part
of the connection": sessions end server-side, Disconnect revokes and deletes, SSO is re-checked per token, and
the same ids from two data centres are two users."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from sync_core.config import Settings
from sync_core.engine.context import EngineContext
from sync_core.graph.errors import AuthRequired
from sync_core.recruit import oauth as recruit_oauth
from sync_core.recruit.errors import InvalidToken
from sync_core.store.connections import Connection, RecruitToken
from tests.fixtures.stack import Stack
from tests.integration.product_api.conftest import csrf_headers, key_of, sign_in, stack_settings

pytestmark = pytest.mark.e2e

ALICE = "alice@contoso.example"
BOB = "bob@fabrikam.example"


def _copy_cookies(source: httpx.AsyncClient, target: httpx.AsyncClient) -> None:
    for cookie in source.cookies.jar:
        target.cookies.set(cookie.name, cookie.value or "", path=cookie.path)


async def test_a_session_cookie_replayed_after_logout_is_refused(
    browser: httpx.AsyncClient, second_browser: httpx.AsyncClient, product: EngineContext
) -> None:
    await sign_in(browser, ALICE)
    _copy_cookies(browser, second_browser)
    copied_csrf = csrf_headers(browser)
    assert (await browser.post("/api/auth/logout", headers=copied_csrf)).status_code == 204

    replayed_read = await second_browser.get("/api/me")
    replayed_disable = await second_browser.post("/api/sync/calendar/disable", headers=copied_csrf)

    assert replayed_read.status_code == 401
    assert replayed_disable.status_code == 401


async def test_logging_out_in_one_browser_leaves_the_other_session_alone(
    browser: httpx.AsyncClient, second_browser: httpx.AsyncClient, product: EngineContext
) -> None:
    await sign_in(browser, ALICE)
    await sign_in(second_browser, ALICE)

    await browser.post("/api/auth/logout", headers=csrf_headers(browser))

    assert (await second_browser.get("/api/me")).status_code == 200


async def test_disconnect_revokes_the_zoho_token_deletes_the_connection_and_ends_every_session(
    browser: httpx.AsyncClient,
    second_browser: httpx.AsyncClient,
    product: EngineContext,
    stack: Stack,
) -> None:
    await sign_in(browser, BOB)
    await sign_in(second_browser, BOB)
    before = await product.connections.get(key_of(BOB))
    assert before is not None and before.recruit_token is not None
    refresh_token = before.recruit_token.refresh_token

    answer = await browser.post("/api/auth/disconnect", headers=csrf_headers(browser))

    assert answer.status_code == 202 and answer.json() == {"status": "disconnected"}
    assert await product.connections.get(key_of(BOB)) is None
    for kind in ("calendar", "contacts"):
        assert await product.syncstate.get(key_of(BOB), kind) is None
    assert (await browser.get("/api/me")).status_code == 401
    assert (await second_browser.get("/api/me")).status_code == 401
    with pytest.raises(InvalidToken):
        await recruit_oauth.refresh(before.accounts_server, refresh_token, settings=stack_settings(stack))


async def test_an_sso_connection_gets_no_token_once_its_org_leaves_sso_tenants(
    browser: httpx.AsyncClient, product: EngineContext, stack: Stack
) -> None:
    await sign_in(browser, ALICE)
    alice = await product.connections.get(key_of(ALICE))
    assert alice is not None and alice.auth_mode == "sso"
    without_sso = EngineContext.create(stack_settings(stack).model_copy(update={"sso_tenants": ""}))
    try:
        with pytest.raises(AuthRequired):
            async with without_sso.graph(alice):
                pass
    finally:
        await without_sso.close()


async def test_an_sso_connection_of_another_tenant_gets_no_token(
    product: EngineContext, stack: Stack
) -> None:
    settings: Settings = stack_settings(stack)
    org_id = key_of(ALICE).org_id
    tenant = settings.sso_tenant_of(org_id)
    assert tenant
    moved = Connection(
        org_id=org_id, user_id="someone", auth_mode="sso", microsoft_user_id="u", microsoft_tenant_id="other"
    )
    with pytest.raises(AuthRequired):
        async with product.graph(moved):
            pass


async def test_the_same_ids_from_another_data_centre_are_another_user_and_both_keep_their_connection(
    browser: httpx.AsyncClient, product: EngineContext, stack: Stack
) -> None:
    # A connection made through Zoho's EU data centre before the data centre was part of the key, with
    # exactly Bob's org and user ids (ids are only unique within one data centre).
    eu_user = Connection(
        org_id=key_of(BOB).org_id,
        user_id=key_of(BOB).user_id,
        email="someone@eu.example",
        accounts_server="https://accounts.zoho.eu",
        recruit_token=RecruitToken(refresh_token="eu-refresh"),
    )
    await product.connections.upsert(eu_user)

    landed = await sign_in(browser, BOB)

    assert landed[-1].headers["location"] == "/api/ui"
    me = (await browser.get("/api/me")).json()
    assert me["user"]["email"] == BOB
    kept = await product.connections.get(key_of(BOB))
    assert kept is not None and kept.email == "someone@eu.example"
    assert kept.recruit_token is not None and kept.recruit_token.refresh_token == "eu-refresh"
    home = urlsplit(stack.env["ZOHO_ACCOUNTS_URL"]).netloc
    bob = await product.connections.get(key_of(BOB).model_copy(update={"data_centre": home}))
    assert bob is not None and bob.email == BOB and bob.key.data_centre == home


async def test_a_connection_from_before_the_data_centre_joined_the_key_is_still_the_users(
    browser: httpx.AsyncClient, product: EngineContext, stack: Stack
) -> None:
    made = datetime(2026, 1, 2, tzinfo=UTC)
    old_row = Connection(
        org_id=key_of(BOB).org_id,
        user_id=key_of(BOB).user_id,
        email=BOB,
        accounts_server=stack.env["ZOHO_ACCOUNTS_URL"],
        created_at=made,
    )
    await product.connections.upsert(old_row)

    await sign_in(browser, BOB)

    assert (await browser.get("/api/me")).json()["user"]["email"] == BOB
    bobs = [c async for c in product.connections.list_all() if c.user_id == key_of(BOB).user_id]
    assert [(c.key, c.created_at) for c in bobs] == [(key_of(BOB), made)]


async def test_sign_in_asks_zoho_only_for_the_synced_modules_and_read_only_settings(
    browser: httpx.AsyncClient,
) -> None:
    start = await browser.get("/api/auth/zoho/start", params={"login_hint": BOB})

    asked = set(parse_qs(urlsplit(start.headers["location"]).query)["scope"][0].split(","))

    assert {scope for scope in asked if not scope.startswith("ZohoRecruit.notifications.")} == {
        "ZohoRecruit.modules.event.ALL",
        "ZohoRecruit.modules.interview.ALL",
        "ZohoRecruit.modules.contact.ALL",
        "ZohoRecruit.settings.READ",
        "ZohoRecruit.users.READ",
        "ZohoRecruit.search.READ",
        "ZohoRecruit.org.READ",
    }
