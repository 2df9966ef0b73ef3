"""Request counters by `METHOD /path/template`, as the control API's GET /stats reports them."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any


class RequestStats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: Counter[str] = Counter()
        self.throttled = 0
        self.faults = 0

    def record(self, method: str, template: str) -> None:
        with self._lock:
            self.requests[f"{method} {template}"] += 1

    def record_throttled(self) -> None:
        with self._lock:
            self.throttled += 1

    def record_fault(self) -> None:
        with self._lock:
            self.faults += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {"requests": dict(self.requests), "throttled": self.throttled, "faults": self.faults}

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.throttled = 0
            self.faults = 0
