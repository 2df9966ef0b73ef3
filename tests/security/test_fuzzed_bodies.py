"""Finding "5xx on bad input": 10,000 seeded-random webhook and API requests through the dev host, 0 answered
with a 5xx. The generator mutates real shapes (a Graph notification, a Recruit callback, a mapping) so most
bodies get past the JSON parser and into the checks behind it."""

from __future__ import annotations

import asyncio
import json
import random
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx

from sync_core.engine.context import EngineContext
from tests.integration.product_api.conftest import csrf_headers, sign_in

REQUESTS = 10_000
AT_ONCE = 16
SEED = 20261205

_ODD_STRINGS = [
    "",
    " ",
    "a" * 600,
    "x" * 40_000,
    "é☃\u0000\ud7ff",
    "../../etc/passwd",
    "'; DROP TABLE x;--",
    "%00%2F%5C",
    "<script>",
    "pending_check",
    "failure_retry:x",
    "1" * 30,
    "-1",
    "0",
    "\\/#?%",
]


def _odd_value(rng: random.Random, depth: int = 0) -> Any:
    choice = rng.randrange(10)
    if choice == 0:
        return rng.choice(_ODD_STRINGS)
    if choice == 1:
        return rng.choice([None, True, False, 0, -1, 2**63, 1.5e308, float("1e-300")])
    if choice == 2 and depth < 3:
        return [_odd_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    if choice == 3 and depth < 3:
        return {rng.choice([*_ODD_STRINGS, "id", "value"]): _odd_value(rng, depth + 1) for _ in range(3)}
    if choice == 4:
        return str(uuid.UUID(int=rng.getrandbits(128)))
    if choice == 5:
        return str(rng.getrandbits(60))
    return "".join(chr(rng.randrange(0x20, 0x2FF)) for _ in range(rng.randrange(1, 30)))


def _mutate(rng: random.Random, shape: dict[str, Any]) -> Any:
    body = json.loads(json.dumps(shape))
    target = body["value"][0] if "value" in body and body["value"] and rng.random() < 0.6 else body
    for _ in range(rng.randrange(1, 4)):
        key = rng.choice(list(target) or ["k"])
        if rng.random() < 0.2:
            target.pop(key, None)
        else:
            target[key] = _odd_value(rng)
    return body


def _graph_shape(rng: random.Random) -> dict[str, Any]:
    item = {
        "subscriptionId": str(uuid.uuid4()),
        "clientState": "secret",
        "changeType": "updated",
        "resource": "users/u/events/e",
        "lifecycleEvent": rng.choice(["missed", "subscriptionRemoved", "reauthorizationRequired", None]),
        "resourceData": {"id": "e"},
    }
    return {"value": [item] * rng.randrange(1, 3)}


def _recruit_shape(rng: random.Random) -> dict[str, Any]:
    return {
        "channel_id": rng.randrange(1, 2**48),
        "token": "t",
        "module": rng.choice(["Events", "Interviews", "Contacts"]),
        "operation": rng.choice(["insert", "update", "delete"]),
        "ids": [str(rng.getrandbits(60)) for _ in range(rng.randrange(0, 5))],
    }


def _raw(rng: random.Random) -> bytes:
    kind = rng.randrange(5)
    if kind == 0:
        return bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 200)))
    if kind == 1:
        return b"[" * 5000 + b"]" * 5000
    if kind == 2:
        return b'{"value": ' + b"[" * 3000 + b"]" * 3000 + b"}"
    if kind == 3:
        return json.dumps(_odd_value(rng)).encode()
    return b"\xef\xbb\xbf{}"


Request = dict[str, Any]


def _webhook(rng: random.Random, path: str, shape: Callable[[random.Random], dict[str, Any]]) -> Request:
    body = _raw(rng) if rng.random() < 0.2 else json.dumps(_mutate(rng, shape(rng))).encode()
    return {"method": "POST", "url": path, "content": body}


def _api(rng: random.Random, csrf: dict[str, str]) -> Request:
    token = rng.choice([csrf["X-CSRF-Token"], "é☃".encode(), b"\xff\xfe", "", "a" * 5000])
    kind = rng.choice(["calendar", "contacts", "nope", "%2F..", "a" * 300])
    choice = rng.randrange(7)
    if choice == 0:
        mapping = {"mapping": [_odd_value(rng) for _ in range(rng.randrange(5))]}
        body = json.dumps(rng.choice([mapping, _odd_value(rng)])).encode()
        return {"method": "PUT", "url": "/api/sync/contacts/mapping", "content": body, "csrf": csrf}
    if choice == 1:
        # Never a valid CSRF token on enable/disable/disconnect: the fuzz must not change what it fuzzes.
        bad = token if token != csrf["X-CSRF-Token"] else "wrong"
        action = rng.choice(["enable", "disable", "repair"])
        url = rng.choice([f"/api/sync/{kind}/{action}", "/api/auth/logout", "/api/auth/disconnect"])
        return {"method": "POST", "url": url, "content": _raw(rng), "csrf": bad}
    if choice == 2:
        return {"method": "GET", "url": f"/api/sync/{kind}/log", "params": {"before": _odd_str(rng)}}
    if choice == 3:
        params = {"state": _odd_str(rng), "code": _odd_str(rng), "accounts-server": _odd_str(rng)}
        if rng.random() < 0.3:
            params["error"] = _odd_str(rng)
        return {"method": "GET", "url": "/api/auth/zoho/callback", "params": params}
    if choice == 4:
        params = {"state": _odd_str(rng), "code": _odd_str(rng), "error": _odd_str(rng)}
        return {"method": "GET", "url": "/api/auth/microsoft/callback", "params": params}
    if choice == 5:
        # The rest of the Manage page's reads: its mapping, its files, health; odd paths and queries.
        url = rng.choice(["/api/sync/contacts/mapping", "/api/health", f"/api/ui/{quote(_odd_str(rng))}"])
        return {"method": "GET", "url": url, "params": {"q": _odd_str(rng)}}
    params = {"next": _odd_str(rng), "login_hint": _odd_str(rng), "validationToken": _odd_str(rng)}
    return {"method": "GET", "url": rng.choice(["/api/auth/zoho/start", "/api/me"]), "params": params}


def _odd_str(rng: random.Random) -> str:
    value = _odd_value(rng)
    return value.replace("\u0000", "") if isinstance(value, str) else json.dumps(value)[:200]


def requests(csrf: dict[str, str]) -> list[Request]:
    rng = random.Random(SEED)
    made: list[Request] = []
    for _ in range(REQUESTS):
        roll = rng.random()
        if roll < 0.4:
            made.append(_webhook(rng, "/api/webhooks/graph", _graph_shape))
        elif roll < 0.7:
            made.append(_webhook(rng, "/api/webhooks/recruit", _recruit_shape))
        else:
            made.append(_api(rng, csrf))
    return made


async def _send(client: httpx.AsyncClient, request: Request) -> tuple[str, int]:
    headers: dict[str, Any] = {}
    csrf = request.get("csrf")
    if isinstance(csrf, dict):
        headers.update(csrf)
    elif csrf is not None:
        headers["X-CSRF-Token"] = csrf
    response = await client.request(
        request["method"],
        request["url"],
        content=request.get("content"),
        params=request.get("params"),
        headers=headers,
    )
    return f"{request['method']} {request['url'][:40]}", response.status_code


async def test_ten_thousand_fuzzed_webhook_and_api_requests_get_no_5xx(
    browser: httpx.AsyncClient, product: EngineContext
) -> None:
    await sign_in(browser, "bob@fabrikam.example")
    planned = requests(csrf_headers(browser))
    gate = asyncio.Semaphore(AT_ONCE)

    async def one(request: Request) -> tuple[str, int]:
        async with gate:
            return await _send(browser, request)

    answers = await asyncio.gather(*(one(request) for request in planned))

    statuses = Counter(status for _, status in answers)
    failures = Counter(route for route, status in answers if status >= 500)
    assert len(answers) == REQUESTS
    assert failures == Counter(), f"5xx answers by route: {failures.most_common(10)}"
    assert statuses[400] > 1000 and statuses[202] > 100, statuses  # the bodies reached the checks
