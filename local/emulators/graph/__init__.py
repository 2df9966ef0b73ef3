"""A local Microsoft Graph emulator: identity endpoints, mailboxes, delta, webhooks, $batch and throttling.

`create_app(seed)` builds the ASGI app; `python -m local.emulators.graph` serves it on http and https.
"""

from .app import GraphEmulatorApp, create_app, load_seed

__all__ = ["GraphEmulatorApp", "create_app", "load_seed"]
