"""Exceptions raised by the Graph gateway, one class per decision a caller makes.

`error_from_response` turns a raw Graph answer (or an SDK `ODataError`) into the matching class.
"""

from __future__ import annotations

from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Any


class GraphError(Exception):
    """A Graph call failed; `status` is the HTTP status, `code` Graph's error code."""

    def __init__(self, status: int, code: str = "", message: str = "") -> None:
        super().__init__(f"Graph {status} {code}: {message}".strip())
        self.status = status
        self.code = code
        self.message = message


class ItemNotFound(GraphError):
    """404 on an item (event, contact, subscription)."""


class ContainerGone(ItemNotFound):
    """404 on the dedicated calendar or contact folder: the user deleted it, so sync for that kind stops."""


class DeltaExpired(GraphError):
    """410 on a delta link (SyncStateNotFound / resyncRequired): start a fresh delta round."""


class Throttled(GraphError):
    """429 that outlived our retries; `retry_after` is the server's wait in seconds."""

    def __init__(self, status: int, code: str = "", message: str = "", retry_after: float = 0.0) -> None:
        super().__init__(status, code, message)
        self.retry_after = retry_after


class AuthRequired(GraphError):
    """No usable token (401, invalid_grant, empty cache): the user must sign in with Microsoft again."""


class Conflict(GraphError):
    """409, e.g. ErrorFolderExists or a duplicate subscription."""


class PreconditionFailed(GraphError):
    """412: the item changed since the ETag we sent."""


class ConsentError(Exception):
    """The sign-in flow could not be finished (state mismatch, denied consent, bad code)."""


def parse_retry_after(value: str | None, default: float = 1.0) -> float:
    """Seconds to wait from a Retry-After header (delta seconds or an HTTP date)."""
    if not value:
        return default
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        from datetime import UTC, datetime

        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return default


def _code_and_message(body: Any) -> tuple[str, str]:
    if isinstance(body, Mapping):
        error = body.get("error")
        if isinstance(error, Mapping):
            return str(error.get("code") or ""), str(error.get("message") or "")
        if isinstance(error, str):  # identity endpoints answer {"error": "invalid_grant", ...}
            return error, str(body.get("error_description") or "")
    return "", ""


def error_from_response(
    status: int,
    body: Any,
    headers: Mapping[str, str] | None = None,
    *,
    container: bool = False,
) -> GraphError:
    """The exception for a failed answer; `container=True` when the URL names the calendar/folder itself."""
    code, message = _code_and_message(body)
    if status == 404:
        return ContainerGone(status, code, message) if container else ItemNotFound(status, code, message)
    if status == 410:
        return DeltaExpired(status, code, message)
    if status == 429:
        retry_after = parse_retry_after(
            (headers or {}).get("retry-after") or (headers or {}).get("Retry-After")
        )
        return Throttled(status, code, message, retry_after)
    if status == 401 or code == "invalid_grant":
        return AuthRequired(status, code, message)
    if status == 409:
        return Conflict(status, code, message)
    if status == 412:
        return PreconditionFailed(status, code, message)
    return GraphError(status, code, message)


def error_from_odata(exc: Exception, *, container: bool = False) -> GraphError:
    """Map an msgraph-sdk `ODataError` (or any kiota `APIError`) by its status and `error.code`."""
    status = int(getattr(exc, "response_status_code", 0) or 0)
    main = getattr(exc, "error", None)
    code = str(getattr(main, "code", "") or "")
    message = str(getattr(main, "message", "") or "")
    headers = getattr(exc, "response_headers", None) or {}
    flat = {str(k).lower(): _first(v) for k, v in dict(headers).items()}
    return error_from_response(
        status, {"error": {"code": code, "message": message}}, flat, container=container
    )


def _first(value: Any) -> str:
    if isinstance(value, (list, set, tuple)):
        return str(next(iter(value), ""))
    return str(value)
