"""The dev host's admin API: running a non-HTTP function now (as `func start` does), and the test-only clock
that moves the whole process forward the way the emulators' clocks move (`DEVHOST_CLOCK_CONTROL=1`)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from local.azurite import AzuriteProcess
from tests.fixtures.polling import poll
from tests.integration.devhost.conftest import DevHost

SIX_DAYS = timedelta(days=6)


@pytest.fixture(scope="module")
def clocked(azurite: AzuriteProcess, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevHost]:
    """This module's own dev host: its clock moves, and manual runs add records others' tests count."""
    folder: Path = tmp_path_factory.mktemp("devhost-clocked")
    host = DevHost(folder, azurite.connection_string, extra_env={"DEVHOST_CLOCK_CONTROL": "1"}).start()
    yield host
    host.stop()


def _post(host: DevHost, path: str, body: object = None, content: bytes | None = None) -> httpx.Response:
    if content is not None:
        return httpx.post(f"{host.base_url}{path}", content=content, trust_env=False, timeout=10)
    return httpx.post(f"{host.base_url}{path}", json=body, trust_env=False, timeout=10)


def test_a_timer_function_runs_now_when_asked_not_past_due_and_logged_as_called(clocked: DevHost) -> None:
    # Its run on startup first; the schedule is a year off, so any run after that is the one asked for.
    before = len(poll(lambda: clocked.records("yearly_on_startup"), what="the startup run"))

    response = _post(clocked, "/admin/functions/YEARLY_ON_STARTUP", {"input": ""})  # names match any case

    assert response.status_code == 202 and response.content == b""
    runs = poll(lambda: clocked.records("yearly_on_startup")[before:], what="the manual run")
    assert [run["past_due"] for run in runs] == [False]
    poll(
        lambda: "invoked yearly_on_startup (timerTrigger, called via the admin API)" in clocked.log(),
        what="the invocation's log line",
    )


def test_a_queue_function_runs_now_with_the_input_as_its_message_body(clocked: DevHost) -> None:
    body = f"by hand {uuid.uuid4()}"

    response = _post(clocked, "/admin/functions/take_message", {"input": body})

    assert response.status_code == 202
    [run] = poll(lambda: [r for r in clocked.records("take_message") if r["body"] == body], what="the run")
    assert run["id"]


def test_unknown_names_http_functions_and_bodies_that_are_not_json_objects_are_refused(
    clocked: DevHost,
) -> None:
    assert _post(clocked, "/admin/functions/no_such_function", {"input": ""}).status_code == 404
    assert _post(clocked, "/admin/functions/echo", {"input": ""}).status_code == 404  # HTTP: call its route
    assert _post(clocked, "/admin/functions/take_message", content=b"").status_code == 400
    assert _post(clocked, "/admin/functions/take_message", content=b"[1]").status_code == 400
    # The HTTP functions are still served beside the admin API.
    assert httpx.get(f"{clocked.base_url}/api/text", trust_env=False).text == "héllo"


def test_the_clock_is_not_there_unless_the_setting_asks_for_it(devhost: DevHost) -> None:
    assert _post(devhost, "/admin/clock", {"advance_seconds": 60}).status_code == 404
    assert httpx.get(f"{devhost.base_url}/admin/clock", trust_env=False).status_code == 404


def test_moving_the_clock_moves_the_apps_time_while_timers_queues_and_azurite_keep_working(
    clocked: DevHost,
) -> None:
    real_before = datetime.now(UTC)
    assert _post(clocked, "/admin/clock", {"advance_seconds": -1}).status_code == 400  # only forward

    moved = _post(clocked, "/admin/clock", {"advance_seconds": SIX_DAYS.total_seconds()})

    assert moved.status_code == 200
    assert moved.json()["offset_seconds"] >= SIX_DAYS.total_seconds()
    # Both the time module and datetime, on the worker thread a sync function runs on.
    seen = httpx.get(f"{clocked.base_url}/api/clock", trust_env=False).json()
    assert datetime.fromisoformat(seen["now"]) >= real_before + SIX_DAYS
    assert seen["time"] >= (real_before + SIX_DAYS).timestamp()
    # The every-second timer goes on (asyncio's sleeps are on the monotonic clock, which does not move)
    # and its runs happen on the moved clock.
    poll(
        lambda: [
            r for r in clocked.records("every_second") if r["at"] >= (real_before + SIX_DAYS).isoformat()
        ],
        what="an every-second run on the moved clock",
    )
    # Azurite takes requests signed six days ahead: a queue output binding reaches its queue trigger...
    body = f"six days later {uuid.uuid4()}"
    assert _post(clocked, "/api/enqueue", content=body.encode()).status_code == 202
    poll(lambda: [r for r in clocked.records("take_message") if r["body"] == body], what="the message")
    # ... and the Table service writes and reads.
    table = _post(clocked, "/api/table", content=b"still signed fine")
    assert table.status_code == 200 and table.json() == {"text": "still signed fine"}
