"""Reading a JSON request body and answering with `@odata.context`, shared by the mailbox handlers."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from .errors import bad_request
from .odata import context_url


async def read_json(request: Request) -> Any:
    try:
        return await request.json()
    except ValueError as exc:
        raise bad_request("The request body is not valid JSON.", "RequestBodyRead") from exc


def respond(
    request: Request,
    user_id: str,
    payload: dict[str, Any],
    status: int = 200,
    headers: dict[str, str] | None = None,
    select: list[str] | None = None,
    entity: bool = False,
) -> JSONResponse:
    """`payload` with `@odata.context` first, as Graph orders it; `entity` for a POST to a collection."""
    body = {"@odata.context": context_url(request, user_id, select, entity)} | payload
    return JSONResponse(body, status_code=status, headers=headers)
