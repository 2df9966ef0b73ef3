"""What the benchmarks share: the whole local stack on free ports (optionally with more users of the seeded
org), signing in as users, waiting for their syncs to become active, reading the emulators' request counters,
the wire and the dev host's CPU time and memory, and the one line of JSON each benchmark ends with.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from local.azurite import AzuriteProcess
from local.demo import GRAPH_SEED, RECRUIT_SEED
from local.emulators.kit.serve import free_port
from local.stack import ChildProcess, Endpoints, LocalSecrets, product_environment, wait_for_http

EMAIL = "alice@contoso.example"  # SSO: Contoso gave admin consent, so enabling needs no Microsoft sign-in
OUTLOOK_WINDOW_SECONDS = 600.0
OUTLOOK_REQUESTS_PER_WINDOW = 10_000
OUTLOOK_CONCURRENCY = 4
POLL_SECONDS = 0.5


class WireCounter:
    """A loopback TCP relay in front of the Graph emulator that counts the HTTP requests on the wire.

    The emulator's own counters also count each request inside a `$batch`, so they cannot tell a `$batch`
    of 20 from 20 direct calls; this relay sees only what the dev host really sends.
    """

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.port = free_port()
        self.requests = 0
        self.batches = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="wire-counter", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> WireCounter:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the wire counter did not start")
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(asyncio.start_server(self._relay, "127.0.0.1", self.port))
        self._ready.set()
        self._loop.run_forever()

    async def _relay(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        answers = asyncio.create_task(_pipe(upstream_reader, client_writer))
        try:
            await self._requests(client_reader, upstream_writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            upstream_writer.close()
            await asyncio.gather(answers, return_exceptions=True)
            client_writer.close()

    async def _requests(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Forwards one HTTP/1.1 request at a time, counting each; a chunked body is relayed uncounted."""
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            request_line, *header_lines = head.decode("latin-1").split("\r\n")
            headers = dict(
                (name.strip().lower(), value.strip())
                for name, _, value in (line.partition(":") for line in header_lines if line)
            )
            self.requests += 1
            if request_line.split(" ")[1].split("?")[0].endswith("/$batch"):
                self.batches += 1
            writer.write(head)
            if "chunked" in headers.get("transfer-encoding", ""):
                await _pipe(reader, writer)
                return
            length = int(headers.get("content-length", "0"))
            if length:
                writer.write(await reader.readexactly(length))
            await writer.drain()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


@dataclass
class Stack:
    azurite: AzuriteProcess
    graph: ChildProcess
    recruit: ChildProcess
    devhost: ChildProcess
    endpoints: Endpoints  # where the benchmark itself reaches each part (the Graph emulator directly)
    wire: WireCounter | None = None  # between the dev host and the Graph emulator, when asked for
    profiled: bool = False  # the dev host runs under cProfile

    @property
    def devhost_pid(self) -> int:
        assert self.devhost.process is not None
        return self.devhost.process.pid

    def stop(self) -> None:
        if self.profiled and self.devhost.process and self.devhost.process.poll() is None:
            # cProfile writes its statistics on the way out, which takes longer than ChildProcess allows.
            self.devhost.process.terminate()
            self.devhost.process.wait(180)
        for child in (self.devhost, self.recruit, self.graph):
            child.stop()
        self.azurite.stop()
        if self.wire:
            self.wire.stop()


def start_stack(
    workdir: Path,
    extra_env: dict[str, str],
    count_wire: bool = False,
    users: int = 1,
    profile_to: Path | None = None,
) -> Stack:
    """Azurite, both emulators and the dev host (with `extra_env` on top of the product settings).

    `users` > 1 seeds that many SSO users in the first org (`bench_users`); `profile_to` runs the dev host
    under cProfile, which writes its statistics there when the stack stops."""
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
    recruit_args = ["--port", str(ports["recruit"])]
    if users > 1:
        graph_seed, recruit_seed = write_seeds(workdir, bench_users(users))
        graph_args += ["--seed", str(graph_seed)]
        recruit_args += ["--seed", str(recruit_seed)]
    graph = ChildProcess(
        "graph emulator", ["-m", "local.emulators.graph", *graph_args], workdir / "graph.log"
    )
    recruit = ChildProcess(
        "recruit emulator", ["-m", "local.emulators.recruit", *recruit_args], workdir / "recruit.log"
    )
    wire = WireCounter(ports["graph"]) if count_wire else None
    product_endpoints = endpoints
    if wire:
        product_endpoints = Endpoints(**{**endpoints.__dict__, "graph_base_url": wire.base_url})
    env = product_environment(product_endpoints, LocalSecrets.generate(), table_prefix="bench") | extra_env
    profiler = ["-m", "cProfile", "-o", str(profile_to)] if profile_to else []
    devhost = ChildProcess(
        "dev host",
        [*profiler, "-m", "local.devhost", "--port", str(ports["devhost"])],
        workdir / "devhost.log",
        env,
    )
    stack = Stack(azurite, graph, recruit, devhost, endpoints, wire, profiled=profile_to is not None)
    try:
        if wire:
            wire.start()
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


def emulator_token(base_url: str, email: str = EMAIL) -> str:
    """An access token for `email` from an emulator's control API (acting as that user)."""
    answer = httpx.post(f"{base_url}/_emulator/token", json={"user": email}, trust_env=False)
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def sign_in_and_enable(devhost_url: str, kind: str, email: str = EMAIL) -> httpx.Client:
    """Sign in with Zoho as an SSO user and press Enable for `kind` ("calendar" or "contacts")."""
    browser = httpx.Client(base_url=devhost_url, trust_env=False, timeout=60, follow_redirects=True)
    browser.get("/api/auth/zoho/start", params={"login_hint": email}).raise_for_status()
    answer = browser.post(f"/api/sync/{kind}/enable", headers={"X-CSRF-Token": browser.cookies["csrf"]})
    if answer.status_code != 202:
        raise RuntimeError(
            f"enable answered {answer.status_code}: {answer.text[:200]} (is {email} an SSO user?)"
        )
    return browser


def wait_until_active(
    browser: httpx.Client, kind: str, timeout: float, quiet: bool = False
) -> dict[str, Any]:
    """Polls /api/me until `kind` is active, printing progress as it moves (unless `quiet`)."""
    deadline = time.monotonic() + timeout
    last_done = -1
    while time.monotonic() < deadline:
        status = browser.get("/api/me").json()[kind]
        if status["status"] == "active":
            return dict(status)
        if status["status"] in ("error", "disabled"):
            raise RuntimeError(f"{kind} sync stopped: {status}")
        done = int((status.get("progress") or {}).get("done") or 0)
        if done != last_done and not quiet:
            total = (status.get("progress") or {}).get("total")
            print(f"  {status['status']}: {done} of {total}", flush=True)
            last_done = done
        time.sleep(POLL_SECONDS)
    raise RuntimeError(f"{kind} sync not active within {timeout:.0f} s")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its waited-for children, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def stats(base_url: str) -> dict[str, Any]:
    return dict(httpx.get(f"{base_url}/_emulator/stats", trust_env=False).json())


def delta(after: dict[str, int], before: dict[str, int], marker: str) -> dict[str, int]:
    """Per-template request counts added between two stats snapshots, for templates containing `marker`."""
    return {
        key: n - before.get(key, 0) for key, n in after.items() if marker in key and n - before.get(key, 0)
    }


def graph_operations(after: dict[str, Any], before: dict[str, Any]) -> tuple[int, int]:
    """(operations, `$batch` calls) between two Graph stats snapshots; the emulator counts each `$batch`
    item under its own template as well as the `$batch` itself, so operations leaves the envelopes out."""
    calls = delta(after["requests"], before["requests"], "/v1.0/")
    batches = calls.get("POST /v1.0/$batch", 0)
    return sum(calls.values()) - batches, batches


def recruit_credits(after: dict[str, Any], before: dict[str, Any]) -> int:
    """Recruit API requests between two stats snapshots: the emulator charges one credit for each."""
    return sum(delta(after["requests"], before["requests"], "/recruit/v2/").values())


def wait_until_idle(base_urls: list[str], quiet_seconds: float, timeout: float) -> float:
    """Waits until no emulator in `base_urls` has counted a request for `quiet_seconds` (the dev host has
    nothing left to do); returns the monotonic time of the last request seen (to 0.25 s)."""
    deadline = time.monotonic() + timeout

    def total() -> int:
        return sum(sum(stats(url)["requests"].values()) for url in base_urls)

    last, since = total(), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now_total = total()
        if now_total != last:
            last, since = now_total, time.monotonic()
        elif time.monotonic() - since >= quiet_seconds:
            return since
    raise RuntimeError(f"the stack did not fall idle within {timeout:.0f} s")


def container_names(
    graph_url: str,
    mailbox_token: str,
    containers: str,
    name_field: str,
    name: str,
    items: str,
    item_field: str,
) -> list[str]:
    """`item_field` of every item in the signed-in mailbox's container named `name`, paging through them, e.g.
    `container_names(url, token, "calendars", "name", "Zoho Recruit", "events", "subject")`."""
    headers = {"Authorization": f"Bearer {mailbox_token}"}
    with httpx.Client(base_url=f"{graph_url}/v1.0/me", headers=headers, trust_env=False, timeout=60) as http:
        found = http.get(f"/{containers}").json()["value"]
        [container] = [c for c in found if c[name_field] == name]
        url: str | None = f"/{containers}/{container['id']}/{items}?$top=1000&$select=id,{item_field}"
        names: list[str] = []
        while url:
            page = http.get(url).json()
            names.extend(str(item.get(item_field)) for item in page["value"])
            url = page.get("@odata.nextLink")
        return names


# --- more users of the seeded org ---------------------------------------------------------------------------


def bench_users(count: int) -> list[str]:
    """Alice, then `count - 1` made-up SSO users of Contoso (the tenant with admin consent) in Acme's org."""
    return [EMAIL] + [f"bench{n:02d}@contoso.example" for n in range(2, count + 1)]


def write_seeds(workdir: Path, emails: list[str]) -> tuple[Path, Path]:
    """Copies of both emulators' seeds with the users of `emails` that they lack added to Contoso's tenant
    and to the first Recruit org ("Acme Recruiting"), as `.local/demo.json` pairs them: by e-mail. The seeds
    are ours (local/seed/), so this adds users the way the seed files hold them, without records."""
    graph_seed, recruit_seed = json.loads(GRAPH_SEED.read_text()), json.loads(RECRUIT_SEED.read_text())
    [tenant] = [t for t in graph_seed["tenants"] if t["domain"] == "contoso.example"]
    org = recruit_seed["orgs"][0]
    known = {user["mail"] for user in tenant["users"]}
    for n, email in enumerate(emails):
        if email in known:
            continue
        name = email.split("@")[0].capitalize()
        tenant["users"].append(
            {
                "id": f"be9c0000-0000-4000-8000-{n:012d}",
                "displayName": f"{name} Bench",
                "givenName": name,
                "surname": "Bench",
                "mail": email,
                "timeZone": "UTC",
            }
        )
        org["users"].append(
            {
                "key": name.lower(),
                "id": str(461233000000290000 + n),
                "zuid": str(70029000 + n),
                "email": email,
                "full_name": f"{name} Bench",
                "time_zone": "UTC",
                "role": "Recruiter",
                "profile": "Standard",
            }
        )
    graph_path, recruit_path = workdir / "graph-seed.json", workdir / "recruit-seed.json"
    graph_path.write_text(json.dumps(graph_seed))
    recruit_path.write_text(json.dumps(recruit_seed))
    return graph_path, recruit_path


# --- figures ------------------------------------------------------------------------------------------------


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM in /proc/<pid>/status), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def load_average() -> list[float]:
    """The machine's 1, 5 and 15 minute load averages (what `uptime` shows), to note with each figure."""
    return [round(value, 2) for value in os.getloadavg()]


def emit(figures: dict[str, Any]) -> None:
    """The benchmark's last line: its figures as one JSON object (issue 16), for scripts to collect."""
    print(json.dumps(figures, sort_keys=False), flush=True)


@dataclass(frozen=True)
class Budget:
    """A per-mailbox Graph budget the emulator enforces: `requests` per `window_s` seconds, `concurrent` at
    once. Outlook's own (Graph's throttling-limits page, "Outlook service limits"): 10,000 requests per 10
    minutes and 4 concurrent per app and mailbox."""

    requests: int
    window_s: float
    concurrent: int = OUTLOOK_CONCURRENCY

    def apply(self, graph_url: str) -> None:
        policy = {
            "requests_per_window": self.requests,
            "window_seconds": self.window_s,
            "max_concurrent": self.concurrent,
        }
        httpx.post(f"{graph_url}/_emulator/throttle", json=policy, trust_env=False).raise_for_status()

    def used_pct(self, operations: int, mailboxes: int, wall_s: float) -> float:
        """Operations as a share of what the budget allowed the mailboxes over `wall_s`."""
        allowed = self.requests * mailboxes * wall_s / self.window_s
        return round(100 * operations / allowed, 1)


def parse_budget(text: str) -> Budget:
    """`REQUESTS/SECONDS[/CONCURRENT]`, e.g. `1000/30/4`."""
    parts = text.split("/")
    if len(parts) not in (2, 3):
        raise argparse.ArgumentTypeError("give REQUESTS/SECONDS or REQUESTS/SECONDS/CONCURRENT")
    try:
        return Budget(int(parts[0]), float(parts[1]), int(parts[2]) if len(parts) == 3 else 4)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


# --- the initial-sync benchmarks ----------------------------------------------------------------------------


@dataclass(frozen=True)
class InitialSyncKind:
    """What an initial-sync benchmark needs to know of its kind."""

    kind: str  # "calendar" or "contacts", as in /api/sync/{kind}/enable
    bench: str  # the benchmark's name in its JSON line
    item: str  # "event", "contact"
    environment: Callable[[int], dict[str, str]]  # items per user -> dev host settings
    seed: Callable[[str, str, int], None]  # (recruit_url, owner e-mail, count)
    container: tuple[str, str, str, str, str]  # container_names' (containers, name_field, name, items, field)
    # Whether the run ends when the dev host falls idle after `active` (the calendar's baseline pass comes
    # after it) rather than at `active`.
    until_idle: bool


IDLE_SECONDS = 3.0  # longer than the dev host's longest queue poll interval (host.json)


def initial_sync_arguments(parser: argparse.ArgumentParser, items_flag: str, default: int) -> None:
    parser.add_argument(items_flag, dest="items", type=int, default=default, help="items per user")
    parser.add_argument("--users", type=int, default=1, help="users enabling at the same moment")
    parser.add_argument("--throttle", action="store_true", help="enforce Outlook's per-mailbox limits")
    parser.add_argument("--time-scale", type=float, default=20.0, help="throttle window = 600 s / this")
    parser.add_argument(
        "--budget",
        type=parse_budget,
        help="enforce a binding per-mailbox budget instead, REQUESTS/SECONDS[/CONCURRENT], e.g. 1000/30",
    )
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument("--profile", type=Path, help="write the dev host's cProfile statistics here")


@dataclass
class UserRun:
    email: str
    seconds_to_active: float = 0.0
    planned: int = 0
    error: str = ""
    names: list[str] = field(default_factory=list)


def _enable_and_wait(
    devhost_url: str, kind: str, run: UserRun, start: threading.Barrier, timeout: float, quiet: bool
) -> None:
    try:
        browser = httpx.Client(base_url=devhost_url, trust_env=False, timeout=60, follow_redirects=True)
        browser.get("/api/auth/zoho/start", params={"login_hint": run.email}).raise_for_status()
        start.wait(60)
        began = time.monotonic()
        answer = browser.post(f"/api/sync/{kind}/enable", headers={"X-CSRF-Token": browser.cookies["csrf"]})
        if answer.status_code != 202:
            raise RuntimeError(f"enable answered {answer.status_code}: {answer.text[:200]}")
        final = wait_until_active(browser, kind, timeout, quiet=quiet)
        run.seconds_to_active = time.monotonic() - began
        run.planned = int((final.get("progress") or {}).get("total") or 0)
    except Exception as error:  # one user's failure is reported with the others' figures
        run.error = f"{type(error).__name__}: {error}"


def run_initial_sync(spec: InitialSyncKind, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """Seeds each user's items, enables all users at the same moment, waits for all to be active (and for
    the stack to fall idle when `spec.until_idle`), checks every user's container, prints the figures and
    returns them as the JSON line's dict."""
    emails = bench_users(args.users)
    env = spec.environment(args.items)
    stack = start_stack(workdir, env, count_wire=True, users=args.users, profile_to=args.profile)
    assert stack.wire is not None
    runs = [UserRun(email) for email in emails]
    budget: Budget | None = args.budget
    if budget is None and args.throttle:
        budget = Budget(OUTLOOK_REQUESTS_PER_WINDOW, OUTLOOK_WINDOW_SECONDS / args.time_scale)
    try:
        graph_url, recruit_url = stack.endpoints.graph_base_url, stack.endpoints.recruit_base_url
        print(f"seeding {args.items} {spec.item}s for each of {len(emails)} users ...", flush=True)
        for email in emails:
            spec.seed(recruit_url, email, args.items)
        if budget:
            budget.apply(graph_url)
        graph_before, recruit_before = stats(graph_url), stats(recruit_url)
        wire_before = stack.wire.requests
        cpu_before = cpu_seconds(stack.devhost_pid)
        start = threading.Barrier(len(runs) + 1)
        with ThreadPoolExecutor(len(runs)) as pool:
            for run in runs:
                pool.submit(
                    _enable_and_wait,
                    stack.endpoints.public_base_url,
                    spec.kind,
                    run,
                    start,
                    args.timeout,
                    len(runs) > 1,
                )
            start.wait(120)
            started = time.monotonic()
        wall = time.monotonic() - started
        if spec.until_idle:
            wall = wait_until_idle([graph_url, recruit_url], IDLE_SECONDS, args.timeout) - started
        cpu = cpu_seconds(stack.devhost_pid) - cpu_before
        rss = peak_rss_mb(stack.devhost_pid)
        graph_after, recruit_after = stats(graph_url), stats(recruit_url)
        http_requests = stack.wire.requests - wire_before
        for run in runs:
            run.names = container_names(graph_url, emulator_token(graph_url, run.email), *spec.container)
    finally:
        stack.stop()
    return _initial_sync_figures(spec, args, budget, runs, wall, cpu, rss, http_requests,
                                 graph_before, graph_after, recruit_before, recruit_after)  # fmt: skip


def _initial_sync_figures(
    spec: InitialSyncKind,
    args: argparse.Namespace,
    budget: Budget | None,
    runs: list[UserRun],
    wall: float,
    cpu: float,
    rss: float,
    http_requests: int,
    graph_before: dict[str, Any],
    graph_after: dict[str, Any],
    recruit_before: dict[str, Any],
    recruit_after: dict[str, Any],
) -> dict[str, Any]:
    operations, batches = graph_operations(graph_after, graph_before)
    credits = recruit_credits(recruit_after, recruit_before)
    throttled = int(graph_after["throttled"] - graph_before["throttled"])
    synced = sum(run.planned or len(set(run.names)) for run in runs)
    failed = sum(max(0, run.planned - len(set(run.names))) + bool(run.error) for run in runs)
    duplicates = sum(len(run.names) - len(set(run.names)) for run in runs)
    to_active = sorted(run.seconds_to_active for run in runs if not run.error)
    item = spec.item
    print()
    for run in runs:
        if run.error:
            print(f"  {run.email}: FAILED {run.error}")
    copied, distinct = sum(len(r.names) for r in runs), sum(len(set(r.names)) for r in runs)
    print(f"{item}s planned / copied / distinct: {synced} / {copied} / {distinct}")
    print(f"  ({args.items} made per user, {len(runs)} users)")
    print(f"wall time:                        {wall:.1f} s")
    if to_active:
        print(f"time to active, median / slowest: {statistics.median(to_active):.1f} / {to_active[-1]:.1f} s")
    print(f"throughput:                       {synced / wall:.1f} {item}s/s")
    print(f"Graph HTTP requests per {item}:    {http_requests / synced:.3f}  ({http_requests} in all)")
    print(f"Graph operations per {item}:       {operations / synced:.3f}  ({operations}; {batches} $batch)")
    print(f"Recruit credits per {item}:        {credits / synced:.3f}  ({credits} in all)")
    print(f"dev host CPU per {item}:           {cpu / synced * 1000:.2f} ms  ({cpu:.1f} s in all)")
    print(f"dev host peak RSS:                {rss:.0f} MB")
    print(f"failed / duplicates / 429s:       {failed} / {duplicates} / {throttled}")
    used = None
    if budget:
        used = budget.used_pct(operations, len(runs), wall)
        print(f"Graph budget used:                {used:.1f} % of {budget.requests} per {budget.window_s:g} s"
              f" per mailbox ({operations / wall / len(runs):.1f} operations/s per mailbox)")  # fmt: skip
    print_breakdown("Graph operations", delta(graph_after["requests"], graph_before["requests"], "/v1.0/"))
    print_breakdown(
        "Recruit requests", delta(recruit_after["requests"], recruit_before["requests"], "/recruit/")
    )
    return {
        "bench": spec.bench,
        "items": synced,
        "users": len(runs),
        "wall_s": round(wall, 2),
        "items_per_s": round(synced / wall, 2),
        "graph_http_per_item": round(http_requests / synced, 4),
        "graph_ops_per_item": round(operations / synced, 4),
        "recruit_credits_per_item": round(credits / synced, 4),
        "cpu_ms_per_item": round(cpu / synced * 1000, 3),
        "rss_mb": round(rss, 1),
        "failed": failed,
        "duplicates": duplicates,
        "throttled": throttled,
        "budget_used_pct": used,
        "budget": None if budget is None else f"{budget.requests}/{budget.window_s:g}/{budget.concurrent}",
        "time_to_active_median_s": round(statistics.median(to_active), 2) if to_active else None,
        "time_to_active_slowest_s": round(to_active[-1], 2) if to_active else None,
        "load_average": load_average(),
    }


def print_breakdown(title: str, counts: dict[str, int]) -> None:
    print(f"{title} by route:")
    for route, count in sorted(counts.items(), key=lambda pair: -pair[1]):
        print(f"  {count:7d}  {route}")
