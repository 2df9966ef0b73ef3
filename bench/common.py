"""What the benchmarks share: the whole local stack on free ports, signing in as a user, waiting for a sync to
become active, and reading the emulators' request counters, the wire and the dev host's CPU time.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from local.azurite import AzuriteProcess
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

    @property
    def devhost_pid(self) -> int:
        assert self.devhost.process is not None
        return self.devhost.process.pid

    def stop(self) -> None:
        for child in (self.devhost, self.recruit, self.graph):
            child.stop()
        self.azurite.stop()
        if self.wire:
            self.wire.stop()


def start_stack(workdir: Path, extra_env: dict[str, str], count_wire: bool = False) -> Stack:
    """Azurite, both emulators and the dev host (with `extra_env` on top of the product settings)."""
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
    wire = WireCounter(ports["graph"]) if count_wire else None
    product_endpoints = endpoints
    if wire:
        product_endpoints = Endpoints(**{**endpoints.__dict__, "graph_base_url": wire.base_url})
    env = product_environment(product_endpoints, LocalSecrets.generate(), table_prefix="bench") | extra_env
    devhost = ChildProcess(
        "dev host", ["-m", "local.devhost", "--port", str(ports["devhost"])], workdir / "devhost.log", env
    )
    stack = Stack(azurite, graph, recruit, devhost, endpoints, wire)
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


def throttle_graph(graph_url: str, time_scale: float) -> float:
    """Makes the Graph emulator enforce Outlook's per-mailbox limits; returns the scaled window in seconds."""
    window = OUTLOOK_WINDOW_SECONDS / time_scale
    policy = {
        "requests_per_window": OUTLOOK_REQUESTS_PER_WINDOW,
        "window_seconds": window,
        "max_concurrent": OUTLOOK_CONCURRENCY,
    }
    httpx.post(f"{graph_url}/_emulator/throttle", json=policy, trust_env=False).raise_for_status()
    return window


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


def container_size(
    graph_url: str, mailbox_token: str, containers: str, name_field: str, name: str, items: str
) -> int:
    """How many items the signed-in mailbox's container named `name` holds, paging through them, e.g.
    `container_size(url, token, "calendars", "name", "Zoho Recruit", "events")`."""
    headers = {"Authorization": f"Bearer {mailbox_token}"}
    with httpx.Client(base_url=f"{graph_url}/v1.0/me", headers=headers, trust_env=False, timeout=60) as http:
        found = http.get(f"/{containers}").json()["value"]
        [container] = [c for c in found if c[name_field] == name]
        url: str | None = f"/{containers}/{container['id']}/{items}?$top=1000&$select=id"
        count = 0
        while url:
            page = http.get(url).json()
            count += len(page["value"])
            url = page.get("@odata.nextLink")
        return count
