"""The requests the engine queues for itself: a retry's back-off, purposes that survive the queue as fields,
and messages queued by the previous version (one `operation` string) still read the same."""

from __future__ import annotations

import base64
import json

import pytest
from pydantic import ValidationError

from sync_core.engine.sync_pass.reconcile import RETRY_MAX_SECONDS, failure_retry, retry_delay
from sync_core.store.queues import SyncPurpose, SyncRequest, encode, parse_sync_request

NOTIFIED = SyncRequest(
    connection="874920001:1", kind="contacts", reason="recruit_notification", recruit_module="Contacts"
)


def test_the_delay_doubles_from_30_s_and_is_capped() -> None:
    assert [retry_delay(n) for n in range(1, 7)] == [30, 60, 120, 240, 480, 600]
    assert retry_delay(40) == RETRY_MAX_SECONDS == 600


def test_a_retry_is_a_plain_sweep_of_the_same_connection_and_kind_that_survives_the_queue() -> None:
    retry = parse_sync_request(encode(failure_retry(NOTIFIED, 3)))
    assert (retry.connection, retry.kind, retry.reason) == ("874920001:1", "contacts", "sweep")
    assert retry.recruit_module is None and retry.recruit_ids is None
    assert (retry.purpose, retry.failing_passes) == (SyncPurpose.FAILURE_RETRY, 3)


def test_a_queued_request_carries_its_purpose_as_a_field_not_in_an_operation_string() -> None:
    body = json.loads(base64.b64decode(encode(failure_retry(NOTIFIED, 2))))
    assert (body["purpose"], body["failing_passes"]) == ("failure_retry", 2)
    assert "operation" not in body


def _legacy(operation: str) -> SyncRequest:
    body = {"connection": "874920001:1", "kind": "contacts", "reason": "sweep", "operation": operation}
    return parse_sync_request(base64.b64encode(json.dumps(body).encode()).decode())


@pytest.mark.parametrize(
    ("operation", "purpose", "failing_passes", "recruit_operation"),
    [
        ("failure_retry:3", SyncPurpose.FAILURE_RETRY, 3, None),
        ("mapping_changed", SyncPurpose.MAPPING_CHANGED, None, None),
        ("pending_check", SyncPurpose.PENDING_CHECK, None, None),
        ("update", None, None, "update"),
        ("failure_retry:x", None, None, "failure_retry:x"),  # was never a retry: it is not one now
    ],
)
def test_a_message_queued_by_the_previous_version_reads_as_it_meant(
    operation: str, purpose: SyncPurpose | None, failing_passes: int | None, recruit_operation: str | None
) -> None:
    request = _legacy(operation)
    assert (request.purpose, request.failing_passes, request.recruit_operation) == (
        purpose,
        failing_passes,
        recruit_operation,
    )


def test_a_count_of_failing_passes_belongs_to_a_retry_only() -> None:
    with pytest.raises(ValidationError):
        NOTIFIED.model_validate({**NOTIFIED.model_dump(), "failing_passes": 2})
    with pytest.raises(ValidationError):
        NOTIFIED.model_validate({**NOTIFIED.model_dump(), "purpose": "failure_retry"})
