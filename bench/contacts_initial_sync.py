"""Benchmark: the initial contacts sync of N Recruit contacts through the whole local stack (dev host,
Azurite, both emulators), started as a user starts it: Sign in with Zoho, then POST /api/sync/contacts/enable.

Prints wall time, contacts per second, Graph operations (direct and inside `$batch`) and `$batch` calls per
contact, Recruit credits per contact (the emulator charges one per API request) and dev host CPU seconds per
1,000 contacts. `--throttle` makes the Graph emulator enforce Outlook's per-mailbox limits (10,000 requests
per 10 minutes, 4 concurrent) with the window shortened by `--time-scale`; it prints achieved vs ceiling.

Run: `.venv/bin/python -m bench.contacts_initial_sync [--contacts 10000] [--throttle] [--time-scale 20]`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.common import (
    OUTLOOK_REQUESTS_PER_WINDOW,
    OUTLOOK_WINDOW_SECONDS,
    container_size,
    cpu_seconds,
    emulator_token,
    graph_operations,
    recruit_credits,
    sign_in_and_enable,
    start_stack,
    stats,
    throttle_graph,
    wait_until_active,
)

INSERT_CHUNK = 100  # Recruit's limit per insert call


def contacts_environment(contacts: int, chunk: int | None) -> dict[str, str]:
    # Contacts inserted 100 per API call share a creation second, which the import rule would take for an
    # import; a user creating them one by one would not. The cap must not cut the benchmark short either.
    env = {"IMPORT_BATCH_MIN": str(contacts + 100), "INITIAL_CONTACTS_CAP": str(contacts + 100)}
    if chunk:
        env["INITIAL_SYNC_CHUNK"] = str(chunk)
    return env


def seed_contacts(recruit_url: str, count: int) -> None:
    with httpx.Client(base_url=recruit_url, trust_env=False, timeout=60) as http:
        headers = {"Authorization": f"Zoho-oauthtoken {emulator_token(recruit_url)}"}
        for start in range(0, count, INSERT_CHUNK):
            records = [
                {
                    "First_Name": "Bench",
                    "Last_Name": f"Contact {n:05d}",
                    "Email": f"bench{n}@contacts.example",
                    "Work_Phone": f"+1 555 {n:05d}",
                    "Job_Title": "Engineer",
                    "Mailing_City": "Springfield",
                }
                for n in range(start, min(start + INSERT_CHUNK, count))
            ]
            http.post(
                "/recruit/v2/Contacts", json={"data": records, "trigger": []}, headers=headers
            ).raise_for_status()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--throttle", action="store_true", help="enforce Outlook's per-mailbox limits")
    parser.add_argument("--time-scale", type=float, default=20.0, help="throttle window = 600 s / this")
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument(
        "--chunk", type=int, help="INITIAL_SYNC_CHUNK for the dev host (default: the setting's)"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-contacts-") as tmp:
        workdir = Path(tmp)
        print(f"starting the stack (logs in {workdir}) ...", flush=True)
        stack = start_stack(workdir, contacts_environment(args.contacts, args.chunk))
        try:
            graph_url, recruit_url = stack.endpoints.graph_base_url, stack.endpoints.recruit_base_url
            print(f"seeding {args.contacts} contacts in Recruit ...", flush=True)
            seed_contacts(recruit_url, args.contacts)
            window = OUTLOOK_WINDOW_SECONDS / args.time_scale
            if args.throttle:
                throttle_graph(graph_url, args.time_scale)
            graph_before, recruit_before = stats(graph_url), stats(recruit_url)
            cpu_before = cpu_seconds(stack.devhost_pid)
            started = time.monotonic()
            browser = sign_in_and_enable(stack.endpoints.public_base_url, "contacts")
            final = wait_until_active(browser, "contacts", args.timeout)
            wall = time.monotonic() - started
            cpu = cpu_seconds(stack.devhost_pid) - cpu_before
            graph_after, recruit_after = stats(graph_url), stats(recruit_url)
            copied = container_size(
                graph_url,
                emulator_token(graph_url),
                "contactFolders",
                "displayName",
                "Zoho Recruit Contacts",
                "contacts",
            )
        finally:
            stack.stop()

    operations, batches = graph_operations(graph_after, graph_before)
    credits = recruit_credits(recruit_after, recruit_before)
    synced = int((final.get("progress") or {}).get("total") or copied)
    print()
    print(f"contacts planned / in the folder:   {synced} / {copied} ({args.contacts} made for the benchmark)")
    print(f"wall time (enable -> active):       {wall:.1f} s")
    print(f"throughput:                         {synced / wall:.1f} contacts/s")
    print(f"Graph operations per contact:       {operations / synced:.3f}  ({operations} in all)")
    print(f"Graph $batch calls per contact:     {batches / synced:.3f}  ({batches} in all)")
    print(f"Recruit credits per contact:        {credits / synced:.3f}  ({credits} in all)")
    print(f"dev host CPU per 1,000 contacts:    {cpu / synced * 1000:.1f} s  ({cpu:.1f} s in all)")
    if args.throttle:
        ceiling = OUTLOOK_REQUESTS_PER_WINDOW / window
        achieved = operations / wall
        print(f"throttled answers (429):            {graph_after['throttled'] - graph_before['throttled']}")
        print(
            f"Graph operations/s achieved/ceiling: {achieved:.1f} / {ceiling:.1f} ({achieved / ceiling:.0%})"
        )
        real_ceiling = OUTLOOK_REQUESTS_PER_WINDOW / OUTLOOK_WINDOW_SECONDS * synced / operations
        print(f"unscaled Outlook ceiling:           {real_ceiling:.1f} contacts/s per mailbox at this cost")
    return 0 if copied >= args.contacts else 1


if __name__ == "__main__":
    sys.exit(main())
