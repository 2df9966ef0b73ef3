"""Enable and disable through the API: SSO users start at once, others go through Microsoft sign-in first.

The dev host consumes the lifecycle queue as it fills, so the tests look at what its work leaves behind (the
status in `/api/me`, the calendar or folder in Outlook), waiting for it with a deadline.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from sync_core.engine.context import EngineContext
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.polling import poll_async

from .conftest import csrf_headers, key_of, lifecycle_messages, sign_in

pytestmark = pytest.mark.e2e

ALICE = "alice@contoso.example"
BOB = "bob@fabrikam.example"
CONTAINERS = {
    "calendar": ("calendars", "Zoho Recruit"),
    "contacts": ("contactFolders", "Zoho Recruit Contacts"),
}


async def status_of(browser: httpx.AsyncClient, kind: str) -> dict[str, Any]:
    response = await browser.get("/api/me")
    response.raise_for_status()
    return dict(response.json()[kind])


async def until_status(browser: httpx.AsyncClient, kind: str, wanted: str) -> dict[str, Any]:
    """Polls `/api/me` until `kind` shows `wanted`, failing after the deadline with the last status seen."""

    async def read() -> dict[str, Any]:
        return await status_of(browser, kind)

    return await poll_async(read, lambda status: status["status"] == wanted, f"{kind} to reach {wanted}")


def outlook_has_container(graph: GraphEmulatorHandle, email: str, kind: str) -> bool:
    """Whether the user's mailbox holds the dedicated calendar or contact folder of `kind`."""
    collection, name = CONTAINERS[kind]
    response = httpx.get(
        f"{graph.base_url}/v1.0/users/{graph.user(email)['id']}/{collection}",
        headers={"Authorization": f"Bearer {graph.token_for(email)}"},
        trust_env=False,
    )
    response.raise_for_status()
    return any(item.get("name", item.get("displayName")) == name for item in response.json()["value"])


async def test_sso_user_enables_calendar_with_one_call(
    browser: httpx.AsyncClient, product: EngineContext, graph: GraphEmulatorHandle
) -> None:
    await sign_in(browser, ALICE)

    response = await browser.post("/api/sync/calendar/enable", headers=csrf_headers(browser))

    assert response.status_code == 202
    assert response.json() == {"status": "connecting"}
    status = await until_status(browser, "calendar", "active")
    assert status["progress"]["done"] == status["progress"]["total"] > 0
    assert outlook_has_container(graph, ALICE, "calendar")


async def test_enable_clears_the_last_error(browser: httpx.AsyncClient, product: EngineContext) -> None:
    await sign_in(browser, ALICE)
    await product.syncstate.modify(
        key_of(ALICE),
        "contacts",
        lambda s: s.model_copy(update={"status": "error", "last_error_code": "X", "last_error_message": "y"}),
    )

    response = await browser.post("/api/sync/contacts/enable", headers=csrf_headers(browser))

    assert response.json() == {"status": "connecting"}
    assert (await status_of(browser, "contacts"))["last_error"] is None
    assert (await until_status(browser, "contacts", "active"))["last_error"] is None


async def test_non_sso_user_is_sent_to_microsoft_sign_in_with_pkce(
    browser: httpx.AsyncClient, product: EngineContext, graph: GraphEmulatorHandle
) -> None:
    await sign_in(browser, BOB)

    response = await browser.post("/api/sync/contacts/enable", headers=csrf_headers(browser))

    assert response.status_code == 200
    redirect = urlsplit(response.json()["redirect"])
    query = parse_qs(redirect.query)
    assert f"{redirect.scheme}://{redirect.netloc}" == graph.base_url
    assert redirect.path.endswith("/oauth2/v2.0/authorize")
    assert query["login_hint"] == [BOB]
    assert query["code_challenge_method"] == ["S256"]
    assert "code_verifier" not in query
    # Nothing starts before the user comes back from Microsoft.
    assert (await status_of(browser, "contacts"))["status"] == "disabled"
    assert not outlook_has_container(graph, BOB, "contacts")


async def test_microsoft_sign_in_comes_back_to_the_manage_page_and_starts_the_enable(
    browser: httpx.AsyncClient, product: EngineContext, graph: GraphEmulatorHandle
) -> None:
    await sign_in(browser, BOB)
    redirect = (await browser.post("/api/sync/contacts/enable", headers=csrf_headers(browser))).json()[
        "redirect"
    ]

    approved = await browser.get(redirect)  # login_hint makes the emulator approve at once
    callback = await browser.get(approved.headers["location"])

    assert callback.status_code == 302
    assert callback.headers["location"] == "/api/ui?connected=microsoft"
    me = (await browser.get("/api/me")).json()
    assert me["microsoft"] == {"email": BOB}
    await until_status(browser, "contacts", "active")
    assert outlook_has_container(graph, BOB, "contacts")
    connection = await product.connections.get(key_of(BOB))
    assert connection is not None and connection.msal_cache and connection.auth_mode == "delegated"


async def test_after_microsoft_sign_in_enabling_the_other_kind_needs_no_second_sign_in(
    browser: httpx.AsyncClient, product: EngineContext
) -> None:
    await sign_in(browser, BOB)
    redirect = (await browser.post("/api/sync/contacts/enable", headers=csrf_headers(browser))).json()[
        "redirect"
    ]
    approved = await browser.get(redirect)
    await browser.get(approved.headers["location"])

    response = await browser.post("/api/sync/calendar/enable", headers=csrf_headers(browser))

    assert response.status_code == 202


async def test_a_refused_microsoft_consent_lands_on_the_manage_page_with_a_fixed_code(
    browser: httpx.AsyncClient, product: EngineContext, graph: GraphEmulatorHandle
) -> None:
    await sign_in(browser, BOB)
    redirect = (await browser.post("/api/sync/contacts/enable", headers=csrf_headers(browser))).json()[
        "redirect"
    ]
    state = parse_qs(urlsplit(redirect).query)["state"][0]

    response = await browser.get(
        "/api/auth/microsoft/callback",
        params={"state": state, "error": "access_denied", "error_description": "<b>nope</b>"},
    )

    assert response.status_code == 302
    assert response.headers["location"] == "/api/ui?error=microsoft_access_denied"
    assert (await status_of(browser, "contacts"))["status"] == "disabled"
    assert not outlook_has_container(graph, BOB, "contacts")


async def test_disable_answers_202_and_the_teardown_removes_the_calendar(
    browser: httpx.AsyncClient, product: EngineContext, graph: GraphEmulatorHandle
) -> None:
    await sign_in(browser, ALICE)
    await browser.post("/api/sync/calendar/enable", headers=csrf_headers(browser))
    await until_status(browser, "calendar", "active")

    response = await browser.post("/api/sync/calendar/disable", headers=csrf_headers(browser))

    assert response.status_code == 202
    assert response.json() == {"status": "disabling"}
    await until_status(browser, "calendar", "disabled")
    assert not outlook_has_container(graph, ALICE, "calendar")


async def test_disabling_a_kind_never_enabled_changes_nothing(
    browser: httpx.AsyncClient, product: EngineContext
) -> None:
    await sign_in(browser, ALICE)

    response = await browser.post("/api/sync/contacts/disable", headers=csrf_headers(browser))

    assert response.status_code == 202
    assert response.json() == {"status": "disabled"}
    assert (await status_of(browser, "contacts"))["status"] == "disabled"


async def test_an_unknown_kind_is_404(browser: httpx.AsyncClient, product: EngineContext) -> None:
    await sign_in(browser, ALICE)

    for path in ("/api/sync/tasks/enable", "/api/sync/tasks/disable", "/api/sync/tasks/log"):
        method = browser.get if path.endswith("log") else browser.post
        response = await method(path, headers=csrf_headers(browser))
        assert response.status_code == 404, path


async def test_enabling_while_a_disable_is_in_progress_waits_for_the_teardown(
    browser: httpx.AsyncClient, product: EngineContext
) -> None:
    await sign_in(browser, ALICE)
    # A teardown the dev host has not finished yet; set in storage, since a real one may end at any moment.
    await product.syncstate.modify(
        key_of(ALICE), "calendar", lambda s: s.model_copy(update={"status": "disabling"})
    )

    response = await browser.post("/api/sync/calendar/enable", headers=csrf_headers(browser))

    assert response.status_code == 202
    assert response.json() == {"status": "disabling"}
    state = await product.syncstate.get(key_of(ALICE), "calendar")
    assert state is not None and state.status == "disabling" and state.enable_after_teardown
    assert await lifecycle_messages(product) == []  # the teardown queues the enable when it is done
