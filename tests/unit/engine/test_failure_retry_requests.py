"""The retry request a pass with failed items queues: its back-off, and how a worker recognises it."""

from __future__ import annotations

from sync_core.engine.reconcile import (
    MAPPING_CHANGED,
    PENDING_CHECK,
    RETRY_MAX_SECONDS,
    failure_retry,
    failure_retry_count,
    retry_delay,
)
from sync_core.store.queues import SyncRequest, encode, parse_sync_request

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
    assert failure_retry_count(retry) == 3


def test_other_requests_are_no_retries() -> None:
    for operation in (None, PENDING_CHECK, MAPPING_CHANGED, "failure_retry", "failure_retry:x"):
        assert failure_retry_count(NOTIFIED.model_copy(update={"operation": operation})) is None
