"""host.json parsing and the timer's past-due decision."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from local.devhost.hostjson import QueueOptions, parse_host_json, timespan_seconds
from local.devhost.ncrontab import parse
from local.devhost.timer_runner import is_past_due, timer_request


def test_missing_sections_give_the_host_defaults() -> None:
    config = parse_host_json({"version": "2.0"})

    assert config.route_prefix == "api"
    assert config.queues == QueueOptions(
        batch_size=16, new_batch_threshold=8, max_polling_interval=60.0, visibility_timeout=0.0
    )


def test_queue_options_are_read_and_batch_size_is_capped_at_32() -> None:
    queues = {"batchSize": 64, "maxPollingInterval": "00:00:02", "visibilityTimeout": "00:00:05"}
    config = parse_host_json({"extensions": {"queues": queues, "http": {"routePrefix": ""}}})

    assert config.route_prefix == ""
    assert config.queues.batch_size == 32
    assert config.queues.new_batch_threshold == 16
    assert config.queues.max_polling_interval == 2.0
    assert config.queues.visibility_timeout == 5.0


def test_unknown_message_encoding_is_rejected() -> None:
    with pytest.raises(ValueError, match="messageEncoding"):
        parse_host_json({"extensions": {"queues": {"messageEncoding": "utf16"}}})


@pytest.mark.parametrize(
    ("text", "seconds"), [("00:01:00", 60.0), ("1.00:00:01", 86401.0), ("00:00:00.250", 0.25)]
)
def test_timespans(text: str, seconds: float) -> None:
    assert timespan_seconds(text) == seconds


def test_timer_run_is_past_due_only_when_the_following_occurrence_had_come() -> None:
    schedule = parse("*/10 * * * * *")
    due = datetime(2026, 11, 25, 10, 0, 0, tzinfo=UTC)

    assert not is_past_due(schedule, due, due + timedelta(seconds=9.9))
    assert is_past_due(schedule, due, due + timedelta(seconds=10))


def test_timer_request_reports_schedule_status() -> None:
    schedule = parse("0 * * * * *")
    due = datetime(2026, 11, 25, 10, 0, 0, tzinfo=UTC)

    request = timer_request(schedule, due, due + timedelta(minutes=3), last=None)

    assert request.past_due is True
    assert request.schedule_status["Next"] == "2026-11-25T10:04:00+00:00"
