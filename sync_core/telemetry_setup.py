"""The OpenTelemetry providers that send our spans and metrics to Application Insights,, made once a process.

Only when APPLICATIONINSIGHTS_CONNECTION_STRING is set; the exporter is imported then: cold starts stay short.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from opentelemetry.metrics import MeterProvider
from opentelemetry.trace import TracerProvider

from sync_core.config import Settings

SERVICE_NAME = "zoho-recruit-office365-sync"
# How often metrics leave the process; Application Insights aggregates custom metrics per minute anyway.
METRIC_EXPORT_MILLIS = 60_000


@dataclass(frozen=True)
class TelemetryProviders:
    """Where pass telemetry goes. Deliberately not installed as OTel's global providers: the libraries that
    trace through the global ones (the Graph SDK) put mailbox addresses into span URLs."""

    tracer_provider: TracerProvider
    meter_provider: MeterProvider


_lock = threading.Lock()
_configured = False
_providers: TelemetryProviders | None = None


def build_providers(connection_string: str) -> TelemetryProviders:
    """SDK providers exporting to the Application Insights resource the connection string names."""
    from azure.monitor.opentelemetry.exporter import AzureMonitorMetricExporter, AzureMonitorTraceExporter
    from opentelemetry.sdk.metrics import MeterProvider as SdkMeterProvider
    from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider as SdkTracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    # service.name becomes the cloud role name in Application Insights.
    resource = Resource.create({"service.name": SERVICE_NAME})
    tracer_provider = SdkTracerProvider(resource=resource)
    # The exporter reads the resource from the global provider unless told ours (which is not global).
    span_exporter = AzureMonitorTraceExporter(
        connection_string=connection_string, tracer_provider=tracer_provider
    )
    tracer_provider.add_span_processor(BatchSpanProcessor(span_exporter))
    reader = PeriodicExportingMetricReader(
        AzureMonitorMetricExporter(connection_string=connection_string),
        export_interval_millis=METRIC_EXPORT_MILLIS,
    )
    meter_provider = SdkMeterProvider(resource=resource, metric_readers=[reader])
    return TelemetryProviders(tracer_provider=tracer_provider, meter_provider=meter_provider)


def configure(settings: Settings) -> TelemetryProviders | None:
    """The process's providers: built on the first call when a connection string is set, else None forever.

    The first call decides: a process serves one Function App, whose settings do not change while it runs.
    """
    global _configured, _providers
    with _lock:
        if not _configured:
            connection_string = settings.applicationinsights_connection_string.strip()
            _providers = build_providers(connection_string) if connection_string else None
            _configured = True
        return _providers
