"""POST /api/webhooks/graph and /api/webhooks/recruit: validate, queue, answer 202 (no API call in here).

Unknown or forged senders also get 202, so they learn nothing and the services do not retry; malformed → 400.
"""

from __future__ import annotations

import azure.functions as func

from sync_core.engine.context import EngineContext, get_context
from sync_core.engine.notifications import BadNotification, graph_notifications, recruit_callback

bp = func.Blueprint()

# Graph's tokens are ~120 characters; a cap keeps the endpoint from echoing arbitrary payloads back.
MAX_VALIDATION_TOKEN = 1024


async def answer_graph(ctx: EngineContext, req: func.HttpRequest) -> func.HttpResponse:
    token = req.params.get("validationToken")
    if token is not None:
        # The subscription handshake: echo the (already URL-decoded) token as plain text within 10 s.
        if len(token) > MAX_VALIDATION_TOKEN:
            return func.HttpResponse("validationToken too long", status_code=400, mimetype="text/plain")
        return func.HttpResponse(token, status_code=200, mimetype="text/plain")
    try:
        await graph_notifications(ctx, req.get_body())
    except BadNotification as error:
        return func.HttpResponse(str(error), status_code=400, mimetype="text/plain")
    return func.HttpResponse(status_code=202)


async def answer_recruit(ctx: EngineContext, req: func.HttpRequest) -> func.HttpResponse:
    try:
        await recruit_callback(ctx, req.get_body())
    except BadNotification as error:
        return func.HttpResponse(str(error), status_code=400, mimetype="text/plain")
    return func.HttpResponse(status_code=202)


@bp.route(route="webhooks/graph", methods=["POST"], auth_level=func.AuthLevel.ANONYMOUS)
async def graph_webhook(req: func.HttpRequest) -> func.HttpResponse:
    return await answer_graph(get_context(), req)


@bp.route(route="webhooks/recruit", methods=["POST"], auth_level=func.AuthLevel.ANONYMOUS)
async def recruit_webhook(req: func.HttpRequest) -> func.HttpResponse:
    return await answer_recruit(get_context(), req)
