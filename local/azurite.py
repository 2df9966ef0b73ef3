"""Starts Azurite (the npm storage emulator) as a child process, for `make run` and the tests."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AZURITE_BIN = ROOT / "node_modules" / ".bin" / "azurite"

# Azurite's documented development account; not a secret.
ACCOUNT = "devstoreaccount1"
ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="


def connection_string(blob_port: int, queue_port: int, table_port: int) -> str:
    base = "http://127.0.0.1"
    return (
        f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT};AccountKey={ACCOUNT_KEY};"
        f"BlobEndpoint={base}:{blob_port}/{ACCOUNT};QueueEndpoint={base}:{queue_port}/{ACCOUNT};"
        f"TableEndpoint={base}:{table_port}/{ACCOUNT};"
    )


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class AzuriteProcess:
    data_dir: Path
    blob_port: int = 10000
    queue_port: int = 10001
    table_port: int = 10002
    in_memory: bool = False
    # In its own session, a terminal's Ctrl-C does not reach it: the runner stops it last (local/run.py).
    own_session: bool = False
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)

    @property
    def connection_string(self) -> str:
        return connection_string(self.blob_port, self.queue_port, self.table_port)

    def start(self, timeout: float = 30.0) -> AzuriteProcess:
        if not AZURITE_BIN.exists():
            raise RuntimeError(f"{AZURITE_BIN} is missing: run `npm ci` (make does)")
        busy = [p for p in (self.blob_port, self.queue_port, self.table_port) if _port_open(p)]
        if busy:
            raise RuntimeError(f"ports {busy} are already in use: is another Azurite running?")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        args = [
            str(AZURITE_BIN),
            "--silent",
            "--skipApiVersionCheck",
            "--blobHost", "127.0.0.1", "--blobPort", str(self.blob_port),
            "--queueHost", "127.0.0.1", "--queuePort", str(self.queue_port),
            "--tableHost", "127.0.0.1", "--tablePort", str(self.table_port),
        ]  # fmt: skip
        args += ["--inMemoryPersistence"] if self.in_memory else ["--location", str(self.data_dir)]
        log = (self.data_dir / "azurite.log").open("ab")
        self.process = subprocess.Popen(
            args, stdout=log, stderr=subprocess.STDOUT, cwd=self.data_dir, start_new_session=self.own_session
        )
        deadline = time.monotonic() + timeout
        while not all(_port_open(p) for p in (self.blob_port, self.queue_port, self.table_port)):
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"Azurite exited with {self.process.returncode}; see {self.data_dir}/azurite.log"
                )
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("Azurite did not open its ports in time")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            # In memory there is nothing to flush, and a graceful stop waits ~10 s on idle keep-alive clients.
            if self.in_memory:
                self.process.kill()
            else:
                self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None

    def wipe(self) -> None:
        shutil.rmtree(self.data_dir, ignore_errors=True)
