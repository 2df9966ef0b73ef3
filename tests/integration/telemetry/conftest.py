"""Telemetry of real engine passes: the engine tests' connected Alice, and telemetry captured in memory."""

from tests.integration.engine.conftest import (  # noqa: F401 - fixtures shared with the engine tests
    alice,
    clock,
    ctx,
    settings,
    synced,
    webhook_host,
)
from tests.unit.telemetry.conftest import captured  # noqa: F401 - the in-memory OTel providers
