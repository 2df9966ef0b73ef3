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
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from local.azurite import AzuriteProcess
from local.emulators.kit.serve import free_port
from local.stack import ChildProcess, Endpoints, LocalSecrets, product_environment, wait_for_http

EMAIL = "alice@contoso.example"
INSERT_CHUNK = 100  # Recruit's limit per insert call
OUTLOOK_WINDOW_SECONDS = 600.0
OUTLOOK_REQUESTS_PER_WINDOW = 10_000
OUTLOOK_CONCURRENCY = 4
POLL_SECONDS = 0.5


@dataclass
class Stack:
    azurite: AzuriteProcess
    graph: ChildProcess
    recruit: ChildProcess
    devhost: ChildProcess
    endpoints: Endpoints

    def stop(self) -> None:
        for child in (self.devhost, self.recruit, self.graph):
            child.stop()
        self.azurite.stop()


def start_stack(workdir: Path, contacts: int, chunk: int | None) -> Stack:
    ports = {name: free_port() for name in ("blob", "queue", "table", "graph", "tls", "recruit", "devhost")}
    azurite = AzuriteProcess(
        workdir / "azurite", ports["blob"], ports["queue"], ports["table"], in_memory=True
    )
    endpoints = Endpoints(
        storage_connection_string=azurite.connection_string,
        graph_base_url=f"http://127.0.0.1:{ports['graph']}",
        graph_tls_host=f"127.0.0.1:{ports['tls']}",
        graph_ca_file=workdir / "tls" / "ca.pem",
        recruit_base_url=f"http://127.0.0.1:{ports['recruit']}",
        public_base_url=f"http://127.0.0.1:{ports['devhost']}",
    )
    graph_args = [
        "--port",
        str(ports["graph"]),
        "--tls-port",
        str(ports["tls"]),
        "--tls-dir",
        str(workdir / "tls"),
    ]
    graph = ChildProcess(
        "graph emulator", ["-m", "local.emulators.graph", *graph_args], workdir / "graph.log"
    )
    recruit = ChildProcess(
        "recruit emulator",
        ["-m", "local.emulators.recruit", "--port", str(ports["recruit"])],
        workdir / "recruit.log",
    )
    env = product_environment(endpoints, LocalSecrets.generate(), table_prefix="bench")
    # Contacts inserted 100 per API call share a creation second, which the import rule would take for an
    # import; a user creating them one by one would not. The cap must not cut the benchmark short either.
    env |= {"IMPORT_BATCH_MIN": str(contacts + 100), "INITIAL_CONTACTS_CAP": str(contacts + 100)}
    if chunk:
        env["INITIAL_SYNC_CHUNK"] = str(chunk)
    devhost = ChildProcess(
        "dev host", ["-m", "local.devhost", "--port", str(ports["devhost"])], workdir / "devhost.log", env
    )
    stack = Stack(azurite, graph, recruit, devhost, endpoints)
    try:
        azurite.start()
        graph.start()
        recruit.start()
        wait_for_http(f"{endpoints.graph_base_url}/_emulator/stats", 60, graph.process)
        wait_for_http(f"{endpoints.recruit_base_url}/_emulator/stats", 60, recruit.process)
        devhost.start()
        wait_for_http(f"{endpoints.public_base_url}/api/health", 90, devhost.process)
    except BaseException:
        stack.stop()
        raise
    return stack


def seed_contacts(recruit_url: str, count: int) -> None:
    with httpx.Client(base_url=recruit_url, trust_env=False, timeout=60) as http:
        token = http.post("/_emulator/token", json={"user": EMAIL}).json()["access_token"]
        headers = {"Authorization": f"Zoho-oauthtoken {token}"}
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


def sign_in_and_enable(devhost_url: str) -> httpx.Client:
    browser = httpx.Client(base_url=devhost_url, trust_env=False, timeout=60, follow_redirects=True)
    browser.get("/api/auth/zoho/start", params={"login_hint": EMAIL}).raise_for_status()
    answer = browser.post("/api/sync/contacts/enable", headers={"X-CSRF-Token": browser.cookies["csrf"]})
    if answer.status_code != 202:
        raise RuntimeError(
            f"enable answered {answer.status_code}: {answer.text[:200]} (is Alice an SSO user?)"
        )
    return browser


def wait_until_active(browser: httpx.Client, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    last_done = -1
    while time.monotonic() < deadline:
        contacts = browser.get("/api/me").json()["contacts"]
        if contacts["status"] == "active":
            return dict(contacts)
        if contacts["status"] in ("error", "disabled"):
            raise RuntimeError(f"contacts sync stopped: {contacts}")
        done = int((contacts.get("progress") or {}).get("done") or 0)
        if done != last_done:
            total = (contacts.get("progress") or {}).get("total")
            print(f"  {contacts['status']}: {done} of {total}", flush=True)
            last_done = done
        time.sleep(POLL_SECONDS)
    raise RuntimeError(f"not active within {timeout:.0f} s")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its waited-for children, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def stats(base_url: str) -> dict[str, Any]:
    return dict(httpx.get(f"{base_url}/_emulator/stats", trust_env=False).json())


def delta(after: dict[str, int], before: dict[str, int], marker: str) -> dict[str, int]:
    return {
        key: n - before.get(key, 0) for key, n in after.items() if marker in key and n - before.get(key, 0)
    }


def folder_size(graph_url: str, mailbox_token: str) -> int:
    headers = {"Authorization": f"Bearer {mailbox_token}"}
    with httpx.Client(base_url=f"{graph_url}/v1.0/me", headers=headers, trust_env=False, timeout=60) as http:
        folders = http.get("/contactFolders").json()["value"]
        [folder] = [f for f in folders if f["displayName"] == "Zoho Recruit Contacts"]
        url: str | None = f"/contactFolders/{folder['id']}/contacts?$top=1000&$select=id"
        count = 0
        while url:
            page = http.get(url).json()
            count += len(page["value"])
            url = page.get("@odata.nextLink")
        return count


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
        stack = start_stack(workdir, args.contacts, args.chunk)
        try:
            graph_url, recruit_url = stack.endpoints.graph_base_url, stack.endpoints.recruit_base_url
            print(f"seeding {args.contacts} contacts in Recruit ...", flush=True)
            seed_contacts(recruit_url, args.contacts)
            window = OUTLOOK_WINDOW_SECONDS / args.time_scale
            if args.throttle:
                policy = {
                    "requests_per_window": OUTLOOK_REQUESTS_PER_WINDOW,
                    "window_seconds": window,
                    "max_concurrent": OUTLOOK_CONCURRENCY,
                }
                httpx.post(f"{graph_url}/_emulator/throttle", json=policy, trust_env=False).raise_for_status()
            graph_before, recruit_before = stats(graph_url), stats(recruit_url)
            assert stack.devhost.process is not None
            cpu_before = cpu_seconds(stack.devhost.process.pid)
            started = time.monotonic()
            browser = sign_in_and_enable(stack.endpoints.public_base_url)
            final = wait_until_active(browser, args.timeout)
            wall = time.monotonic() - started
            cpu = cpu_seconds(stack.devhost.process.pid) - cpu_before
            graph_after, recruit_after = stats(graph_url), stats(recruit_url)
            token = httpx.post(f"{graph_url}/_emulator/token", json={"user": EMAIL}, trust_env=False).json()
            copied = folder_size(graph_url, token["access_token"])
        finally:
            stack.stop()

    graph_calls = delta(graph_after["requests"], graph_before["requests"], "/v1.0/")
    batches = graph_calls.get("POST /v1.0/$batch", 0)
    operations = sum(graph_calls.values()) - batches  # $batch items are counted under their own template too
    credits = sum(delta(recruit_after["requests"], recruit_before["requests"], "/recruit/v2/").values())
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
