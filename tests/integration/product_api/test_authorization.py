"""The authorization suite: no session no data, CSRF on every change, one user never reaches another's data,
OAuth callbacks refuse unknown, reused or foreign states, and every answer carries the security headers.
"""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from sync_core.engine.context import EngineContext
from sync_core.functions import session as sessions
from sync_core.store.synclog import LogEntry
from tests.fixtures.stack import Stack

from .conftest import csrf_headers, forged_session_cookie, key_of, lifecycle_messages, now, sign_in

pytestmark = pytest.mark.e2e

ALICE = "alice@contoso.example"
BOB = "bob@fabrikam.example"
READS = [
    "/api/me",
    "/api/sync/calendar/log",
    "/api/sync/contacts/log",
    "/api/sync/calendar/preview",
    "/api/admin/overview",
]
CHANGES = [
    "/api/sync/calendar/enable",
    "/api/sync/contacts/enable",
    "/api/sync/calendar/disable",
    "/api/sync/contacts/disable",
    "/api/sync/calendar/repair",
    "/api/admin/users/461233000000191002/sync/calendar/disable",
    "/api/auth/logout",
]
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


def assert_security_headers(response: httpx.Response) -> None:
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] in {"no-referrer", "strict-origin-when-cross-origin"}
    assert response.headers["cache-control"] == "no-store"


async def _call(
    client: httpx.AsyncClient, path: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    if path in READS:
        return await client.get(path, headers=headers)
    return await client.post(path, headers=headers)


@pytest.mark.parametrize("path", READS + CHANGES)
async def test_without_a_session_every_route_is_401(
    browser: httpx.AsyncClient, product: EngineContext, path: str
) -> None:
    response = await _call(browser, path)

    assert response.status_code == 401
    assert_security_headers(response)


@pytest.mark.parametrize("path", READS + CHANGES)
async def test_a_tampered_session_cookie_is_401(
    browser: httpx.AsyncClient, product: EngineContext, path: str
) -> None:
    await sign_in(browser, BOB)
    payload, mac = browser.cookies[sessions.SESSION_COOKIE].split(".")
    forged_payload = sessions._b64(sessions._unb64(payload).replace(b"191003", b"191001"))
    browser.cookies.set(sessions.SESSION_COOKIE, f"{forged_payload}.{mac}")

    response = await _call(browser, path, csrf_headers(browser))

    assert response.status_code == 401


@pytest.mark.parametrize("path", READS + CHANGES)
async def test_an_expired_session_is_401(
    browser: httpx.AsyncClient, stack: Stack, product: EngineContext, path: str
) -> None:
    await sign_in(browser, BOB)
    issued_long_ago = now() - sessions.SESSION_LIFETIME - timedelta(minutes=1)
    cookie, csrf = forged_session_cookie(stack, BOB, issued_long_ago)
    browser.cookies.clear()
    browser.cookies.set(sessions.SESSION_COOKIE, cookie)
    browser.cookies.set(sessions.CSRF_COOKIE, csrf)

    response = await _call(browser, path, {sessions.CSRF_HEADER: csrf})

    assert response.status_code == 401


@pytest.mark.parametrize("path", CHANGES)
async def test_a_change_without_the_csrf_header_is_403(
    browser: httpx.AsyncClient, product: EngineContext, path: str
) -> None:
    await sign_in(browser, ALICE)

    response = await browser.post(path)

    assert response.status_code == 403
    assert_security_headers(response)
    assert await lifecycle_messages(product) == []


@pytest.mark.parametrize("path", CHANGES)
async def test_a_change_with_a_wrong_csrf_header_is_403(
    browser: httpx.AsyncClient, product: EngineContext, path: str
) -> None:
    await sign_in(browser, ALICE)
    planted = "planted-token"
    browser.cookies.set(sessions.CSRF_COOKIE, planted)

    response = await browser.post(path, headers={sessions.CSRF_HEADER: planted})

    assert response.status_code == 403


async def test_another_users_csrf_token_does_not_work_for_my_session(
    browser: httpx.AsyncClient, second_browser: httpx.AsyncClient, product: EngineContext
) -> None:
    await sign_in(browser, ALICE)
    await sign_in(second_browser, BOB)

    response = await browser.post("/api/sync/calendar/enable", headers=csrf_headers(second_browser))

    assert response.status_code == 403


async def test_a_user_reads_only_their_own_log_and_profile(
    browser: httpx.AsyncClient, second_browser: httpx.AsyncClient, product: EngineContext
) -> None:
    await sign_in(browser, ALICE)
    await sign_in(second_browser, BOB)
    entry = LogEntry(kind="calendar", title="Alice's private pass", counts={"created": 2}, at=now())
    await product.synclog.append(key_of(ALICE), entry)

    alice_log = (await browser.get("/api/sync/calendar/log")).json()
    bob_log = (await second_browser.get("/api/sync/calendar/log")).json()
    bob_me = (await second_browser.get("/api/me")).json()

    assert [e["title"] for e in alice_log["entries"]] == ["Alice's private pass"]
    assert bob_log == {"entries": [], "next": None}
    assert bob_me["user"]["email"] == BOB


async def test_the_log_pages_newest_first_with_a_cursor(
    browser: httpx.AsyncClient, product: EngineContext
) -> None:
    await sign_in(browser, ALICE)
    start = now()
    for minute in range(55):
        at = start + timedelta(minutes=minute)
        await product.synclog.append(key_of(ALICE), LogEntry(kind="contacts", title=f"pass {minute}", at=at))
    await product.synclog.append(key_of(ALICE), LogEntry(kind="calendar", title="other kind", at=start))

    first = (await browser.get("/api/sync/contacts/log")).json()
    second = (await browser.get("/api/sync/contacts/log", params={"before": first["next"]})).json()

    assert first["entries"][0]["title"] == "pass 54"
    assert len(first["entries"]) == 50
    assert [e["title"] for e in second["entries"]] == [f"pass {m}" for m in range(4, -1, -1)]
    assert second["next"] is None


async def test_a_malformed_log_cursor_is_400(browser: httpx.AsyncClient, product: EngineContext) -> None:
    await sign_in(browser, ALICE)

    response = await browser.get("/api/sync/calendar/log", params={"before": "' or 1 eq 1"})

    assert response.status_code == 400


async def test_bobs_microsoft_sign_in_delivered_under_alices_session_is_refused(
    browser: httpx.AsyncClient, second_browser: httpx.AsyncClient, product: EngineContext
) -> None:
    await sign_in(browser, ALICE)
    await sign_in(second_browser, BOB)
    redirect = (
        await second_browser.post("/api/sync/contacts/enable", headers=csrf_headers(second_browser))
    ).json()["redirect"]
    callback = (await second_browser.get(redirect)).headers["location"]

    stolen = await browser.get(callback)

    assert stolen.status_code == 403
    assert_security_headers(stolen)
    bob = await product.connections.get(key_of(BOB))
    alice = await product.connections.get(key_of(ALICE))
    assert bob is not None and bob.msal_cache is None
    assert alice is not None and alice.auth_mode == "sso" and alice.msal_cache is None
    assert await lifecycle_messages(product) == []


async def test_a_microsoft_callback_whose_flow_is_unknown_is_refused(
    browser: httpx.AsyncClient, product: EngineContext
) -> None:
    await sign_in(browser, BOB)

    response = await browser.get(
        "/api/auth/microsoft/callback", params={"state": "never-issued", "code": "stolen-code"}
    )

    assert response.status_code == 400
    assert (await browser.get("/api/me")).json()["microsoft"] is None


async def test_a_microsoft_callback_is_usable_once(
    browser: httpx.AsyncClient, product: EngineContext
) -> None:
    await sign_in(browser, BOB)
    redirect = (await browser.post("/api/sync/contacts/enable", headers=csrf_headers(browser))).json()[
        "redirect"
    ]
    callback = (await browser.get(redirect)).headers["location"]

    first = await browser.get(callback)
    replay = await browser.get(callback)

    assert first.status_code == 302
    assert replay.status_code == 400


async def test_a_microsoft_callback_without_a_session_is_401(
    browser: httpx.AsyncClient, second_browser: httpx.AsyncClient, product: EngineContext
) -> None:
    await sign_in(second_browser, BOB)
    redirect = (
        await second_browser.post("/api/sync/contacts/enable", headers=csrf_headers(second_browser))
    ).json()["redirect"]
    callback = (await second_browser.get(redirect)).headers["location"]

    response = await browser.get(callback)

    assert response.status_code == 401


async def test_every_answer_of_the_flow_carries_the_security_headers(
    browser: httpx.AsyncClient, product: EngineContext
) -> None:
    seen = await sign_in(browser, BOB)
    ours = [r for r in seen if r.url.path.startswith("/api/")]
    ours.append(await browser.get("/api/me"))
    ours.append(await browser.get("/api/sync/calendar/log"))
    ours.append(await browser.post("/api/sync/calendar/enable", headers=csrf_headers(browser)))
    ours.append(await browser.post("/api/sync/calendar/disable", headers=csrf_headers(browser)))
    ours.append(await browser.get("/api/auth/zoho/callback", params={"state": "unknown", "code": "x"}))
    ours.append(await browser.post("/api/auth/logout", headers=csrf_headers(browser)))

    assert len(ours) == 8
    for response in ours:
        assert_security_headers(response)
