"""Pass telemetry captured in memory: OTel SDK providers with an in-memory span exporter and metric reader,
installed for one test through `telemetry.use_providers` and removed after it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from sync_core.engine import telemetry
from sync_core.telemetry_setup import TelemetryProviders

Dimensions = frozenset[tuple[str, str]]


@dataclass
class CapturedTelemetry:
    exporter: InMemorySpanExporter
    reader: InMemoryMetricReader

    def spans(self) -> list[ReadableSpan]:
        return list(self.exporter.get_finished_spans())

    def counter(self, name: str) -> dict[Dimensions, int]:
        """The counter's totals so far, by their dimensions."""
        totals: dict[Dimensions, int] = {}
        data = self.reader.get_metrics_data()
        for resource_metrics in data.resource_metrics if data else []:
            for scope_metrics in resource_metrics.scope_metrics:
                for metric in scope_metrics.metrics:
                    if metric.name != name:
                        continue
                    for point in metric.data.data_points:  # type: ignore[union-attr]
                        key = frozenset((k, str(v)) for k, v in (point.attributes or {}).items())
                        totals[key] = int(point.value)  # type: ignore[union-attr]
        return totals


def dims(**values: str) -> Dimensions:
    """Counter dimensions written as keywords; dots in OTel names are spelled as double underscores."""
    return frozenset((name.replace("__", "."), value) for name, value in values.items())


@pytest.fixture
def captured() -> Iterator[CapturedTelemetry]:
    exporter = InMemorySpanExporter()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    reader = InMemoryMetricReader()
    meter_provider = MeterProvider(metric_readers=[reader])
    telemetry.use_providers(TelemetryProviders(tracer_provider, meter_provider))
    yield CapturedTelemetry(exporter, reader)
    telemetry.use_providers(None)
    tracer_provider.shutdown()
    meter_provider.shutdown()
