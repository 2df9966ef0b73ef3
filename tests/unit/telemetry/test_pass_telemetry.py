"""A sync pass is one `sync.pass` span carrying the connection key, kind and reason, and its counts become
the `sync.items.written`, `sync.failures` and `sync.passes` counters."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from opentelemetry.trace import SpanKind, StatusCode

from sync_core.config import Settings
from sync_core.engine import telemetry
from tests.unit.telemetry.conftest import CapturedTelemetry, dims

SETTINGS = Settings(applicationinsights_connection_string="")
CONNECTION = "874920001:4000000012345"


class RecruitRefused(Exception):
    pass


def test_a_pass_is_one_consumer_span_with_connection_kind_and_reason(captured: CapturedTelemetry) -> None:
    with telemetry.sync_pass(SETTINGS, CONNECTION, "calendar", "graph_notification"):
        pass
    [span] = captured.spans()
    assert span.name == "sync.pass"
    assert span.kind is SpanKind.CONSUMER
    assert dict(span.attributes or {}) == {
        "sync.connection": CONNECTION,
        "sync.kind": "calendar",
        "sync.reason": "graph_notification",
    }
    assert span.status.status_code is StatusCode.UNSET


def test_items_written_are_counted_by_direction_and_action(captured: CapturedTelemetry) -> None:
    with telemetry.sync_pass(SETTINGS, CONNECTION, "calendar", "sweep"):
        telemetry.record_outcome(Counter(graph_created=3, graph_deleted=1, recruit_updated=2, conflicts=1))
    assert captured.counter("sync.items.written") == {
        dims(sync__kind="calendar", direction="to_outlook", action="create"): 3,
        dims(sync__kind="calendar", direction="to_outlook", action="delete"): 1,
        dims(sync__kind="calendar", direction="to_recruit", action="update"): 2,
    }
    ok_sweep = dims(sync__kind="calendar", sync__reason="sweep", outcome="ok")
    assert captured.counter("sync.passes") == {ok_sweep: 1}


def test_the_pass_span_carries_its_counts_summed_over_the_pass(captured: CapturedTelemetry) -> None:
    with telemetry.sync_pass(SETTINGS, CONNECTION, "contacts", "initial"):
        telemetry.record_outcome(Counter(graph_created=200))
        telemetry.record_outcome(Counter(graph_created=5, unlinked=1, recruit_deleted=0))
    [span] = captured.spans()
    attributes = dict(span.attributes or {})
    assert attributes["sync.count.graph_created"] == 205
    assert attributes["sync.count.unlinked"] == 1
    assert "sync.count.recruit_deleted" not in attributes


def test_items_left_for_a_later_pass_count_as_item_failures(captured: CapturedTelemetry) -> None:
    with telemetry.sync_pass(SETTINGS, CONNECTION, "calendar", "sweep"):
        telemetry.record_outcome(Counter(failed=2, graph_updated=1))
    assert captured.counter("sync.failures") == {dims(sync__kind="calendar", failure="item"): 2}


def test_a_pass_that_raises_is_an_error_span_without_the_exception_message(
    captured: CapturedTelemetry,
) -> None:
    with pytest.raises(RecruitRefused), telemetry.sync_pass(SETTINGS, CONNECTION, "calendar", "sweep"):
        raise RecruitRefused("Interview with jane.doe@example.com refused")
    [span] = captured.spans()
    assert span.status.status_code is StatusCode.ERROR
    assert span.status.description == "RecruitRefused"
    assert str(span.attributes["error.type"]).endswith("RecruitRefused")  # type: ignore[index]
    # The message (personal data) appears nowhere: not as an exception event, not as an attribute.
    assert list(span.events) == []
    assert "jane.doe" not in repr(dict(span.attributes or {}))
    assert captured.counter("sync.failures") == {dims(sync__kind="calendar", failure="pass"): 1}
    assert captured.counter("sync.passes") == {
        dims(sync__kind="calendar", sync__reason="sweep", outcome="error"): 1
    }


def test_counts_recorded_outside_a_pass_go_nowhere(captured: CapturedTelemetry) -> None:
    telemetry.record_outcome(Counter(graph_created=1, failed=1))
    assert captured.spans() == []
    assert captured.counter("sync.items.written") == {}


async def test_passes_running_concurrently_keep_their_own_counts(captured: CapturedTelemetry) -> None:
    both_open = asyncio.Barrier(2)

    async def one_pass(connection: str, counts: Counter[str]) -> None:
        with telemetry.sync_pass(SETTINGS, connection, "calendar", "sweep"):
            await both_open.wait()  # both spans are open while each records
            telemetry.record_outcome(counts)

    await asyncio.gather(
        one_pass("874920001:1", Counter(recruit_created=4)), one_pass("874920001:2", Counter(graph_created=1))
    )
    counts = {
        span.attributes["sync.connection"]: {  # type: ignore[index]
            name: value for name, value in (span.attributes or {}).items() if name.startswith("sync.count.")
        }
        for span in captured.spans()
    }
    assert counts == {
        "874920001:1": {"sync.count.recruit_created": 4},
        "874920001:2": {"sync.count.graph_created": 1},
    }
    assert all(span.parent is None for span in captured.spans())
