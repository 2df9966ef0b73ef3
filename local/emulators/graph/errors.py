"""Graph-shaped errors, raised anywhere in a handler and rendered once.

Shape (concepts/errors.md, and the bodies in concepts/json-batching.md's example response):
`{"error": {"code", "message", "innerError": {"date", "request-id", "client-request-id"}}}`. `date` is the
server's UTC time without an offset (`2025-02-13T10:17:05`); `client-request-id` echoes the client's header
of that name when it sent one (no v1.0 page states the echo; observed Graph behaviour), else a fresh GUID.
The app installs `graph_error_handler` for `GraphError`, so handlers can simply raise.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response


class GraphError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def error_body(code: str, message: str, client_request_id: str | None = None) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": message,
            "innerError": {
                "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
                "request-id": str(uuid.uuid4()),
                "client-request-id": client_request_id or str(uuid.uuid4()),
            },
        }
    }


def error_response(
    status: int,
    code: str,
    message: str,
    headers: dict[str, str] | None = None,
    request: Request | None = None,
) -> Response:
    client_id = request.headers.get("client-request-id") if request is not None else None
    return JSONResponse(error_body(code, message, client_id), status_code=status, headers=headers)


async def graph_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, GraphError)
    return error_response(exc.status, exc.code, exc.message, exc.headers, request)


async def unmatched_handler(request: Request, exc: Exception) -> Response:
    """Unknown paths and methods answer in Graph's shape rather than Starlette's plain text.

    Under `/v1.0` an unknown segment is Graph's 400 "Resource not found for the segment '<name>'" (what real
    Graph answered for calendarView, quoted in issue 12); elsewhere (no API version, an unknown tenant path)
    it is a 404 in the same shape. 405: the body of json-batching.md's example response 4.
    """
    status = getattr(exc, "status_code", 404)
    if status == 405:
        return error_response(
            405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.",
            request=request,
        )  # fmt: skip
    path = request.url.path
    if path.startswith("/v1.0/"):
        segment = path.rstrip("/").rsplit("/", 1)[-1]
        return error_response(
            400, "BadRequest", f"Resource not found for the segment '{segment}'.", request=request
        )
    return error_response(404, "NotFound", f"The resource '{path}' does not exist.", request=request)


def fault_response(status: int, retry_after: int) -> Response:
    """What an injected fault looks like (the kit adds Retry-After to a 429)."""
    codes = {429: "TooManyRequests", 503: "ServiceUnavailable", 504: "GatewayTimeout"}
    return error_response(status, codes.get(status, "InternalServerError"), "Injected by the emulator.")


def not_found(what: str = "The specified object was not found in the store.") -> GraphError:
    return GraphError(404, "ErrorItemNotFound", what)


def bad_request(message: str, code: str = "ErrorInvalidRequest") -> GraphError:
    return GraphError(400, code, message)
