"""The mapping API through the dev host, as the Manage page calls it: a session is required, an invalid
mapping is answered 400 with its reasons and not saved, a valid one is saved."""

from __future__ import annotations

import httpx

from sync_core.domain.contact_fields import DEFAULT_MAPPING
from sync_core.engine.context import EngineContext
from tests.integration.product_api.conftest import browser, csrf_headers, key_of, product, sign_in

__all__ = ["browser", "product"]  # fixtures shared with the product API suite

ALICE = "alice@contoso.example"
ROUTE = "/api/sync/contacts/mapping"


async def test_mapping_needs_a_session(browser: httpx.AsyncClient, product: EngineContext) -> None:
    assert (await browser.get(ROUTE)).status_code == 401
    assert (await browser.put(ROUTE, json={"mapping": list(DEFAULT_MAPPING)})).status_code == 401


async def test_mapping_change_needs_the_csrf_header(
    browser: httpx.AsyncClient, product: EngineContext
) -> None:
    await sign_in(browser, ALICE)
    assert (await browser.put(ROUTE, json={"mapping": list(DEFAULT_MAPPING)})).status_code == 403


async def test_signed_in_user_reads_catalogs_mapping_and_default(
    browser: httpx.AsyncClient, product: EngineContext
) -> None:
    await sign_in(browser, ALICE)
    response = await browser.get(ROUTE)
    assert response.status_code == 200
    body = response.json()
    assert body["mapping"] == body["default"] == list(DEFAULT_MAPPING)
    assert "emailAddresses[3]" in {field["path"] for field in body["graph_fields"]}
    assert "Last_Name" in {field["api_name"] for field in body["recruit_fields"]}
    assert response.headers["cache-control"] == "no-store"


async def test_invalid_mapping_is_400_with_reasons_and_not_saved(
    browser: httpx.AsyncClient, product: EngineContext
) -> None:
    await sign_in(browser, ALICE)
    invalid = [entry for entry in DEFAULT_MAPPING if entry["recruit"] != "Last_Name"]
    invalid.append({"graph": "givenName", "recruit": "Created_By"})
    response = await browser.put(ROUTE, json={"mapping": invalid}, headers=csrf_headers(browser))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"index": len(invalid) - 1, "field": "graph", "message": "First name is mapped twice"} in errors
    assert {(e["index"], e["field"]) for e in errors} >= {(len(invalid) - 1, "recruit"), (None, "recruit")}
    state = await product.syncstate.get(key_of(ALICE), "contacts")
    assert state is None or state.mapping is None


async def test_malformed_body_is_400(browser: httpx.AsyncClient, product: EngineContext) -> None:
    await sign_in(browser, ALICE)
    response = await browser.put(ROUTE, content=b"not json", headers=csrf_headers(browser))
    assert response.status_code == 400 and response.json()["errors"][0]["index"] is None


async def test_valid_mapping_is_saved_and_read_back(
    browser: httpx.AsyncClient, product: EngineContext
) -> None:
    await sign_in(browser, ALICE)
    mapping = [*DEFAULT_MAPPING, {"graph": "nickName", "recruit": "Twitter"}]
    response = await browser.put(ROUTE, json={"mapping": mapping}, headers=csrf_headers(browser))
    assert response.status_code == 200
    assert response.json() == {"mapping": mapping, "resync": False}  # contacts sync is not enabled
    state = await product.syncstate.get(key_of(ALICE), "contacts")
    assert state is not None and state.mapping == mapping
    assert (await browser.get(ROUTE)).json()["mapping"] == mapping
