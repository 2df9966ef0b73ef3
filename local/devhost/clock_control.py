"""Test-only: the whole dev host process living on the emulators' time (`DEVHOST_CLOCK_CONTROL=1`).

The emulators' clocks are real time plus an offset that `POST /_emulator/clock` moves forward. With this on,
the dev host's clock is the same: `time-machine` (a test dependency, requirements-dev.txt) shifts what the
hosted app reads from `time.time`, `datetime.now` and friends, in every thread, while `time.monotonic` (which
asyncio, sleeps and timeouts use) keeps real time. So token expiries (MSAL's cache, the stored Recruit token),
leases and the product's own "now" all move with the emulators, and nothing in the product knows.

Azure has nothing like it: the dev host only turns it on when the setting asks, and Azure never sets it.
Azurite checks a request's Shared Key signature but not how far its `x-ms-date` is from its own time, so
storage calls signed with a shifted clock still succeed (the dev host integration tests show it).
"""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

SETTING = "DEVHOST_CLOCK_CONTROL"


def requested() -> bool:
    return os.environ.get(SETTING, "").strip().lower() in ("1", "true", "yes")


class ClockControl:
    """Real time plus an offset that only moves forward, as the emulators' clocks do."""

    def __init__(self) -> None:
        import time_machine  # a test dependency: imported only when a test asks for clock control

        self._lock = threading.Lock()
        self._offset = timedelta(0)
        # Travel to "now" with the clock ticking: no shift until advance() is called.
        self._traveller: Any = time_machine.travel(datetime.now(UTC), tick=True).start()
        datetime.now(UTC)  # the first reading anchors the ticking clock to real time

    @property
    def offset(self) -> timedelta:
        with self._lock:
            return self._offset

    def advance(self, seconds: float) -> datetime:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._traveller.shift(timedelta(seconds=seconds))
            self._offset += timedelta(seconds=seconds)
        return datetime.now(UTC)
