"""Benchmark: how long a single calendar change takes to reach the other side, with the whole local stack
idle and synced, and what each change costs in Graph and Recruit requests.

Alice enables calendar sync and waits for `active`; then `--edits` changes are made in Recruit (create, edit,
delete in turn), one at a time, each timed from the API write until the other side's API shows it (polled
every 50 ms), and the same in Outlook. Between changes the stack must fall quiet (no emulator request for
`--quiet` seconds), so each change's cost includes its echo pass, then a random pause of up to `--jitter`
seconds lets the next write land anywhere in the dev host's queue-polling cycle. Prints p50, p95 and max
per direction and per operation, and the requests per change (the benchmark's own polling left out); the last
line is the figures as JSON.

Run: `.venv/bin/python -m bench.calendar_latency [--edits 50] [--quiet 2.5] [--jitter 2]`.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import httpx

from bench.common import (
    EMAIL,
    Stack,
    emit,
    emulator_token,
    graph_operations,
    load_average,
    peak_rss_mb,
    recruit_credits,
    sign_in_and_enable,
    start_stack,
    stats,
    wait_until_active,
    wait_until_idle,
)

POLL_SECONDS = 0.05
CHANGE_DEADLINE_SECONDS = 60.0
QUIET_DEADLINE_SECONDS = 60.0
CALENDAR_NAME = "Zoho Recruit"
OPERATIONS = ("create", "edit", "delete")
# The Graph emulator batches a change's notifications for 80 ms before it posts them (its README); it records
# no delivery times, so Outlook -> Recruit's notification -> visible is write -> visible minus this.
GRAPH_NOTIFICATION_DELAY = 0.08
QUEUE_RUN = re.compile(r"invoked \S+ \(queueTrigger\) in (\d+) ms")


class CountingClient(httpx.Client):
    """An httpx client that counts its own requests, so they can be taken out of the emulators' counters."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(trust_env=False, timeout=30, **kwargs)
        self.sent = 0

    def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        self.sent += 1
        return super().send(request, **kwargs)


@dataclass
class Cost:
    graph_http: int = 0  # on the wire, a `$batch` is one
    graph_operations: int = 0  # each `$batch` item is one
    recruit_credits: int = 0


@dataclass
class Change:
    operation: str
    seconds: float  # API write -> visible on the other side
    cost: Cost
    first_pass_seconds: float | None  # the first queue-triggered run after the write, from the dev host log
    notified_seconds: float | None = None  # API write -> the Recruit callback delivered (Recruit side only)


@dataclass
class Meter:
    """Snapshots of every counter, minus the benchmark's own requests."""

    stack: Stack
    ours: list[CountingClient] = field(default_factory=list)

    def snapshot(self) -> tuple[dict[str, Any], dict[str, Any], int, int, int]:
        assert self.stack.wire is not None
        graph_ours, recruit_ours = (client.sent for client in self.ours)
        return (
            stats(self.stack.endpoints.graph_base_url),
            stats(self.stack.endpoints.recruit_base_url),
            self.stack.wire.requests,
            graph_ours,
            recruit_ours,
        )

    def cost_since(self, before: tuple[dict[str, Any], dict[str, Any], int, int, int]) -> Cost:
        after = self.snapshot()
        operations, _ = graph_operations(after[0], before[0])
        return Cost(
            graph_http=after[2] - before[2],
            graph_operations=operations - (after[3] - before[3]),
            recruit_credits=recruit_credits(after[1], before[1]) - (after[4] - before[4]),
        )

    def log_offset(self) -> int:
        return self.stack.devhost.log_path.stat().st_size

    def queue_runs_since(self, offset: int) -> list[float]:
        """Seconds each queue-triggered function run took, as the dev host logged them after `offset`."""
        with self.stack.devhost.log_path.open("rb") as log:
            log.seek(offset)
            text = log.read().decode(errors="replace")
        return [int(ms) / 1000 for ms in QUEUE_RUN.findall(text)]

    def wait_quiet(self, quiet_seconds: float) -> None:
        urls = [self.stack.endpoints.graph_base_url, self.stack.endpoints.recruit_base_url]
        wait_until_idle(urls, quiet_seconds, QUIET_DEADLINE_SECONDS)


def wait_for(
    condition: Callable[[], bool], what: str, notified: Callable[[], bool] | None
) -> tuple[float, float | None]:
    """Polls `condition` (and `notified`, until it holds) every POLL_SECONDS; returns the monotonic times
    each first held (`notified` None when not given or not seen before `condition`)."""
    deadline = time.monotonic() + CHANGE_DEADLINE_SECONDS
    notified_at = None
    while time.monotonic() < deadline:
        if notified and notified_at is None and notified():
            notified_at = time.monotonic()
        if condition():
            return time.monotonic(), notified_at
        time.sleep(POLL_SECONDS)
    raise RuntimeError(f"gave up waiting for {what}")


def absent(present: Callable[[str], bool], title: str) -> bool:
    return not present(title)


def slot(n: int) -> tuple[str, str]:
    """A one-hour slot n days ahead, as ISO date-times in UTC."""
    start = datetime.now(UTC).replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=n + 1)
    return start.isoformat(), (start + timedelta(hours=1)).isoformat()


class RecruitToOutlook:
    """Changes made with the Recruit API, seen through Outlook's (the Graph API's) list of the calendar."""

    label = "Recruit -> Outlook"

    def __init__(self, recruit: CountingClient, outlook: CountingClient, calendar_id: str) -> None:
        self.recruit, self.outlook, self.calendar_id = recruit, outlook, calendar_id
        self.record_id = ""
        self.title = ""
        self.deliveries_url = str(recruit.base_url).split("/recruit/v2")[0] + "/_emulator/deliveries"
        self.deliveries_before = 0

    def deliveries(self) -> list[dict[str, Any]]:
        return list(httpx.get(self.deliveries_url, trust_env=False).json()["deliveries"])

    def notified(self) -> Callable[[], bool]:
        """Whether the callback for the write just made has reached the dev host."""
        before = self.deliveries_before
        return lambda: any(entry["delivered"] for entry in self.deliveries()[before:])

    def in_outlook(self, subject: str) -> bool:
        answer = self.outlook.get(
            f"/calendars/{self.calendar_id}/events",
            params={"$filter": f"subject eq '{subject}'", "$select": "id,subject"},
        )
        answer.raise_for_status()
        return bool(answer.json()["value"])

    def write(self, operation: str, n: int) -> Callable[[], bool]:
        self.deliveries_before = len(self.deliveries())
        if operation == "create":
            self.title = f"Latency R{n:03d}"
            start, end = slot(n)
            record = {"Event_Title": self.title, "Start_DateTime": start, "End_DateTime": end}
            answer = self.recruit.post("/Events", json={"data": [record], "trigger": []})
            answer.raise_for_status()
            self.record_id = str(answer.json()["data"][0]["details"]["id"])
            return partial(self.in_outlook, self.title)
        if operation == "edit":
            self.title = f"{self.title} edited"
            record = {"id": self.record_id, "Event_Title": self.title}
            self.recruit.put("/Events", json={"data": [record], "trigger": []}).raise_for_status()
            return partial(self.in_outlook, self.title)
        self.recruit.delete(f"/Events/{self.record_id}").raise_for_status()
        return partial(absent, self.in_outlook, self.title)


class OutlookToRecruit:
    """Changes made with the Graph API in the "Zoho Recruit" calendar, seen through Recruit's search."""

    label = "Outlook -> Recruit"

    def __init__(self, recruit: CountingClient, outlook: CountingClient, calendar_id: str) -> None:
        self.recruit, self.outlook, self.calendar_id = recruit, outlook, calendar_id
        self.event_id = ""
        self.title = ""

    def notified(self) -> None:
        """The Graph emulator records no delivery times; its notifications leave 80 ms after a change."""
        return None

    def in_recruit(self, title: str) -> bool:
        answer = self.recruit.get("/Events/search", params={"criteria": f"(Event_Title:equals:{title})"})
        answer.raise_for_status()
        return answer.status_code == 200 and bool(answer.json().get("data"))

    def write(self, operation: str, n: int) -> Callable[[], bool]:
        if operation == "create":
            self.title = f"Latency O{n:03d}"
            start, end = slot(n)
            body = {
                "subject": self.title,
                "start": {"dateTime": start[:19], "timeZone": "UTC"},
                "end": {"dateTime": end[:19], "timeZone": "UTC"},
            }
            answer = self.outlook.post(f"/calendars/{self.calendar_id}/events", json=body)
            answer.raise_for_status()
            self.event_id = str(answer.json()["id"])
            return partial(self.in_recruit, self.title)
        if operation == "edit":
            self.title = f"{self.title} edited"
            self.outlook.patch(f"/events/{self.event_id}", json={"subject": self.title}).raise_for_status()
            return partial(self.in_recruit, self.title)
        self.outlook.delete(f"/events/{self.event_id}").raise_for_status()
        return partial(absent, self.in_recruit, self.title)


def run_direction(
    side: RecruitToOutlook | OutlookToRecruit, edits: int, meter: Meter, quiet: float, jitter: float
) -> list[Change]:
    changes = []
    for n in range(edits):
        operation = OPERATIONS[n % len(OPERATIONS)]
        # Waiting for quiet puts every write at the same point of the dev host's idle queue polling; a
        # random pause makes the writes land anywhere in that cycle, as a user's would.
        time.sleep(random.uniform(0, jitter))
        before, offset = meter.snapshot(), meter.log_offset()
        started = time.monotonic()
        visible = side.write(operation, n)
        seen, notified = wait_for(visible, f"{side.label} {operation} #{n}", side.notified())
        meter.wait_quiet(quiet)
        runs = meter.queue_runs_since(offset)
        changes.append(
            Change(
                operation,
                seen - started,
                meter.cost_since(before),
                runs[0] if runs else None,
                None if notified is None else notified - started,
            )
        )
        print(f"  {side.label} {operation:6s} #{n:02d}: {seen - started:.2f} s", flush=True)
    return changes


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def report(label: str, changes: list[Change]) -> None:
    print(f"\n{label} ({len(changes)} changes)")
    rows = [("all", changes)] + [(op, [c for c in changes if c.operation == op]) for op in OPERATIONS]
    for name, group in rows:
        seconds = [c.seconds for c in group]
        if seconds:
            print(
                f"  {name:6s} n={len(seconds):2d}  p50 {percentile(seconds, 0.5):5.2f} s"
                f"  p95 {percentile(seconds, 0.95):5.2f} s  max {max(seconds):5.2f} s"
            )
    for name, values in (
        ("write -> callback delivered", [c.notified_seconds for c in changes]),
        (
            "callback delivered -> visible",
            [None if c.notified_seconds is None else c.seconds - c.notified_seconds for c in changes],
        ),
        ("first queue run after the write", [c.first_pass_seconds for c in changes]),
    ):
        known = [v for v in values if v is not None]
        if known:
            print(
                f"  {name}: p50 {percentile(known, 0.5):5.2f} s  p95 {percentile(known, 0.95):5.2f} s"
                f"  max {max(known):5.2f} s"
            )
    print("  requests per change (mean; max):")
    for name, group in rows:
        if group:
            http = [c.cost.graph_http for c in group]
            operations = [c.cost.graph_operations for c in group]
            credits = [c.cost.recruit_credits for c in group]
            print(
                f"  {name:6s} Graph HTTP {statistics.mean(http):5.2f}; {max(http):3d}"
                f"   Graph operations {statistics.mean(operations):5.2f}; {max(operations):3d}"
                f"   Recruit credits {statistics.mean(credits):5.2f}; {max(credits):3d}"
            )


def direction_figures(changes: list[Change], notification_delay: float | None) -> dict[str, Any]:
    """One direction's part of the JSON line. Notification -> visible is measured where the callback's
    delivery is seen (Recruit), else estimated as write -> visible minus `notification_delay`."""
    seconds = [c.seconds for c in changes]
    if notification_delay is None:
        after_notice = [c.seconds - c.notified_seconds for c in changes if c.notified_seconds is not None]
    else:
        after_notice = [max(0.0, s - notification_delay) for s in seconds]
    return {
        "changes": len(changes),
        "p50_s": round(percentile(seconds, 0.5), 3),
        "p95_s": round(percentile(seconds, 0.95), 3),
        "max_s": round(max(seconds), 3),
        "notification_to_visible_p50_s": round(percentile(after_notice, 0.5), 3) if after_notice else None,
        "notification_to_visible_p95_s": round(percentile(after_notice, 0.95), 3) if after_notice else None,
        "notification_measured": notification_delay is None,
        "recruit_credits_per_change": round(statistics.mean(c.cost.recruit_credits for c in changes), 2),
        "graph_requests_per_change": round(statistics.mean(c.cost.graph_http for c in changes), 2),
        "graph_ops_per_change": round(statistics.mean(c.cost.graph_operations for c in changes), 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--edits", type=int, default=50, help="changes made on each side")
    parser.add_argument("--quiet", type=float, default=2.5, help="seconds without requests that mean idle")
    parser.add_argument("--jitter", type=float, default=2.0, help="most seconds of random pause per change")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-latency-") as tmp:
        workdir = Path(tmp)
        print(f"starting the stack (logs in {workdir}) ...", flush=True)
        stack = start_stack(workdir, {}, count_wire=True)
        try:
            graph_url, recruit_url = stack.endpoints.graph_base_url, stack.endpoints.recruit_base_url
            browser = sign_in_and_enable(stack.endpoints.public_base_url, "calendar")
            wait_until_active(browser, "calendar", 120, quiet=True)
            recruit = CountingClient(
                base_url=f"{recruit_url}/recruit/v2",
                headers={"Authorization": f"Zoho-oauthtoken {emulator_token(recruit_url)}"},
            )
            outlook = CountingClient(
                base_url=f"{graph_url}/v1.0/users/{EMAIL}",
                headers={"Authorization": f"Bearer {emulator_token(graph_url)}"},
            )
            calendars = outlook.get("/calendars").json()["value"]
            [calendar_id] = [str(c["id"]) for c in calendars if c["name"] == CALENDAR_NAME]
            meter = Meter(stack, [outlook, recruit])
            print("synced; waiting for the stack to fall idle ...", flush=True)
            meter.wait_quiet(args.quiet)
            from_recruit = run_direction(
                RecruitToOutlook(recruit, outlook, calendar_id), args.edits, meter, args.quiet, args.jitter
            )
            from_outlook = run_direction(
                OutlookToRecruit(recruit, outlook, calendar_id), args.edits, meter, args.quiet, args.jitter
            )
            rss = peak_rss_mb(stack.devhost_pid)
        finally:
            stack.stop()

    report("Recruit -> Outlook", from_recruit)
    report("Outlook -> Recruit", from_outlook)
    emit(
        {
            "bench": "calendar_latency",
            "users": 1,
            "rss_mb": round(rss, 1),
            "recruit_to_outlook": direction_figures(from_recruit, None),
            "outlook_to_recruit": direction_figures(from_outlook, GRAPH_NOTIFICATION_DELAY),
            "load_average": load_average(),
        }
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
