"""Benchmark: the initial contacts sync of N Recruit contacts through the whole local stack (dev host,
Azurite, both emulators), started as a user starts it: Sign in with Zoho, then POST /api/sync/contacts/enable.

Prints wall time (from the enable call to `active`), each user's time to `active`, contacts per second, Graph
HTTP requests on the wire and Graph operations per contact, Recruit credits per contact (the emulator charges
one per API request), dev host CPU per contact and peak RSS, failed and duplicated contacts and 429s; the
last line is the same figures as JSON.

`--users N`: N users of the seeded org enable at the same moment, each with `--contacts` of their own.
`--throttle` makes the Graph emulator enforce Outlook's per-mailbox limits (10,000 requests per 10 minutes,
4 concurrent) with the window shortened by `--time-scale`; `--budget 1000/30` enforces a budget that binds.
`--profile FILE` runs the dev host under cProfile.

Run: `.venv/bin/python -m bench.contacts_initial_sync [--contacts 10000] [--users 1] [--chunk N]`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from functools import partial
from pathlib import Path

import httpx

from bench.common import InitialSyncKind, emit, emulator_token, initial_sync_arguments, run_initial_sync

INSERT_CHUNK = 100  # Recruit's limit per insert call


def contacts_environment(contacts: int, chunk: int | None) -> dict[str, str]:
    # Contacts inserted 100 per API call share a creation second, which the import rule would take for an
    # import; a user creating them one by one would not. The cap must not cut the benchmark short either.
    env = {"IMPORT_BATCH_MIN": str(contacts + 100), "INITIAL_CONTACTS_CAP": str(contacts + 100)}
    if chunk:
        env["INITIAL_SYNC_CHUNK"] = str(chunk)
    return env


def seed_contacts(recruit_url: str, owner: str, count: int) -> None:
    """`count` contacts owned by `owner`, each with its own name and e-mail address."""
    tag = owner.split("@")[0]
    headers = {"Authorization": f"Zoho-oauthtoken {emulator_token(recruit_url, owner)}"}
    with httpx.Client(base_url=recruit_url, headers=headers, trust_env=False, timeout=60) as http:
        for start in range(0, count, INSERT_CHUNK):
            records = [
                {
                    "First_Name": "Bench",
                    "Last_Name": f"Contact {n:05d}",
                    "Email": f"{tag}.bench{n}@contacts.example",
                    "Work_Phone": f"+1 555 {n:05d}",
                    "Job_Title": "Engineer",
                    "Mailing_City": "Springfield",
                }
                for n in range(start, min(start + INSERT_CHUNK, count))
            ]
            http.post("/recruit/v2/Contacts", json={"data": records, "trigger": []}).raise_for_status()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    initial_sync_arguments(parser, "--contacts", 10_000)
    parser.add_argument(
        "--chunk", type=int, help="INITIAL_SYNC_CHUNK for the dev host (default: the setting's)"
    )
    args = parser.parse_args()
    contacts = InitialSyncKind(
        kind="contacts",
        bench="contacts_initial_sync",
        item="contact",
        environment=partial(contacts_environment, chunk=args.chunk),
        seed=seed_contacts,
        container=("contactFolders", "displayName", "Zoho Recruit Contacts", "contacts", "displayName"),
        until_idle=False,
    )
    with tempfile.TemporaryDirectory(prefix="bench-contacts-") as tmp:
        print(f"starting the stack (logs in {tmp}) ...", flush=True)
        figures = run_initial_sync(contacts, args, Path(tmp))
    emit(figures)
    return 0 if figures["failed"] == 0 and figures["duplicates"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
