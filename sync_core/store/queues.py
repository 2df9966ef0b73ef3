"""Queue messages (`sync-requests`, `lifecycle`) as pydantic models, and the producer that sends them.

Bodies are JSON, base64-encoded as the Functions host's default `messageEncoding` expects.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from .clients import StorageContext
from .syncstate import Kind

SyncReason = Literal["graph_notification", "recruit_notification", "initial", "resync", "sweep"]
LifecycleAction = Literal["enable", "disable", "teardown", "recreate_subscription"]

# 64 KiB per message after base64 (4/3 growth): keep the JSON under 32 KiB, ids split over several messages.
MAX_MESSAGE_JSON_BYTES = 32 * 1024


class SyncPurpose(StrEnum):
    """Why the engine queued a request of its own; a notification's or the timer's request has none."""

    # The user changed the contacts field mapping: every linked pair is read on both sides and re-applied.
    MAPPING_CHANGED = "mapping_changed"
    # Checks, once a held lease has expired, that a `pending` request was served (its holder may have died).
    PENDING_CHECK = "pending_check"
    # Retries what a failing pass left, after `failing_passes` failing passes in a row.
    FAILURE_RETRY = "failure_retry"
    # "Repair now": a fresh delta round and a listing of every Recruit record, every linked pair compared.
    REPAIR = "repair"
    # The lease holder's own pass again, for requests that found the lease held meanwhile and left only the
    # `pending` flag (Graph notifications): it reads Graph's delta; Recruit is swept only when that is due.
    RERUN = "rerun"


class SyncRequest(BaseModel):
    connection: str = Field(description="ConnectionKey in its string form")
    kind: Kind
    reason: SyncReason
    recruit_module: str | None = None
    recruit_ids: list[str] | None = None
    recruit_operation: str | None = Field(default=None, description="Recruit callback's insert/update/delete")
    purpose: SyncPurpose | None = None
    failing_passes: int | None = Field(
        default=None, ge=1, description="FAILURE_RETRY: failing passes in a row"
    )

    @model_validator(mode="before")
    @classmethod
    def _read_legacy_operation(cls, data: Any) -> Any:
        """Messages queued before `purpose` existed carry one `operation` string for four meanings: Recruit's
        operation, `mapping_changed`, `pending_check` or `failure_retry:N`. They stay readable."""
        if not isinstance(data, dict) or "operation" not in data:
            return data
        data = dict(data)
        operation = data.pop("operation")
        name, _, count = str(operation or "").partition(":")
        if name in (SyncPurpose.MAPPING_CHANGED, SyncPurpose.PENDING_CHECK) and not count:
            data.setdefault("purpose", name)
        elif name == SyncPurpose.FAILURE_RETRY and count.isdigit() and int(count) > 0:
            data.setdefault("purpose", name)
            data.setdefault("failing_passes", int(count))
        elif operation is not None:
            data.setdefault("recruit_operation", operation)
        return data

    @model_validator(mode="after")
    def _failing_passes_only_for_a_retry(self) -> SyncRequest:
        if (self.purpose == SyncPurpose.FAILURE_RETRY) != (self.failing_passes is not None):
            raise ValueError("failing_passes is given exactly when the purpose is failure_retry")
        return self


class LifecycleRequest(BaseModel):
    connection: str = Field(description="ConnectionKey in its string form")
    kind: Kind
    action: LifecycleAction


def encode(message: BaseModel) -> str:
    return base64.b64encode(message.model_dump_json(exclude_none=True).encode("utf-8")).decode("ascii")


def _json_bytes(body: bytes | str) -> bytes:
    """The JSON of a body as the host hands it over (already decoded) or as it sits in the queue (base64)."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    if raw.lstrip()[:1] == b"{":
        return raw
    try:
        return base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError("queue message is neither JSON nor base64 JSON") from error


def parse_sync_request(body: bytes | str) -> SyncRequest:
    return SyncRequest.model_validate_json(_json_bytes(body))


def parse_lifecycle_request(body: bytes | str) -> LifecycleRequest:
    return LifecycleRequest.model_validate_json(_json_bytes(body))


def split_sync_request(request: SyncRequest) -> list[SyncRequest]:
    """The request as messages that each fit the queue, `recruit_ids` divided between them."""
    ids = request.recruit_ids
    if not ids or len(request.model_dump_json(exclude_none=True).encode("utf-8")) <= MAX_MESSAGE_JSON_BYTES:
        return [request]
    half = len(ids) // 2
    first = request.model_copy(update={"recruit_ids": ids[:half]})
    second = request.model_copy(update={"recruit_ids": ids[half:]})
    return split_sync_request(first) + split_sync_request(second)


class QueueProducer:
    def __init__(self, storage: StorageContext) -> None:
        self._storage = storage

    async def _send(
        self, queue_name: str, messages: Sequence[BaseModel], visibility_timeout: int | None
    ) -> None:
        queue = await self._storage.queue(queue_name)
        for message in messages:
            await queue.send_message(encode(message), visibility_timeout=visibility_timeout)

    async def send_sync(self, request: SyncRequest, visibility_timeout: int | None = None) -> None:
        """Queues a sync pass request, visible after `visibility_timeout` seconds when given."""
        settings = self._storage.settings
        await self._send(settings.queue_sync_requests, split_sync_request(request), visibility_timeout)

    async def send_lifecycle(self, request: LifecycleRequest, visibility_timeout: int | None = None) -> None:
        await self._send(self._storage.settings.queue_lifecycle, [request], visibility_timeout)
