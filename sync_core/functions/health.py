"""GET /api/health: 200 when storage answers, 503 otherwise."""

from __future__ import annotations

import azure.functions as func

from sync_core.functions.http import json_response

bp = func.Blueprint()


@bp.route(route="health", methods=["GET"], auth_level=func.AuthLevel.ANONYMOUS)
async def health(req: func.HttpRequest) -> func.HttpResponse:
    from sync_core.config import get_settings
    from sync_core.store.health import storage_reachable

    ok = await storage_reachable(get_settings())
    return json_response({"status": "ok" if ok else "storage unreachable"}, 200 if ok else 503)
