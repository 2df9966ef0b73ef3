"""`$batch` as raw JSON: chunks of 20, results in input order, per-item 429 and 5xx retried (bounded).

msgraph-core's batch helpers are broken (API-NOTES.md), so the envelope is built and read here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sync_core.graph.client import ALWAYS_PREFER, GraphClient
from sync_core.graph.errors import GraphError, error_from_response, parse_retry_after

MAX_BATCH = 20
RETRYABLE_ITEM_STATUSES = frozenset({429, 500, 502, 503, 504})
# 424: the item depended on one that failed; it is retried together with that one.
FAILED_DEPENDENCY = 424


@dataclass(frozen=True)
class BatchRequest:
    """One request of a batch; `url` is relative to the API root (`/users/...`), `depends_on` names ids."""

    method: str
    url: str
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    id: str | None = None
    depends_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class BatchResponse:
    """The answer to one request: `id` is the request's id (or its index in the input)."""

    id: str
    status: int
    headers: Mapping[str, str]
    body: Any

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def error(self, *, container: bool = False) -> GraphError:
        return error_from_response(self.status, self.body, self.headers, container=container)


def _envelope_item(request_id: str, request: BatchRequest, depends_on: Sequence[str]) -> dict[str, Any]:
    headers = {"Prefer": ", ".join(ALWAYS_PREFER), **dict(request.headers)}
    item: dict[str, Any] = {"id": request_id, "method": request.method.upper(), "url": request.url}
    if request.body is not None:
        headers.setdefault("Content-Type", "application/json")
        item["body"] = request.body
    item["headers"] = headers
    if depends_on:
        item["dependsOn"] = list(depends_on)
    return item


def _chunks(requests: Sequence[BatchRequest]) -> list[list[tuple[str, BatchRequest]]]:
    chunks: list[list[tuple[str, BatchRequest]]] = []
    for start in range(0, len(requests), MAX_BATCH):
        chunk = [
            (req.id or str(start + offset), req)
            for offset, req in enumerate(requests[start : start + MAX_BATCH])
        ]
        ids = {request_id for request_id, _ in chunk}
        for request_id, req in chunk:
            missing = set(req.depends_on) - ids
            if missing:
                raise ValueError(
                    f"batch request {request_id} depends on {sorted(missing)} outside its chunk of 20"
                )
        chunks.append(chunk)
    return chunks


async def _post_batch(
    graph: GraphClient, mailbox: str, items: list[dict[str, Any]]
) -> dict[str, BatchResponse]:
    # Graph runs up to 4 items of a batch against the mailbox at once, so a batch takes every concurrency slot
    # of the mailbox: batches for one mailbox run one at a time and never overlap single requests.
    response = await graph.send(
        "POST",
        "/$batch",
        mailbox=mailbox,
        body={"requests": items},
        slots=graph.settings.graph_max_concurrency,
    )
    if not response.ok:
        raise error_from_response(response.status, response.body, response.headers)
    answers: dict[str, BatchResponse] = {}
    for answer in (response.body or {}).get("responses") or []:
        headers = {str(k).lower(): str(v) for k, v in (answer.get("headers") or {}).items()}
        answer_id = str(answer.get("id"))
        answers[answer_id] = BatchResponse(
            answer_id, int(answer.get("status", 0)), headers, answer.get("body")
        )
    return answers


def _to_retry(
    graph: GraphClient,
    requests_by_id: Mapping[str, BatchRequest],
    pending: list[str],
    answers: Mapping[str, BatchResponse],
    attempt: int,
    max_item_attempts: int,
) -> tuple[list[str], float]:
    """Ids to send again (in order) and how long to wait first."""
    if attempt >= max_item_attempts:
        return [], 0.0
    retry: set[str] = set()
    wait = 0.0
    for rid in pending:
        answer = answers.get(rid)
        status = answer.status if answer else 0
        if status in RETRYABLE_ITEM_STATUSES or status == 0:
            retry.add(rid)
            if answer is not None and status == 429:
                wait = max(wait, parse_retry_after(answer.headers.get("retry-after")))
            elif status >= 500:
                wait = max(wait, graph.backoff_seconds * 2 ** (attempt - 1))
    # A 424 is worth sending again only when what it depended on is being sent again.
    grew = True
    while grew:
        grew = False
        for rid in pending:
            answer = answers.get(rid)
            if rid in retry or answer is None or answer.status != FAILED_DEPENDENCY:
                continue
            if retry.intersection(requests_by_id[rid].depends_on):
                retry.add(rid)
                grew = True
    return [rid for rid in pending if rid in retry], wait


async def _run_chunk(
    graph: GraphClient, mailbox: str, chunk: list[tuple[str, BatchRequest]], max_item_attempts: int
) -> dict[str, BatchResponse]:
    requests_by_id = dict(chunk)
    done: dict[str, BatchResponse] = {}
    pending = [request_id for request_id, _ in chunk]
    for attempt in range(1, max_item_attempts + 1):
        items = [
            _envelope_item(
                rid, requests_by_id[rid], [d for d in requests_by_id[rid].depends_on if d in pending]
            )
            for rid in pending
        ]
        answers = await _post_batch(graph, mailbox, items)
        retry, wait = _to_retry(graph, requests_by_id, pending, answers, attempt, max_item_attempts)
        for rid in pending:
            if rid not in retry:
                done[rid] = answers.get(rid) or BatchResponse(rid, 0, {}, None)
        if not retry:
            break
        pending = retry
        if wait > graph.max_retry_after:
            # Waiting that long inside one pass is pointless: report the throttled items as they are.
            for rid in pending:
                done[rid] = answers.get(rid) or BatchResponse(rid, 0, {}, None)
            break
        if any(answers[rid].status == 429 for rid in pending if rid in answers):
            graph.gate(mailbox).pause(wait)  # the mailbox is throttled, not just these items
        await asyncio.sleep(wait)
    return done


async def run_batch(
    graph: GraphClient, mailbox: str, requests: Sequence[BatchRequest], *, max_item_attempts: int = 5
) -> list[BatchResponse]:
    """Run the requests for one mailbox in `$batch`es of 20; one response per request, in input order.

    Items that still fail after retries come back with their status; a failed whole batch raises GraphError.
    """
    results: list[BatchResponse] = []
    for chunk in _chunks(requests):
        answers = await _run_chunk(graph, mailbox, chunk, max_item_attempts)
        results.extend(answers[request_id] for request_id, _ in chunk)
    return results
