"""Benchmark: the initial calendar sync of N Recruit Events through the whole local stack (dev host, Azurite,
both emulators), started as a user starts it: Sign in with Zoho, then POST /api/sync/calendar/enable.

Prints wall time (from the enable call until the dev host falls idle after the pass that takes the Graph delta
baseline), each user's time to `active`, events per second, Graph HTTP requests on the wire (a relay between
the dev host and the Graph emulator counts them; a `$batch` is one) and Graph operations (the emulator's
counters: each `$batch` item is one) per event, Recruit credits per event (one per API request), dev host CPU
per event and peak RSS, failed and duplicated events and 429s; the last line is the same figures as JSON.

`--users N`: N users of the seeded org enable at the same moment, each with `--events` of their own.
`--throttle` makes the Graph emulator enforce Outlook's per-mailbox limits (10,000 requests per 10 minutes,
4 concurrent) with the window shortened by `--time-scale`; `--budget 1000/30` enforces a budget that binds.
`--profile FILE` runs the dev host under cProfile.

Run: `.venv/bin/python -m bench.calendar_initial_sync [--events 5000] [--users 1] [--budget 1000/30]`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from bench.common import InitialSyncKind, emit, emulator_token, initial_sync_arguments, run_initial_sync

INSERT_CHUNK = 100  # Recruit's limit per insert call
PAST_SHARE = 5  # one event in five lies in the past, so the sync's past-events leg is exercised too


def calendar_environment(events: int) -> dict[str, str]:
    # Events inserted 100 per API call share a creation second, which the import rule would take for an
    # import; a user creating them one by one would not, so the rule's threshold is raised above N. The cap
    # (5,000 by default) must not cut the benchmark short either: the user's seeded items come on top of N.
    return {"IMPORT_BATCH_MIN": str(events + 100), "INITIAL_EVENTS_CAP": str(events + 100)}


def seed_events(recruit_url: str, owner: str, count: int) -> None:
    """`count` one-hour Events owned by `owner`, an hour apart, a fifth of them in the past."""
    this_hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    first = this_hour - timedelta(hours=count // PAST_SHARE)
    headers = {"Authorization": f"Zoho-oauthtoken {emulator_token(recruit_url, owner)}"}
    with httpx.Client(base_url=recruit_url, headers=headers, trust_env=False, timeout=60) as http:
        for start in range(0, count, INSERT_CHUNK):
            records = []
            for n in range(start, min(start + INSERT_CHUNK, count)):
                begins = first + timedelta(hours=n)
                records.append(
                    {
                        "Event_Title": f"Bench event {n:05d}",
                        "Start_DateTime": begins.isoformat(),
                        "End_DateTime": (begins + timedelta(hours=1)).isoformat(),
                        "Venue": f"Room {n % 40}",
                        "Description": "Benchmark event: agenda, notes and a dial-in number.",
                    }
                )
            http.post("/recruit/v2/Events", json={"data": records, "trigger": []}).raise_for_status()


CALENDAR = InitialSyncKind(
    kind="calendar",
    bench="calendar_initial_sync",
    item="event",
    environment=calendar_environment,
    seed=seed_events,
    container=("calendars", "name", "Zoho Recruit", "events", "subject"),
    until_idle=True,
)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    initial_sync_arguments(parser, "--events", 5_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-calendar-") as tmp:
        print(f"starting the stack (logs in {tmp}) ...", flush=True)
        figures = run_initial_sync(CALENDAR, args, Path(tmp))
    emit(figures)
    return 0 if figures["failed"] == 0 and figures["duplicates"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
