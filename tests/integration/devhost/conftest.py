"""A dev host subprocess running the sample app against the session's Azurite, shared by the devhost tests.

Waiting helpers poll a condition until a deadline instead of sleeping a fixed time.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest

from local.azurite import AzuriteProcess
from local.emulators.kit.serve import free_port
from tests.fixtures.polling import poll

ROOT = Path(__file__).resolve().parents[3]
SAMPLE_APP = "tests.integration.devhost.sample_app:app"
MAX_DEQUEUE_COUNT = 4  # not the default 5, so the test shows host.json is read
BATCH_SIZE, NEW_BATCH_THRESHOLD = 4, 2
T = TypeVar("T")


@dataclass
class DevHost:
    folder: Path
    connection_string: str
    port: int = field(default_factory=free_port)
    sample_queue: str = field(default_factory=lambda: f"ok-{uuid.uuid4().hex[:8]}")
    failing_queue: str = field(default_factory=lambda: f"fails-{uuid.uuid4().hex[:8]}")
    slow_queue: str = field(default_factory=lambda: f"slow-{uuid.uuid4().hex[:8]}")
    process: subprocess.Popen[bytes] | None = None
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.folder / "devhost.log"

    @property
    def records_path(self) -> Path:
        return self.folder / "records.jsonl"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8") if self.log_path.exists() else ""

    def records(self, function: str) -> list[dict[str, Any]]:
        if not self.records_path.exists():
            return []
        lines = self.records_path.read_text(encoding="utf-8").splitlines()
        return [entry for entry in map(json.loads, lines) if entry["function"] == function]

    def start(self) -> DevHost:
        host_json = self.folder / "host.json"
        queues = {
            "maxPollingInterval": "00:00:00.500",
            "visibilityTimeout": "00:00:00",
            "maxDequeueCount": MAX_DEQUEUE_COUNT,
            "batchSize": BATCH_SIZE,
            "newBatchThreshold": NEW_BATCH_THRESHOLD,
        }
        host_json.write_text(json.dumps({"version": "2.0", "extensions": {"queues": queues}}))
        env = {
            **os.environ,
            "AzureWebJobsStorage": self.connection_string,
            "DEVHOST_SAMPLE_RECORDS": str(self.records_path),
            "SAMPLE_QUEUE": self.sample_queue,
            "FAILING_QUEUE": self.failing_queue,
            "SLOW_QUEUE": self.slow_queue,
            **self.extra_env,
        }
        command = [sys.executable, "-m", "local.devhost", "--app", SAMPLE_APP, "--host-json", str(host_json)]
        with self.log_path.open("wb") as log_file:
            self.process = subprocess.Popen(
                [*command, "--port", str(self.port), "--grace", "2"],
                cwd=ROOT,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        poll(self._listening, what="the dev host to listen", seconds=30)
        return self

    def _listening(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"dev host exited early:\n{self.log()}")
        return f"devhost: listening on {self.base_url}" in self.log()

    def stop(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise


@pytest.fixture(scope="session")
def devhost(azurite: AzuriteProcess, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevHost]:
    host = DevHost(tmp_path_factory.mktemp("devhost"), azurite.connection_string).start()
    yield host
    host.stop()
