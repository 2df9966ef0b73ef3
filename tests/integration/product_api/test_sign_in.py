"""Sign in with Zoho through the dev host: session, SSO detection, `/api/me`, logout, refused states."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from sync_core.engine.context import EngineContext
from sync_core.functions import session as sessions
from tests.fixtures.stack import Stack

from .conftest import csrf_headers, key_of, landing, sign_in

pytestmark = pytest.mark.e2e


async def test_alice_signs_in_and_is_an_sso_user_of_her_orgs_tenant(
    browser: httpx.AsyncClient, product: EngineContext, graph: object
) -> None:
    responses = await sign_in(browser, "alice@contoso.example")
    assert landing(responses) == "/api/ui"

    me = await browser.get("/api/me")

    assert me.status_code == 200
    body = me.json()
    assert body["user"] == {
        "id": "461233000000191001",
        "name": "Alice Anand",
        "email": "alice@contoso.example",
        "time_zone": "Asia/Kolkata",
    }
    assert body["org"] == {"id": "874920001", "name": "Acme Recruiting"}
    assert body["sso"] is True
    assert body["microsoft"] == {"email": "alice@contoso.example"}
    connection = await product.connections.get(key_of("alice@contoso.example"))
    assert connection is not None and connection.auth_mode == "sso"
    assert connection.microsoft_tenant_id == "6f1c2a3b-4d5e-4f60-8a71-0b2c3d4e5f60"


async def test_bob_outside_the_consented_tenant_signs_in_without_sso(
    browser: httpx.AsyncClient, product: EngineContext
) -> None:
    await sign_in(browser, "bob@fabrikam.example")

    body = (await browser.get("/api/me")).json()

    assert body["user"]["email"] == "bob@fabrikam.example"
    assert body["sso"] is False
    assert body["microsoft"] is None


async def test_each_kind_starts_disabled_with_empty_progress(
    browser: httpx.AsyncClient, product: EngineContext
) -> None:
    await sign_in(browser, "bob@fabrikam.example")

    body = (await browser.get("/api/me")).json()

    for kind in ("calendar", "contacts"):
        assert body[kind] == {
            "status": "disabled",
            "progress": {"done": 0, "total": 0},
            "counts": {},
            "failed": 0,
            "last_sync": None,
            "last_error": None,
            "in_sync": 0,
            "repair_after": None,
        }


async def test_me_shows_the_stored_progress_counts_and_last_error(
    browser: httpx.AsyncClient, product: EngineContext
) -> None:
    await sign_in(browser, "bob@fabrikam.example")
    await product.syncstate.modify(
        key_of("bob@fabrikam.example"),
        "contacts",
        lambda s: s.model_copy(
            update={
                "status": "error",
                "initial_done": 40,
                "initial_total": 120,
                "counters": {"created": 3},
                "last_error_code": "AuthRequired",
                "last_error_message": "Sign in with Microsoft again.",
            }
        ),
    )

    contacts = (await browser.get("/api/me")).json()["contacts"]

    assert contacts["status"] == "error"
    assert contacts["progress"] == {"done": 40, "total": 120}
    assert contacts["counts"] == {"created": 3}
    assert contacts["last_error"] == {"code": "AuthRequired", "message": "Sign in with Microsoft again."}


async def test_session_cookie_is_httponly_and_the_csrf_cookie_is_readable_by_the_page(
    browser: httpx.AsyncClient, product: EngineContext
) -> None:
    responses = await sign_in(browser, "bob@fabrikam.example")

    cookies = responses[-1].headers.get_list("set-cookie")

    session_cookie = next(c for c in cookies if c.startswith(f"{sessions.SESSION_COOKIE}="))
    csrf_cookie = next(c for c in cookies if c.startswith(f"{sessions.CSRF_COOKIE}="))
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie
    assert "HttpOnly" not in csrf_cookie


async def test_start_sends_the_browser_to_zoho_with_our_callback_scopes_and_login_hint(
    browser: httpx.AsyncClient, stack: Stack, product: EngineContext
) -> None:
    response = await browser.get("/api/auth/zoho/start", params={"login_hint": "bob@fabrikam.example"})

    assert response.status_code == 302
    location = urlsplit(response.headers["location"])
    query = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}" == stack.env["ZOHO_ACCOUNTS_URL"]
    assert query["redirect_uri"] == [stack.url("/api/auth/zoho/callback")]
    assert query["login_hint"] == ["bob@fabrikam.example"]
    asked = query["scope"][0].split(",")
    assert {"ZohoRecruit.search.READ", "ZohoRecruit.org.READ", "ZohoRecruit.users.READ"} <= set(asked)
    assert set(product.settings.zoho_notifications_scope.split(",")) <= set(asked)
    assert query["state"][0]


@pytest.mark.parametrize(
    "next_path",
    ["https://evil.example/phish", "//evil.example/x", "/api/me", "/\\evil.example", "/api/ui/../me"],
)
async def test_sign_in_never_redirects_outside_the_manage_page(
    browser: httpx.AsyncClient, product: EngineContext, next_path: str
) -> None:
    responses = await sign_in(browser, "bob@fabrikam.example", next_path=next_path)

    assert landing(responses) == "/api/ui"


async def test_sign_in_may_return_to_a_page_under_the_manage_page(
    browser: httpx.AsyncClient, product: EngineContext
) -> None:
    responses = await sign_in(browser, "bob@fabrikam.example", next_path="/api/ui/#contacts")

    assert landing(responses).startswith("/api/ui/")


async def _callback_url(browser: httpx.AsyncClient, email: str) -> str:
    start = await browser.get("/api/auth/zoho/start", params={"login_hint": email})
    async with httpx.AsyncClient(trust_env=False) as outside:
        approved = await outside.get(start.headers["location"])
    return approved.headers["location"]


async def test_a_callback_state_works_once_only(browser: httpx.AsyncClient, product: EngineContext) -> None:
    callback = await _callback_url(browser, "bob@fabrikam.example")

    first = await browser.get(callback)
    replay = await browser.get(callback)

    assert first.status_code == 302
    assert replay.status_code == 400
    assert "already used" in replay.text


async def test_a_callback_with_an_unknown_state_is_refused_and_signs_nobody_in(
    browser: httpx.AsyncClient, product: EngineContext
) -> None:
    callback = await _callback_url(browser, "bob@fabrikam.example")
    forged = callback.replace("state=", "state=forged")

    response = await browser.get(forged)

    assert response.status_code == 400
    assert not response.headers.get_list("set-cookie")
    assert await product.connections.get(key_of("bob@fabrikam.example")) is None


async def test_a_zoho_refusal_lands_on_the_manage_page_with_a_fixed_error_code(
    browser: httpx.AsyncClient, product: EngineContext
) -> None:
    response = await browser.get(
        "/api/auth/zoho/callback", params={"error": "<script>alert(1)</script>", "state": "whatever"}
    )

    assert response.status_code == 302
    assert response.headers["location"] == "/api/ui?error=zoho_sign_in_failed"


async def test_logout_ends_the_session(browser: httpx.AsyncClient, product: EngineContext) -> None:
    await sign_in(browser, "bob@fabrikam.example")

    response = await browser.post("/api/auth/logout", headers=csrf_headers(browser))

    assert response.status_code == 204
    assert all("Max-Age=0" in cookie for cookie in response.headers.get_list("set-cookie"))
    assert (await browser.get("/api/me")).status_code == 401


async def test_a_callback_naming_a_foreign_accounts_server_is_refused(
    browser: httpx.AsyncClient, product: EngineContext
) -> None:
    callback = urlsplit(await _callback_url(browser, "bob@fabrikam.example"))
    query = {name: values[0] for name, values in parse_qs(callback.query).items()}
    query["accounts-server"] = "https://accounts.evil.example"

    response = await browser.get(callback._replace(query="").geturl(), params=query)

    assert response.status_code == 400
    assert await product.connections.get(key_of("bob@fabrikam.example")) is None
