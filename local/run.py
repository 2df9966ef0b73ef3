"""`make run`: Azurite, both emulators and the dev host with demo data; Ctrl-C stops them all.

Ports are DESIGN.md's defaults; each can be moved with an environment variable (DEVHOST_PORT, GRAPH_PORT,
GRAPH_TLS_PORT, RECRUIT_PORT, RECRUIT_CA_PORT, AZURITE_BLOB_PORT/QUEUE_PORT/TABLE_PORT). The Recruit emulator
plays the Canadian data centre strictly on RECRUIT_CA_PORT (7083), the others on RECRUIT_PORT.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from types import FrameType
from typing import Protocol

from local.azurite import AzuriteProcess
from local.demo import demo_document, sso_tenants_setting
from local.stack import (
    LOCAL_DATA_CENTRE_PORTS,
    ROOT,
    ChildProcess,
    Endpoints,
    LocalSecrets,
    product_environment,
    recruit_emulator_args,
    wait_for_http,
)

STATE_DIR = ROOT / ".local"


def _port(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def main() -> int:
    devhost_port = _port("DEVHOST_PORT", 7071)
    graph_port, graph_tls_port = _port("GRAPH_PORT", 7081), _port("GRAPH_TLS_PORT", 7444)
    recruit_port = _port("RECRUIT_PORT", 7082)
    dc_ports = {
        location: _port(f"RECRUIT_{location.upper()}_PORT", port)
        for location, port in LOCAL_DATA_CENTRE_PORTS.items()
    }
    azurite = AzuriteProcess(
        STATE_DIR / "azurite",
        _port("AZURITE_BLOB_PORT", 10000),
        _port("AZURITE_QUEUE_PORT", 10001),
        _port("AZURITE_TABLE_PORT", 10002),
        own_session=True,
    )
    endpoints = Endpoints(
        storage_connection_string=azurite.connection_string,
        graph_base_url=f"http://127.0.0.1:{graph_port}",
        graph_tls_host=f"127.0.0.1:{graph_tls_port}",
        graph_ca_file=STATE_DIR / "tls" / "ca.pem",
        recruit_base_url=f"http://127.0.0.1:{recruit_port}",
        public_base_url=f"http://127.0.0.1:{devhost_port}",
        recruit_data_centres={location: f"http://127.0.0.1:{port}" for location, port in dc_ports.items()},
    )
    env = product_environment(endpoints, LocalSecrets.load_or_create(STATE_DIR / "secrets.json"))
    env["SSO_TENANTS"] = sso_tenants_setting()
    logs = STATE_DIR / "logs"
    children = [
        ChildProcess(
            "graph emulator",
            ["-m", "local.emulators.graph", "--port", str(graph_port), "--tls-port", str(graph_tls_port),
             "--tls-dir", str(STATE_DIR / "tls"), "--seed", str(ROOT / "local/seed/graph.json")],
            logs / "graph.log",
            own_session=True,
        ),
        ChildProcess(
            "recruit emulator",
            recruit_emulator_args(recruit_port, dc_ports),
            logs / "recruit.log",
            own_session=True,
        ),
        ChildProcess("dev host", ["-m", "local.devhost", "--port", str(devhost_port)],
                     logs / "devhost.log", env, own_session=True),
    ]  # fmt: skip

    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        print("starting Azurite ...", flush=True)
        azurite.start()
        for child in children[:2]:
            print(f"starting the {child.name} ...", flush=True)
            child.start()
        wait_for_http(f"{endpoints.graph_base_url}/_emulator/stats", 60, children[0].process)
        for recruit_base in [endpoints.recruit_base_url, *endpoints.recruit_data_centres.values()]:
            wait_for_http(f"{recruit_base}/_emulator/stats", 60, children[1].process)
        (STATE_DIR / "demo.json").write_text(json.dumps(demo_document(), indent=2))
        print("starting the dev host ...", flush=True)
        children[2].start()
        wait_for_http(f"{endpoints.public_base_url}/api/health", 90, children[2].process)
        print(f"\nManage page: {endpoints.public_base_url}/api/ui", flush=True)
        print(f"Demo users:  {STATE_DIR / 'demo.json'}   Logs: {logs}", flush=True)
        print("Ctrl-C stops everything.", flush=True)
        while not stopping:
            for child in children:
                if child.process is None or child.process.poll() is not None:
                    print(f"the {child.name} stopped; see {child.log_path}", file=sys.stderr)
                    return 1
            time.sleep(0.5)
        return 0
    except RuntimeError as exc:
        print(f"make run failed: {exc}", file=sys.stderr)
        return 1
    finally:
        print("stopping ...", flush=True)
        stop_in_order([children[2], children[0], children[1], azurite])


class Stoppable(Protocol):
    def stop(self) -> None: ...


def stop_in_order(parts: list[Stoppable]) -> None:
    """Stops each part, waiting for it, before the next: the dev host first, so a teardown it is carrying out
    still reaches storage and the emulators; Azurite last. The children run in their own sessions, so a
    terminal's Ctrl-C reaches only this process and cannot stop Azurite under the dev host's feet."""
    for part in parts:
        part.stop()


if __name__ == "__main__":
    sys.exit(main())
