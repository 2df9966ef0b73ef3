"""Per-user API budget per emulator-clock minute, switched on by `POST /_emulator/ratelimit`.

Zoho counts credits per call; here every API request costs one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    reset_epoch_ms: int


@dataclass
class RateLimiter:
    per_minute: int | None = None
    _used: Counter[tuple[str, int]] = field(default_factory=Counter)

    def configure(self, per_minute: int | None) -> None:
        self.per_minute = per_minute
        self._used.clear()

    def charge(self, user_id: str, now: datetime) -> Verdict | None:
        """None when limits are off; otherwise whether this request fits the user's current minute."""
        if self.per_minute is None:
            return None
        window = int(now.timestamp()) // 60
        reset_ms = (window + 1) * 60_000
        used = self._used[(user_id, window)]
        if used >= self.per_minute:
            return Verdict(False, self.per_minute, 0, reset_ms)
        self._used[(user_id, window)] = used + 1
        return Verdict(True, self.per_minute, self.per_minute - used - 1, reset_ms)
