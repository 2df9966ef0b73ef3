"""Timer triggers: fires each timer function on its NCRONTAB schedule (UTC), one run at a time per function.

A run that starts after the following occurrence was already due is marked past due, as the host does.
A run asked for through the admin API is never past due; it waits for a scheduled run in progress (and a
scheduled run for it): one run at a time per function.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from azure.functions.timer import TimerRequest

from local.devhost import ncrontab
from local.devhost.appload import resolve_settings
from local.devhost.invoke import Invoker

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def is_past_due(schedule: ncrontab.Schedule, due: datetime, started: datetime) -> bool:
    """Late enough that the occurrence after `due` had already come: at least one slot was missed."""
    return started >= schedule.next_after(due)


def timer_request(
    schedule: ncrontab.Schedule, due: datetime, started: datetime, last: datetime | None
) -> TimerRequest:
    status = {
        "Last": (last or due).isoformat(),
        "Next": schedule.next_after(started).isoformat(),
        "LastUpdated": started.isoformat(),
    }
    return TimerRequest(
        past_due=is_past_due(schedule, due, started),
        schedule_status=status,
        schedule={"AdjustForDST": True},
    )


class TimerRunner:
    """Sleeps until the next occurrence, runs, repeats; missed occurrences collapse into one past-due run."""

    def __init__(self, function: Any, directory: str, clock: Clock = utc_now) -> None:
        trigger = function.get_trigger()
        self.invoker = Invoker(function, directory)
        self.schedule = ncrontab.parse(resolve_settings(trigger.schedule))
        self.run_on_startup = bool(trigger.run_on_startup)
        self.clock = clock
        self.last_run: datetime | None = None
        self._one_at_a_time = asyncio.Lock()

    async def run(self) -> None:
        if self.run_on_startup:
            now = self.clock()
            await self._fire(now, now)
        due = self.schedule.next_after(self.clock())
        while True:
            await asyncio.sleep(max(0.0, (due - self.clock()).total_seconds()))
            started = self.clock()
            if started < due:  # woke a little early
                continue
            await self._fire(due, started)
            due = self.schedule.next_after(max(due, self.clock()))

    async def _fire(self, due: datetime, started: datetime) -> None:
        async with self._one_at_a_time:
            request = timer_request(self.schedule, due, started, self.last_run)
            self.last_run = started
            # A failed run is logged by the invoker; the schedule goes on.
            with contextlib.suppress(Exception):
                await self.invoker.run(
                    request, describe=lambda _: "ok past_due" if request.past_due else "ok"
                )

    async def run_now(self, reason: str) -> None:
        """A run outside the schedule (the admin API's): not past due; raises what the function raised."""
        async with self._one_at_a_time:
            started = self.clock()
            request = timer_request(self.schedule, started, started, self.last_run)
            self.last_run = started
            await self.invoker.run(request, reason=reason)
