"""The product's sync passes against a Recruit emulator made stricter: the engine tests' world (Azurite, both
emulators, Alice connected by SSO with the product's own Zoho scopes), reused as it is."""

from __future__ import annotations

from tests.integration.engine.conftest import (  # noqa: F401 - fixtures shared with the engine tests
    alice,
    clock,
    ctx,
    settings,
    synced,
    webhook_host,
)
