"""Sync pass telemetry: one `sync.pass` span per pass (connection key, kind, reason as dimensions) and
counters of items written, failures and passes, through OpenTelemetry; no-ops when nothing is configured.

Only ids, kinds and counts leave the process: never a token, an exception message or a record's fields.
"""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from opentelemetry import metrics, trace
from opentelemetry.metrics import Counter
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, Tracer

from sync_core import telemetry_setup
from sync_core.config import Settings
from sync_core.telemetry_setup import TelemetryProviders

SCOPE = "sync_core.engine"
SPAN_NAME = "sync.pass"
# apply()'s counts that are writes, as (direction, action) dimensions of `sync.items.written`.
WRITES: dict[str, tuple[str, str]] = {
    "graph_created": ("to_outlook", "create"),
    "graph_updated": ("to_outlook", "update"),
    "graph_deleted": ("to_outlook", "delete"),
    "recruit_created": ("to_recruit", "create"),
    "recruit_updated": ("to_recruit", "update"),
    "recruit_deleted": ("to_recruit", "delete"),
}
FAILED_ITEMS = "failed"


@dataclass(frozen=True)
class _Instruments:
    tracer: Tracer
    written: Counter
    failures: Counter
    passes: Counter
    recruit_credits: Counter


def _instruments_for(providers: TelemetryProviders | None) -> _Instruments:
    # Without our own providers, OTel's global ones: no-ops unless the host installed an SDK itself.
    tracer_provider = providers.tracer_provider if providers else trace.get_tracer_provider()
    meter = (providers.meter_provider if providers else metrics.get_meter_provider()).get_meter(SCOPE)
    return _Instruments(
        tracer=tracer_provider.get_tracer(SCOPE),
        written=meter.create_counter(
            "sync.items.written", unit="{item}", description="Items a sync pass wrote, by side and action."
        ),
        failures=meter.create_counter(
            "sync.failures",
            unit="{failure}",
            description="Items left for a later pass, and passes that raised.",
        ),
        passes=meter.create_counter("sync.passes", unit="{pass}", description="Sync passes run."),
        recruit_credits=meter.create_counter(
            "recruit.credits", unit="{credit}", description="Recruit API credits spent (one per request)."
        ),
    )


_chosen: _Instruments | None = None


def use_providers(providers: TelemetryProviders | None) -> None:
    """Send pass telemetry to these providers; None goes back to what the settings configure."""
    global _chosen
    _chosen = _instruments_for(providers) if providers is not None else None


def _instruments(settings: Settings) -> _Instruments:
    global _chosen
    if _chosen is None:
        _chosen = _instruments_for(telemetry_setup.configure(settings))
    return _chosen


@dataclass
class _PassRecord:
    span: Span
    instruments: _Instruments
    kind: str
    counts: Tally[str] = field(default_factory=Tally)


_current: ContextVar[_PassRecord | None] = ContextVar("sync_pass", default=None)


@contextmanager
def sync_pass(settings: Settings, connection: str, kind: str, reason: str) -> Iterator[None]:
    """Wrap one pass: its span is current inside, and `record_outcome` adds the pass's counts to it."""
    instruments = _instruments(settings)
    outcome = "ok"
    # A consumer span is a request (an operation of its own) in Application Insights. Exceptions are not
    # recorded as events: their messages can carry personal data; the class name is enough to find the log.
    with instruments.tracer.start_as_current_span(
        SPAN_NAME,
        kind=SpanKind.CONSUMER,
        attributes={"sync.connection": connection, "sync.kind": kind, "sync.reason": reason},
        record_exception=False,
        set_status_on_exception=False,
    ) as span:
        token = _current.set(_PassRecord(span, instruments, kind))
        try:
            yield
        except BaseException as error:
            outcome = "error"
            span.set_status(Status(StatusCode.ERROR, type(error).__name__))
            span.set_attribute("error.type", f"{type(error).__module__}.{type(error).__qualname__}")
            instruments.failures.add(1, {"sync.kind": kind, "failure": "pass"})
            raise
        finally:
            _current.reset(token)
            # Metric dimensions leave out the connection: one series per user would grow without bound. The
            # span carries the connection and the same counts.
            instruments.passes.add(1, {"sync.kind": kind, "sync.reason": reason, "outcome": outcome})


def record_outcome(counts: Mapping[str, int]) -> None:
    """Add what apply() did (its counts) to the current pass; nothing outside a pass."""
    record = _current.get()
    if record is None:
        return
    dimensions = {"sync.kind": record.kind}
    for name, value in counts.items():
        if not value:
            continue
        record.counts[name] += value
        record.span.set_attribute(f"sync.count.{name}", record.counts[name])
        if name in WRITES:
            direction, action = WRITES[name]
            record.instruments.written.add(value, {**dimensions, "direction": direction, "action": action})
        elif name == FAILED_ITEMS:
            record.instruments.failures.add(value, {**dimensions, "failure": "item"})


def record_recruit_credits(settings: Settings, org_id: str, credits: int) -> None:
    """Recruit credits a client spent: by org (Zoho's allowance is per org), and on the current pass."""
    instruments = _instruments(settings)
    instruments.recruit_credits.add(credits, {"recruit.org": org_id})
    record = _current.get()
    if record is not None:
        record.counts["recruit_credits"] += credits
        record.span.set_attribute("sync.count.recruit_credits", record.counts["recruit_credits"])
