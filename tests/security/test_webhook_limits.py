"""Findings "webhook amplification" and "5xx on bad input": a webhook body costs what a real notification
costs, is refused (400) beyond the caps before any lookup, and never gets a 5xx."""

from __future__ import annotations

import json
import uuid
from typing import cast

import azure.functions as func
import httpx

from sync_core.engine.context import EngineContext
from sync_core.engine.sync_lifecycle.notifications import (
    MAX_BODY_BYTES,
    MAX_GRAPH_ITEMS,
    MAX_GRAPH_SUBSCRIPTIONS,
)
from sync_core.functions.webhooks import answer_graph, answer_recruit
from tests.integration.product_api.conftest import key_of

GRAPH = "/api/webhooks/graph"
RECRUIT = "/api/webhooks/recruit"
BOB = "bob@fabrikam.example"


def _notification(subscription_id: str) -> dict[str, object]:
    return {
        "subscriptionId": subscription_id,
        "clientState": "x" * 40,
        "changeType": "updated",
        "resource": "users/u/events/e",
        "tenantId": str(uuid.uuid4()),
        "resourceData": {"id": "e"},
    }


def _one_mib_of_distinct_subscriptions() -> bytes:
    """The body of the review: just under 1 MiB, every item naming another subscription."""
    items: list[dict[str, object]] = []
    size = len('{"value": []}')
    while True:
        item = _notification(str(uuid.uuid4()))
        size += len(json.dumps(item)) + 2
        if size > MAX_BODY_BYTES - 400:
            return json.dumps({"value": items}).encode()
        items.append(item)


async def test_a_1_mib_body_of_thousands_of_subscriptions_is_refused(browser: httpx.AsyncClient) -> None:
    body = _one_mib_of_distinct_subscriptions()
    assert len(json.loads(body)["value"]) > 1000

    answer = await browser.post(GRAPH, content=body, headers={"Content-Type": "application/json"})

    assert answer.status_code == 400
    assert "subscriptions" in answer.text or "notifications" in answer.text


async def test_more_distinct_subscriptions_than_the_cap_is_400_and_the_cap_itself_is_202(
    browser: httpx.AsyncClient,
) -> None:
    at_cap = {"value": [_notification(str(uuid.uuid4())) for _ in range(MAX_GRAPH_SUBSCRIPTIONS)]}
    over = {"value": at_cap["value"] + [_notification(str(uuid.uuid4()))]}

    assert (await browser.post(GRAPH, json=at_cap)).status_code == 202
    assert (await browser.post(GRAPH, json=over)).status_code == 400


async def test_more_items_than_the_cap_is_400_even_for_one_subscription(browser: httpx.AsyncClient) -> None:
    subscription = str(uuid.uuid4())
    body = {"value": [_notification(subscription) for _ in range(MAX_GRAPH_ITEMS + 1)]}

    assert (await browser.post(GRAPH, json=body)).status_code == 400


async def test_a_declared_length_over_the_cap_is_400_before_the_body_is_read() -> None:
    # Called on the handlers directly: an HTTP client cannot send a body shorter than its Content-Length, and
    # the request never reaches storage (no context is needed to refuse it).
    for answer in (answer_graph, answer_recruit):
        request = func.HttpRequest(
            method="POST",
            url="http://127.0.0.1/api/webhooks",
            headers={"Content-Length": str(MAX_BODY_BYTES + 1)},
            body=b"{}",
        )
        response = await answer(cast(EngineContext, None), request)
        assert response.status_code == 400


async def test_a_600_character_subscription_or_channel_id_is_400_not_500(browser: httpx.AsyncClient) -> None:
    graph = await browser.post(GRAPH, json={"value": [_notification("a" * 600)]})
    recruit = await browser.post(
        RECRUIT, json={"channel_id": "1" * 600, "token": "t", "module": "Contacts", "ids": ["1"]}
    )

    assert graph.status_code == 400
    assert recruit.status_code == 400


async def test_a_live_channels_token_with_a_40_kb_module_or_an_engine_operation_is_400(
    browser: httpx.AsyncClient, product: EngineContext
) -> None:
    await product.routes.put("recruit", "424242", key_of(BOB), "contacts", "the-real-token")
    callback = {"channel_id": 424242, "token": "the-real-token", "module": "Contacts", "ids": ["1"]}
    try:
        huge_module = await browser.post(RECRUIT, json={**callback, "module": "M" * 40_000})
        engine_operation = await browser.post(RECRUIT, json={**callback, "operation": "pending_check"})
        deep = await browser.post(RECRUIT, content=b"[" * 100_000 + b"]" * 100_000)
        real = await browser.post(RECRUIT, json={**callback, "operation": "update"})
    finally:
        await product.routes.delete("recruit", "424242")

    assert huge_module.status_code == 400
    assert engine_operation.status_code == 400
    assert deep.status_code == 400
    assert real.status_code == 202


async def test_the_validation_handshake_answer_is_plain_text_and_nosniff(browser: httpx.AsyncClient) -> None:
    answer = await browser.post(GRAPH, params={"validationToken": "<script>alert(1)</script>"})

    assert answer.status_code == 200
    assert answer.text == "<script>alert(1)</script>"
    assert answer.headers["content-type"].startswith("text/plain")
    assert answer.headers["x-content-type-options"] == "nosniff"
