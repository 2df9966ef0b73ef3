"""With APPLICATIONINSIGHTS_CONNECTION_STRING set, pass telemetry reaches Application Insights' ingestion API
(here a local stand-in) as a request with its dimensions and as custom metrics; without it nothing loads."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from sync_core import telemetry_setup
from sync_core.config import Settings
from sync_core.engine import telemetry

ROOT = Path(__file__).resolve().parents[3]
INSTRUMENTATION_KEY = "00000000-0000-0000-0000-0000000000a1"


class Ingestion:
    """Application Insights' track endpoint: accepts every envelope and keeps it."""

    def __init__(self) -> None:
        self.envelopes: list[dict[str, Any]] = []
        self.paths: list[str] = []
        ingestion = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                received = json.loads(body)
                ingestion.paths.append(self.path)
                ingestion.envelopes += received
                answer = json.dumps(
                    {"itemsReceived": len(received), "itemsAccepted": len(received), "errors": []}
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.connection_string = (
            f"InstrumentationKey={INSTRUMENTATION_KEY};"
            f"IngestionEndpoint=http://127.0.0.1:{self.server.server_port}/"
        )

    def of_type(self, base_type: str) -> list[dict[str, Any]]:
        return [
            e["data"]["baseData"] | {"tags": e["tags"]}
            for e in self.envelopes
            if e["data"]["baseType"] == base_type
        ]


@pytest.fixture
def ingestion(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Ingestion]:
    # The exporter keeps unsent telemetry in a folder under the temp directory: the test's own, not /tmp.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    # The exporter's own usage reports and remote configuration would call Microsoft; nothing here may.
    monkeypatch.setenv("APPLICATIONINSIGHTS_STATSBEAT_DISABLED_ALL", "true")
    monkeypatch.setenv("APPLICATIONINSIGHTS_SDKSTATS_DISABLED", "true")
    monkeypatch.setenv("APPLICATIONINSIGHTS_CONTROLPLANE_DISABLED", "true")
    server = Ingestion()
    thread = threading.Thread(target=server.server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Telemetry as a new process finds it: not configured yet; restored afterwards."""
    monkeypatch.setattr(telemetry_setup, "_configured", False)
    monkeypatch.setattr(telemetry_setup, "_providers", None)
    monkeypatch.setattr(telemetry, "_chosen", None)
    yield
    providers = telemetry_setup._providers
    if providers is not None:
        providers.tracer_provider.shutdown()  # type: ignore[attr-defined]
        providers.meter_provider.shutdown()  # type: ignore[attr-defined]


def _flush(providers: telemetry_setup.TelemetryProviders | None) -> None:
    assert providers is not None
    assert providers.tracer_provider.force_flush()  # type: ignore[attr-defined]
    assert providers.meter_provider.force_flush()  # type: ignore[attr-defined]


def test_a_pass_reaches_application_insights_as_one_request_with_its_dimensions(
    ingestion: Ingestion, fresh_process: None
) -> None:
    settings = Settings(applicationinsights_connection_string=ingestion.connection_string)
    with telemetry.sync_pass(settings, "874920001:4000000012345", "calendar", "recruit_notification"):
        telemetry.record_outcome(Counter(graph_created=2))
    _flush(telemetry_setup.configure(settings))

    [request] = ingestion.of_type("RequestData")
    assert request["name"] == "sync.pass"
    assert request["success"] is True
    assert request["properties"] == {
        "sync.connection": "874920001:4000000012345",
        "sync.kind": "calendar",
        "sync.reason": "recruit_notification",
        "sync.count.graph_created": "2",
    }
    assert request["tags"]["ai.operation.name"] == "sync.pass"
    assert request["tags"]["ai.cloud.role"] == telemetry_setup.SERVICE_NAME
    assert set(ingestion.paths) == {"/v2.1/track"}


def test_pass_counters_reach_application_insights_as_custom_metrics(
    ingestion: Ingestion, fresh_process: None
) -> None:
    settings = Settings(applicationinsights_connection_string=ingestion.connection_string)
    with telemetry.sync_pass(settings, "874920001:4000000012345", "contacts", "sweep"):
        telemetry.record_outcome(Counter(recruit_updated=3, failed=1))
    _flush(telemetry_setup.configure(settings))

    metrics = {
        (metric["metrics"][0]["name"], tuple(sorted(metric["properties"].items()))): metric["metrics"][0][
            "value"
        ]
        for metric in ingestion.of_type("MetricData")
        if metric["metrics"][0]["name"].startswith("sync.")  # beside the exporter's own resource metric
    }
    assert metrics == {
        (
            "sync.items.written",
            (("action", "update"), ("direction", "to_recruit"), ("sync.kind", "contacts")),
        ): 3,
        ("sync.failures", (("failure", "item"), ("sync.kind", "contacts"))): 1,
        ("sync.passes", (("outcome", "ok"), ("sync.kind", "contacts"), ("sync.reason", "sweep"))): 1,
    }


def test_the_first_configuration_holds_for_the_whole_process(
    ingestion: Ingestion, fresh_process: None
) -> None:
    first = telemetry_setup.configure(
        Settings(applicationinsights_connection_string=ingestion.connection_string)
    )
    assert first is not None
    assert telemetry_setup.configure(Settings(applicationinsights_connection_string="")) is first


def test_without_a_connection_string_a_pass_loads_no_exporter() -> None:
    # A fresh interpreter: other tests in this process may have imported the exporter already.
    script = """
import sys
from collections import Counter
from sync_core import telemetry_setup
from sync_core.config import Settings
from sync_core.engine.sync_pass import reconcile
from sync_core.engine import telemetry
settings = Settings(applicationinsights_connection_string="")
with telemetry.sync_pass(settings, "874920001:1", "calendar", "sweep"):
    telemetry.record_outcome(Counter(graph_created=1))
assert telemetry_setup.configure(settings) is None
loaded = sorted(name for name in sys.modules if name.startswith(("azure.monitor", "opentelemetry.sdk")))
print(loaded)
"""
    environment = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
