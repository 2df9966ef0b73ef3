"""JSON `$batch`: up to 20 requests run through the emulator's own app, honouring `dependsOn`.

Source: concepts/json-batching.md. Request ids are "Not case-sensitive. Must be unique in the batch,
otherwise, the batch request fails with a `400` error code", so "a" and "A" are duplicates and
`dependsOn` matches ids without regard to case. A failed dependency gives 424.
Inner requests pass the same throttling, faults and
stats as direct ones; they run one after another.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp

from .errors import bad_request, error_body

MAX_REQUESTS = 20
_HOP_HEADERS = {"content-length", "transfer-encoding", "connection", "date", "server"}


class Batch:
    def __init__(self, app: Callable[[], ASGIApp]) -> None:
        self.app = app

    async def run(self, request: Request) -> Response:
        try:
            body = await request.json()
            requests = body["requests"]
            assert isinstance(requests, list)
        except (ValueError, KeyError, TypeError, AssertionError) as exc:
            raise bad_request('The batch body must be {"requests": [...]}.', "BadRequest") from exc
        if not requests:
            raise bad_request("A batch needs at least one request.", "BadRequest")
        if len(requests) > MAX_REQUESTS:
            raise bad_request(f"A batch holds at most {MAX_REQUESTS} requests.", "BadRequest")
        if not all(isinstance(r, dict) for r in requests):
            raise bad_request("Every batch request must be a JSON object.", "BadRequest")
        ids = [str(r.get("id", "")).casefold() for r in requests]
        if len(set(ids)) != len(ids) or "" in ids:
            raise bad_request(
                "Every batch request needs an id, unique in the batch (ids are not case-sensitive).",
                "BadRequest",
            )
        statuses: dict[str, int] = {}
        responses: list[dict[str, Any]] = []
        authorization = request.headers.get("authorization")
        transport = httpx.ASGITransport(app=self.app())
        base_url = str(request.base_url).rstrip("/")
        async with httpx.AsyncClient(transport=transport, base_url=base_url, trust_env=False) as client:
            for item in requests:
                item_id = str(item["id"])
                depends = [str(d).casefold() for d in item.get("dependsOn") or []]
                if any(statuses.get(d, 424) >= 400 for d in depends):
                    answer: dict[str, Any] = {
                        "id": item_id,
                        "status": 424,
                        "headers": {"Content-Type": "application/json"},
                        "body": error_body("FailedDependency", "A dependency failed."),
                    }
                else:
                    answer = await self._one(client, item, authorization)
                statuses[item_id.casefold()] = int(answer["status"])
                responses.append(answer)
        return JSONResponse({"responses": responses})

    async def _one(
        self, client: httpx.AsyncClient, item: dict[str, Any], authorization: str | None
    ) -> dict[str, Any]:
        url = str(item.get("url", ""))
        if url.startswith(("http://", "https://")):
            raise bad_request("Batch request urls must be relative.", "BadRequest")
        path = "/v1.0/" + url.lstrip("/")
        headers = {str(k): str(v) for k, v in (item.get("headers") or {}).items()}
        if authorization:
            headers["Authorization"] = authorization
        content = None
        if "body" in item and item["body"] is not None:
            content = json.dumps(item["body"]).encode()
            headers.setdefault("Content-Type", "application/json")
        response = await client.request(
            str(item.get("method", "GET")).upper(), path, headers=headers, content=content
        )
        answer_headers = {
            "-".join(part.capitalize() for part in k.split("-")): v
            for k, v in response.headers.items()
            if k.lower() not in _HOP_HEADERS
        }
        answer: dict[str, Any] = {
            "id": str(item["id"]),
            "status": response.status_code,
            "headers": answer_headers,
        }
        if response.content:
            try:
                answer["body"] = response.json()
            except ValueError:
                answer["body"] = response.text
        return answer

    def routes(self) -> list[BaseRoute]:
        return [Route("/v1.0/$batch", self.run, methods=["POST"])]
