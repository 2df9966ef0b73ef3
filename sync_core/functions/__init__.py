"""Blueprints: thin adapters from triggers (HTTP, queue, timer) to engine calls."""

from __future__ import annotations

import azure.functions as func


def blueprints() -> list[func.Blueprint]:
    """Every blueprint of the app, imported here so function_app.py stays one loop."""
    from sync_core.functions import admin_api, auth_api, mapping_api, sync_api
    from sync_core.functions.health import bp as health
    from sync_core.functions.queues import bp as queues
    from sync_core.functions.timers import bp as timers
    from sync_core.functions.ui import bp as ui
    from sync_core.functions.webhooks import bp as webhooks

    return [webhooks, timers, queues, health, auth_api.bp, sync_api.bp, mapping_api.bp, admin_api.bp, ui]
