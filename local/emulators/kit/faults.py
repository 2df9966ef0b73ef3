"""Fault injection: per path prefix (and optionally method), a rate of failures with chosen statuses, added
latency, or a hold: matching requests wait, unanswered, until the rules are set again, and are then served
without further faults. A hold lets a test stop a client between sending a write and reading its answer, then
let the write land (as a server does for a client that has died), with no race against the client's speed."""

from __future__ import annotations

import asyncio
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
    methods: frozenset[str] = frozenset()  # empty: every method
    hold: bool = False

    def matches(self, method: str, path: str) -> bool:
        return path.startswith(self.prefix) and (not self.methods or method.upper() in self.methods)

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
            methods=frozenset(str(m).upper() for m in raw.get("methods", [])),
            hold=bool(raw.get("hold", False)),
        )


@dataclass
class FaultDecision:
    latency_ms: int = 0
    status: int | None = None
    retry_after: int = 1
    release: asyncio.Event | None = None  # a held request waits for this: set when the rules are next set


@dataclass
class FaultInjector:
    """Called on the emulator's event loop only (the middleware and the control routes), which the holds'
    `asyncio.Event` needs; the lock guards the rules against the stats reader."""

    rules: list[FaultRule] = field(default_factory=list)
    rng: random.Random = field(default_factory=random.Random)
    held: int = 0  # requests waiting on a hold now
    _release: asyncio.Event | None = None  # the current rules' holds end when this is set
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def set_rules(self, raw_rules: list[dict[str, Any]]) -> None:
        parsed = [FaultRule.from_json(r) for r in raw_rules]
        with self._lock:
            self.rules = parsed
            release, self._release = self._release, None
        if release is not None:
            release.set()

    def decide(self, method: str, path: str) -> FaultDecision:
        """What to do to a `method` request on `path`: the first rule that matches applies."""
        with self._lock:
            for rule in self.rules:
                if rule.matches(method, path):
                    if rule.hold:
                        self._release = self._release or asyncio.Event()
                        return FaultDecision(release=self._release)
                    failed = rule.rate > 0 and self.rng.random() < rule.rate
                    status = self.rng.choice(rule.statuses) if failed else None
                    return FaultDecision(rule.latency_ms, status, rule.retry_after)
        return FaultDecision()

    async def held_until(self, release: asyncio.Event) -> None:
        """Waits, counted in `held`, until the rules that held a request are replaced."""
        with self._lock:
            self.held += 1
        try:
            await release.wait()
        finally:
            with self._lock:
                self.held -= 1
