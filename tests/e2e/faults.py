"""Faults for whole-stack tests: emulator fault rules for the product's calls, the test's own clients that
retry what the faults break, and a crash of a test's own dev host while a pass is applying.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx
from azure.data.tables import TableClient

from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.polling import poll
from tests.fixtures.recruit_emulator import RecruitEmulator
from tests.fixtures.stack import OwnStack

T = TypeVar("T")
# Every API call fails one time in five; the latency widens the window in which a pass is applying.
FAULTS = {"rate": 0.2, "statuses": [500, 503, 429], "retry_after": 1, "latency_ms": 60}
INJECTED = frozenset({429, 500, 503})
# A throttled pass (Recruit answers 429 without headers) is queued again a minute later: the pass that is
# caught mid-write may be that retry.
CRASH_DEADLINE_SECONDS = 150.0


class RetryingTransport(httpx.HTTPTransport):
    """The test's own calls try again on an injected failure: the emulators fail a faulted request before
    acting on it, so sending it again is what a user's client does and changes nothing twice."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        for _ in range(50):
            response = super().handle_request(request)
            if response.status_code not in INJECTED:
                return response
            response.close()
        raise AssertionError(f"{request.method} {request.url} failed 50 times in a row")


def outlook_as(graph: GraphEmulatorHandle, email: str) -> httpx.Client:
    """The user in Outlook through `/me` (the product's own calls go through `/users/{id}`, so the two are
    told apart in the emulator's request counts)."""
    return httpx.Client(
        base_url=f"{graph.base_url}/v1.0/me",
        headers={"Authorization": f"Bearer {graph.token_for(email)}"},
        transport=RetryingTransport(),
        timeout=30,
    )


def recruit_as(recruit: RecruitEmulator, email: str) -> httpx.Client:
    return httpx.Client(
        base_url=recruit.api_base,
        headers={"Authorization": f"Zoho-oauthtoken {recruit.token_for(email)}"},
        transport=RetryingTransport(),
        timeout=30,
    )


class EmulatorFaults:
    """One emulator's fault rules while `faults` is on, and a hold put in front of them."""

    def __init__(self, emulator: GraphEmulatorHandle | RecruitEmulator, prefix: str) -> None:
        self.emulator = emulator
        self.rules = [{**FAULTS, "prefix": prefix}]
        emulator.control("faults", {"rules": self.rules})

    def hold(self, method: str, prefix: str) -> None:
        """From now on `method` requests under `prefix` wait, unanswered and not applied, until `release`."""
        hold = {"prefix": prefix, "methods": [method], "hold": True}
        self.emulator.control("faults", {"rules": [hold, *self.rules]})

    def held(self) -> int:
        """How many requests are waiting on the hold now."""
        response = httpx.get(f"{self.emulator.base_url}/_emulator/stats", trust_env=False)
        response.raise_for_status()
        return int(response.json()["held"])

    def release(self) -> None:
        """Held requests are served as sent (without a fault), and new ones meet the fault rules again."""
        self.emulator.control("faults", {"rules": self.rules})

    def clear(self) -> None:
        self.emulator.control("faults", {"rules": []})


@dataclass
class Faults:
    graph: EmulatorFaults
    recruit: EmulatorFaults


@contextmanager
def faults(graph: GraphEmulatorHandle, recruit: RecruitEmulator) -> Iterator[Faults]:
    """Injected failures on every API call of both emulators (not their token endpoints or control API)."""
    injected = Faults(EmulatorFaults(graph, "/v1.0/"), EmulatorFaults(recruit, "/recruit/v2/"))
    try:
        yield injected
    finally:
        injected.graph.clear()
        injected.recruit.clear()


def syncstate_row(own: OwnStack, kind: str) -> dict[str, Any]:
    """The one user's syncstate row for `kind`, as stored."""
    table = f"{own.env['TABLE_PREFIX']}syncstate"
    with TableClient.from_connection_string(own.env["AzureWebJobsStorage"], table) as client:
        [row] = client.query_entities(f"RowKey eq '{kind}'")
    return dict(row)


def lease_held(own: OwnStack, kind: str, client: TableClient | None = None) -> bool:
    """Whether a pass holds the (connection, kind) lease now (through `client`, the syncstate table's,
    when the caller keeps one open)."""
    if client is None:
        row = syncstate_row(own, kind)
    else:
        [row] = client.query_entities(f"RowKey eq '{kind}'")
    expires = row.get("lease_expires")
    return bool(row.get("lease_owner")) and expires is not None and expires > datetime.now(UTC)


def item_writes(before: dict[str, int], after: dict[str, int], prefix: str, fragment: str) -> int:
    """Writes (POST, PATCH, PUT, DELETE) to routes under `prefix` containing `fragment` between two counts."""
    return sum(
        count - before.get(route, 0)
        for route, count in after.items()
        if route.split(" ")[0] in ("POST", "PATCH", "PUT", "DELETE")
        and route.split(" ", 1)[1].startswith(prefix)
        and fragment in route
        and "$batch" not in route
    )


def crash_mid_apply(own: OwnStack, kind: str, progress: Callable[[], T], partial: Callable[[T], bool]) -> T:
    """Kills the dev host the moment a pass holds the lease and `partial(progress())` holds (a pass part way
    through its writes); returns that progress (what the crash interrupted)."""
    # One open client for the whole wait: a new one per reading made each round slow enough on a busy
    # machine to miss a write window of a few hundred milliseconds.
    table = f"{own.env['TABLE_PREFIX']}syncstate"
    with TableClient.from_connection_string(own.env["AzureWebJobsStorage"], table) as syncstate:
        seen = poll(
            progress,
            lambda seen: partial(seen) and lease_held(own, kind, syncstate),
            "a pass part way through its writes",
            seconds=CRASH_DEADLINE_SECONDS,
            every=0.01,
        )
    own.crash()
    return seen


def once_each(titles: list[str]) -> list[str]:
    """The titles that occur more than once."""
    return sorted(title for title, count in Counter(titles).items() if count > 1)
