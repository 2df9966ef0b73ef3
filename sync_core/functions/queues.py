"""Queue triggers: `sync-requests` → a reconcile pass (or an initial-sync step), `lifecycle` → enable/disable.

Unparseable messages are logged and dropped; a failing pass raises so the host retries, then poisons it.
"""

from __future__ import annotations

import logging
import os

import azure.functions as func
from pydantic import ValidationError

bp = func.Blueprint()
log = logging.getLogger(__name__)

# Queue names are app settings (infra sets them); a host resolving `%NAME%` from this process's environment
# (the local dev host) gets the same defaults as sync_core/config.py when they are unset.
os.environ.setdefault("QUEUE_SYNC_REQUESTS", "sync-requests")
os.environ.setdefault("QUEUE_LIFECYCLE", "lifecycle")


@bp.queue_trigger(arg_name="msg", queue_name="%QUEUE_SYNC_REQUESTS%", connection="AzureWebJobsStorage")
async def sync_requests(msg: func.QueueMessage) -> None:
    from sync_core.engine.context import get_context
    from sync_core.engine.sync_pass.reconcile import run_pass
    from sync_core.store.queues import parse_sync_request

    try:
        request = parse_sync_request(msg.get_body())
    except (ValidationError, ValueError) as error:
        log.error("dropped unreadable sync request %s: %s", msg.id, error)
        return
    await run_pass(get_context(), request)


@bp.queue_trigger(arg_name="msg", queue_name="%QUEUE_LIFECYCLE%", connection="AzureWebJobsStorage")
async def lifecycle(msg: func.QueueMessage) -> None:
    from sync_core.engine.context import get_context
    from sync_core.engine.sync_lifecycle.lifecycle import handle
    from sync_core.store.queues import parse_lifecycle_request

    try:
        request = parse_lifecycle_request(msg.get_body())
    except (ValidationError, ValueError) as error:
        log.error("dropped unreadable lifecycle request %s: %s", msg.id, error)
        return
    await handle(get_context(), request)
