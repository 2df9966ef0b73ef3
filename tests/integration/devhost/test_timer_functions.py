"""Timer functions fire on their NCRONTAB schedule and on startup."""

from __future__ import annotations

from datetime import datetime

from tests.fixtures.polling import poll
from tests.integration.devhost.conftest import DevHost


def test_every_second_timer_fires_repeatedly_on_time(devhost: DevHost) -> None:
    already = len(devhost.records("every_second"))

    def two_new_runs() -> list[dict[str, object]]:
        runs = devhost.records("every_second")[already:]
        return runs[:2] if len(runs) >= 2 else []

    runs = poll(two_new_runs, what="two timer runs")

    first, second = (datetime.fromisoformat(str(run["at"])) for run in runs)
    assert [run["past_due"] for run in runs] == [False, False]
    assert 0.5 < (second - first).total_seconds() < 1.5


def test_run_on_startup_fires_once_at_start_although_the_schedule_is_far_off(devhost: DevHost) -> None:
    runs = poll(lambda: devhost.records("yearly_on_startup"), what="the startup run")

    assert [run["past_due"] for run in runs] == [False]
