"""Graph-shaped errors: `{"error": {"code", "message"}}`, raised anywhere in a handler and rendered once.

The app installs `graph_error_handler` for `GraphError`, so handlers can simply raise.
"""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import JSONResponse, Response


class GraphError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    body = {
        "error": {
            "code": code,
            "message": message,
            "innerError": {"request-id": str(uuid.uuid4()), "client-request-id": str(uuid.uuid4())},
        }
    }
    return JSONResponse(body, status_code=status, headers=headers)


async def graph_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, GraphError)
    return error_response(exc.status, exc.code, exc.message, exc.headers)


async def unmatched_handler(request: Request, exc: Exception) -> Response:
    """Unknown paths and methods answer in Graph's shape rather than Starlette's plain text."""
    status = getattr(exc, "status_code", 404)
    if status == 405:
        return error_response(405, "Request_BadRequest", "The HTTP method is not allowed on this resource.")
    return error_response(400, "BadRequest", f"Resource not found for the segment '{request.url.path}'.")


def fault_response(status: int, retry_after: int) -> Response:
    """What an injected fault looks like (the kit adds Retry-After to a 429)."""
    codes = {429: "TooManyRequests", 503: "ServiceUnavailable", 504: "GatewayTimeout"}
    return error_response(status, codes.get(status, "InternalServerError"), "Injected by the emulator.")


def not_found(what: str = "The specified object was not found in the store.") -> GraphError:
    return GraphError(404, "ErrorItemNotFound", what)


def bad_request(message: str, code: str = "ErrorInvalidRequest") -> GraphError:
    return GraphError(400, code, message)
