"""Who reaches the administrator routes, and what they show: only Recruit administrators, only their own org;
preview and repair act on the signed-in user's own connection only."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from sync_core.engine.context import EngineContext
from sync_core.store.connections import Connection
from sync_core.store.synclog import LogEntry

from .conftest import csrf_headers, key_of, lifecycle_messages, now, sign_in

pytestmark = pytest.mark.e2e

ALICE = "alice@contoso.example"  # Recruit profile Administrator (seed)
CAROL = "carol@contoso.example"  # Recruit profile Standard
BOB = "bob@fabrikam.example"
OTHER_ORG = "999000111"
OTHER_USER = "461233000000991001"


@pytest.fixture
async def other_org_user(product: EngineContext) -> AsyncIterator[Connection]:
    """A user of another organisation with an active calendar sync, stored beside ours."""
    connection = await product.connections.upsert(
        Connection(org_id=OTHER_ORG, user_id=OTHER_USER, name="Olga Other", email="olga@other.example")
    )
    await product.syncstate.modify(
        connection.key, "calendar", lambda state: state.model_copy(update={"status": "active"})
    )
    yield connection
    await product.syncstate.delete(connection.key, "calendar")
    await product.connections.delete(connection.key)


async def test_an_administrator_sees_every_signed_in_user_of_their_org_and_no_other(
    browser: httpx.AsyncClient,
    second_browser: httpx.AsyncClient,
    product: EngineContext,
    other_org_user: Connection,
) -> None:
    await sign_in(second_browser, CAROL)
    await sign_in(browser, ALICE)

    me = (await browser.get("/api/me")).json()
    response = await browser.get("/api/admin/overview")

    assert me["admin"] is True
    assert response.status_code == 200
    body = response.json()
    assert sorted(user["email"] for user in body["users"]) == [ALICE, CAROL]
    assert "Olga" not in response.text and OTHER_ORG not in response.text
    carol = next(user for user in body["users"] if user["email"] == CAROL)
    assert carol["calendar"]["status"] == "disabled" and carol["you"] is False
    assert body["credits"]["counted"] is True and body["credits"]["used"] >= 0


async def test_an_administrator_cannot_disable_a_user_of_another_org(
    browser: httpx.AsyncClient, product: EngineContext, other_org_user: Connection
) -> None:
    await sign_in(browser, ALICE)

    response = await browser.post(
        f"/api/admin/users/{OTHER_USER}/sync/calendar/disable", headers=csrf_headers(browser)
    )

    assert response.status_code == 404
    state = await product.syncstate.get(other_org_user.key, "calendar")
    assert state is not None and state.status == "active"
    assert await lifecycle_messages(product) == []


async def test_an_administrator_disables_a_colleagues_sync_as_their_own_disable_would(
    browser: httpx.AsyncClient, second_browser: httpx.AsyncClient, product: EngineContext
) -> None:
    await sign_in(second_browser, CAROL)
    await product.syncstate.modify(
        key_of(CAROL), "calendar", lambda state: state.model_copy(update={"status": "active"})
    )
    await sign_in(browser, ALICE)

    response = await browser.post(
        f"/api/admin/users/{key_of(CAROL).user_id}/sync/calendar/disable", headers=csrf_headers(browser)
    )

    assert (response.status_code, response.json()) == (202, {"status": "disabling"})
    [message] = await lifecycle_messages(product)
    assert (message.connection, message.kind, message.action) == (str(key_of(CAROL)), "calendar", "disable")


@pytest.mark.parametrize(
    "method,path",
    [
        ("GET", "/api/admin/overview"),
        ("POST", f"/api/admin/users/{OTHER_USER}/sync/calendar/disable"),
        ("POST", "/api/admin/users/461233000000191001/sync/calendar/disable"),
    ],
)
async def test_a_user_who_is_not_an_administrator_reaches_no_admin_route(
    browser: httpx.AsyncClient, product: EngineContext, method: str, path: str
) -> None:
    await sign_in(browser, CAROL)

    response = await browser.request(method, path, headers=csrf_headers(browser))

    assert response.status_code == 403
    assert (await browser.get("/api/me")).json()["admin"] is False
    assert await lifecycle_messages(product) == []


async def test_preview_and_repair_act_on_the_signed_in_users_own_connection(
    browser: httpx.AsyncClient, second_browser: httpx.AsyncClient, product: EngineContext
) -> None:
    await sign_in(browser, ALICE)
    await sign_in(second_browser, BOB)
    await product.syncstate.modify(
        key_of(ALICE), "calendar", lambda state: state.model_copy(update={"status": "active"})
    )

    bob_preview = (await second_browser.get("/api/sync/calendar/preview")).json()
    bob_repair = await second_browser.post("/api/sync/calendar/repair", headers=csrf_headers(second_browser))

    # Bob owns 4 Events and 2 Interviews of the seed; his calendar is not active: nothing to repair.
    assert bob_preview["copied"] == 6
    assert bob_repair.status_code == 409
    alice_state = await product.syncstate.get(key_of(ALICE), "calendar")
    assert alice_state is not None and alice_state.repair_requested_at is None


async def test_the_log_can_show_only_the_failed_items(
    browser: httpx.AsyncClient, product: EngineContext
) -> None:
    await sign_in(browser, ALICE)
    for entry_type, title in (("pass", ""), ("failure", "Screening call"), ("pass", "")):
        entry = LogEntry(kind="calendar", type=entry_type, level="warning", title=title, at=now())
        await product.synclog.append(key_of(ALICE), entry)

    failures = (await browser.get("/api/sync/calendar/log", params={"type": "failure"})).json()
    unknown = await browser.get("/api/sync/calendar/log", params={"type": "everything"})

    assert [entry["title"] for entry in failures["entries"]] == ["Screening call"]
    assert unknown.status_code == 400
