"""Fault injection: per path prefix, a rate of failures with chosen statuses and added latency."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FaultRule:
    prefix: str
    rate: float = 0.0
    statuses: tuple[int, ...] = (500,)
    latency_ms: int = 0
    retry_after: int = 1

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> FaultRule:
        rate = float(raw.get("rate", 0.0))
        if not 0.0 <= rate <= 1.0:
            raise ValueError("rate must be between 0 and 1")
        statuses = tuple(int(s) for s in raw.get("statuses", [500]))
        if not statuses or any(s < 400 or s > 599 for s in statuses):
            raise ValueError("statuses must be HTTP error codes")
        return cls(
            prefix=str(raw.get("prefix", "/")),
            rate=rate,
            statuses=statuses,
            latency_ms=max(0, int(raw.get("latency_ms", 0))),
            retry_after=max(0, int(raw.get("retry_after", 1))),
        )


@dataclass
class FaultDecision:
    latency_ms: int = 0
    status: int | None = None
    retry_after: int = 1


@dataclass
class FaultInjector:
    rules: list[FaultRule] = field(default_factory=list)
    rng: random.Random = field(default_factory=random.Random)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def set_rules(self, raw_rules: list[dict[str, Any]]) -> None:
        parsed = [FaultRule.from_json(r) for r in raw_rules]
        with self._lock:
            self.rules = parsed

    def decide(self, path: str) -> FaultDecision:
        """What to do to a request on `path`: the first rule whose prefix matches applies."""
        with self._lock:
            for rule in self.rules:
                if path.startswith(rule.prefix):
                    failed = rule.rate > 0 and self.rng.random() < rule.rate
                    status = self.rng.choice(rule.statuses) if failed else None
                    return FaultDecision(rule.latency_ms, status, rule.retry_after)
        return FaultDecision()
