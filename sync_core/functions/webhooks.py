"""POST /api/webhooks/graph and /api/webhooks/recruit: validate, queue, answer 202 (no API call in here).

Unknown or forged senders also get 202, so they learn nothing and the services do not retry; malformed or
beyond the caps of engine/sync_lifecycle/notifications.py → 400, decided before the body is read when its
length says so.
"""

from __future__ import annotations

import azure.functions as func

from sync_core.engine.context import EngineContext, get_context
from sync_core.engine.sync_lifecycle.notifications import (
    MAX_BODY_BYTES,
    BadNotification,
    graph_notifications,
    recruit_callback,
)
from sync_core.functions.http import text_response

bp = func.Blueprint()

# Graph's tokens are ~120 characters; a cap keeps the endpoint from echoing arbitrary payloads back.
MAX_VALIDATION_TOKEN = 1024


def _declared_too_large(req: func.HttpRequest) -> bool:
    """True when Content-Length announces more than the cap (or is not a length): no need to read it."""
    declared = req.headers.get("Content-Length")
    if declared is None:
        return False
    return not declared.strip().isdigit() or int(declared) > MAX_BODY_BYTES


async def answer_graph(ctx: EngineContext, req: func.HttpRequest) -> func.HttpResponse:
    token = req.params.get("validationToken")
    if token is not None:
        # The subscription handshake: echo the (already URL-decoded) token as plain text within 10 s.
        if len(token) > MAX_VALIDATION_TOKEN:
            return text_response("validationToken too long", 400)
        return text_response(token, 200)
    if _declared_too_large(req):
        return text_response("body too large", 400)
    try:
        await graph_notifications(ctx, req.get_body())
    except BadNotification as error:
        return text_response(str(error), 400)
    return text_response(None, 202)


async def answer_recruit(ctx: EngineContext, req: func.HttpRequest) -> func.HttpResponse:
    if _declared_too_large(req):
        return text_response("body too large", 400)
    try:
        await recruit_callback(ctx, req.get_body())
    except BadNotification as error:
        return text_response(str(error), 400)
    return text_response(None, 202)


@bp.route(route="webhooks/graph", methods=["POST"], auth_level=func.AuthLevel.ANONYMOUS)
async def graph_webhook(req: func.HttpRequest) -> func.HttpResponse:
    return await answer_graph(get_context(), req)


@bp.route(route="webhooks/recruit", methods=["POST"], auth_level=func.AuthLevel.ANONYMOUS)
async def recruit_webhook(req: func.HttpRequest) -> func.HttpResponse:
    return await answer_recruit(get_context(), req)
