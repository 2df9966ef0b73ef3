"""Finding "login CSRF and account linking": a sign-in finishes only in the browser that began it."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx

from sync_core.engine.context import EngineContext
from sync_core.functions import session as sessions
from tests.integration.product_api.conftest import csrf_headers, key_of, lifecycle_messages, sign_in

ALICE = "alice@contoso.example"
BOB = "bob@fabrikam.example"
CAROL = "carol@contoso.example"


async def _zoho_callback_url(client: httpx.AsyncClient, email: str) -> str:
    """Begins Sign in with Zoho in `client` and returns the callback URL Zoho sends that browser back to."""
    start = await client.get("/api/auth/zoho/start", params={"login_hint": email})
    approved = await client.get(start.headers["location"])  # the emulator approves a login_hint at once
    callback = approved.headers["location"]
    assert urlsplit(callback).path == "/api/auth/zoho/callback"
    return callback


async def test_a_zoho_callback_opened_in_a_second_browser_gets_an_error_page_and_no_session(
    browser: httpx.AsyncClient, second_browser: httpx.AsyncClient, product: EngineContext
) -> None:
    attackers_callback = await _zoho_callback_url(browser, BOB)

    victim = await second_browser.get(attackers_callback)

    assert victim.status_code == 400
    assert victim.headers["content-type"].startswith("text/html")
    assert "another browser" in victim.text
    assert not victim.headers.get_list("set-cookie")
    assert (await second_browser.get("/api/me")).status_code == 401


async def test_the_start_cookie_is_httponly_samesite_and_short_lived(
    browser: httpx.AsyncClient, product: EngineContext
) -> None:
    start = await browser.get("/api/auth/zoho/start", params={"login_hint": BOB})

    cookie = next(c for c in start.headers.get_list("set-cookie") if c.startswith("signin_zoho="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=600" in cookie
    assert "Path=/api/auth" in cookie


async def test_a_zoho_callback_refused_in_another_browser_is_dead_for_the_first_one_too(
    browser: httpx.AsyncClient, second_browser: httpx.AsyncClient, product: EngineContext
) -> None:
    callback = await _zoho_callback_url(browser, BOB)
    await second_browser.get(callback)

    late = await browser.get(callback)

    assert late.status_code == 400
    assert (await browser.get("/api/me")).status_code == 401


async def test_the_same_callback_in_its_own_browser_signs_in(
    browser: httpx.AsyncClient, product: EngineContext
) -> None:
    callback = await _zoho_callback_url(browser, BOB)

    landed = await browser.get(callback)

    assert landed.status_code == 302 and landed.headers["location"] == "/api/ui"
    assert (await browser.get("/api/me")).json()["user"]["email"] == BOB


async def test_a_microsoft_consent_completed_in_another_session_stores_no_mailbox(
    browser: httpx.AsyncClient, second_browser: httpx.AsyncClient, product: EngineContext
) -> None:
    await sign_in(browser, BOB)
    attackers_url = (await browser.post("/api/sync/calendar/enable", headers=csrf_headers(browser))).json()[
        "redirect"
    ]
    # The victim's browser even holds a copy of the attacker's session (as a login CSRF would have left it),
    # but not the cookie of the browser that began this Microsoft sign-in.
    for name in (sessions.SESSION_COOKIE, sessions.CSRF_COOKIE):
        second_browser.cookies.set(name, browser.cookies[name], path="/api")
    approved = await second_browser.get(attackers_url)

    callback = await second_browser.get(approved.headers["location"])

    assert callback.status_code == 400
    assert "another browser" in callback.text
    bob = await product.connections.get(key_of(BOB))
    assert bob is not None and bob.msal_cache is None and bob.microsoft_user_id == ""
    assert await lifecycle_messages(product) == []


async def test_a_microsoft_consent_started_by_another_user_is_refused_in_my_session(
    browser: httpx.AsyncClient, second_browser: httpx.AsyncClient, product: EngineContext
) -> None:
    await sign_in(browser, BOB)
    await sign_in(second_browser, CAROL)
    attackers_url = (await browser.post("/api/sync/contacts/enable", headers=csrf_headers(browser))).json()[
        "redirect"
    ]
    approved = await second_browser.get(attackers_url)

    callback = await second_browser.get(approved.headers["location"])

    assert callback.status_code in (400, 403)
    carol = await product.connections.get(key_of(CAROL))
    assert carol is not None and carol.msal_cache is None


async def test_the_microsoft_step_names_the_recruit_user_and_asks_microsoft_for_the_account_picker(
    browser: httpx.AsyncClient, product: EngineContext
) -> None:
    await sign_in(browser, BOB)

    answer = await browser.post("/api/sync/calendar/enable", headers=csrf_headers(browser))

    body = answer.json()
    assert body["recruit_user"] == BOB
    query = parse_qs(urlsplit(body["redirect"]).query)
    assert query["prompt"] == ["select_account"]
    cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith("signin_microsoft="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
