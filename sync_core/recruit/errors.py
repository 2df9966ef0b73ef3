"""Errors of the Zoho Recruit API as a small exception family, and per-record results of bulk calls.

Call sites branch on the exception class or its `code`, never on message text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# Zoho answers these codes when the access token is expired, revoked or malformed.
INVALID_TOKEN_CODES = frozenset({"INVALID_TOKEN", "AUTHENTICATION_FAILURE", "INVALID_OAUTHTOKEN"})
NOT_FOUND_CODES = frozenset({"RECORD_NOT_FOUND", "NOT_FOUND", "INVALID_URL_PATTERN"})
LIMIT_CODES = frozenset({"LIMIT_EXCEEDED", "LIMIT_REACHED", "API_LIMIT_EXCEEDED"})
# A valid token without the call's scope: never an expired token (API-NOTES "Hosts and OAuth").
SCOPE_MISMATCH_CODE = "OAUTH_SCOPE_MISMATCH"


class RecruitError(Exception):
    """An error answered by Recruit (or its accounts server), carrying the API's `code`."""

    def __init__(
        self,
        code: str,
        message: str = "",
        details: Mapping[str, Any] | None = None,
        http_status: int | None = None,
    ) -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.message = message
        self.details: dict[str, Any] = dict(details or {})
        self.http_status = http_status


class InvalidToken(RecruitError):
    """The access token was refused even after a refresh, or the refresh token itself is dead."""


class ScopeMismatch(RecruitError):
    """401 `OAUTH_SCOPE_MISMATCH`: the token is valid but was not granted this call's scope. Refreshing does
    not help (a refresh keeps the consented scopes): the user must consent again to the scopes we ask for
    now."""


class RateLimited(RecruitError):
    """Too many requests; `reset_at` says when the window resets (None when the server did not say, as
    Recruit does not: the caller picks its own delay)."""

    def __init__(
        self,
        code: str,
        message: str = "",
        details: Mapping[str, Any] | None = None,
        http_status: int | None = None,
        reset_at: datetime | None = None,
    ) -> None:
        super().__init__(code, message, details, http_status)
        self.reset_at = reset_at


class NotFound(RecruitError):
    """The record, module or path does not exist."""


class LimitExceeded(RecruitError):
    """A size or credit limit was exceeded (too many records in one call, daily credits)."""


class UntrustedAccountsServer(RecruitError):
    """An `accounts-server` neither configured nor a known Zoho data centre: secrets never go there."""


@dataclass(frozen=True)
class RecordResult:
    """One record's outcome in a bulk insert/update/delete; `index` is its position in the caller's list."""

    index: int
    ok: bool
    id: str | None
    code: str
    message: str = ""
    details: dict[str, Any] = field(default_factory=dict)


def _error_fields(payload: Mapping[str, Any]) -> tuple[str, str, dict[str, Any]]:
    code = str(payload.get("code") or payload.get("error") or "UNKNOWN_ERROR")
    message = str(payload.get("message") or payload.get("error_description") or "")
    raw_details = payload.get("details")
    details = dict(raw_details) if isinstance(raw_details, Mapping) else {}
    return code, message, details


def error_payload(body: Any) -> Mapping[str, Any] | None:
    """The error object inside a response body, or None when the body is not an error.

    Recruit answers `{code, details, message, status: "error"}`, and sometimes `{"error": {...}}` or
    `{"error": "invalid_code"}` (accounts server) even with HTTP 200.
    """
    if not isinstance(body, Mapping):
        return None
    inner = body.get("error")
    if isinstance(inner, Mapping):
        return inner
    if isinstance(inner, str):
        return body
    if body.get("status") == "error" and "code" in body:
        return body
    return None


def make_error(
    code: str,
    message: str = "",
    details: Mapping[str, Any] | None = None,
    http_status: int | None = None,
) -> RecruitError:
    """The most specific exception class for an API error code / HTTP status."""
    upper = code.upper()
    if upper == SCOPE_MISMATCH_CODE:
        return ScopeMismatch(code, message, details, http_status)
    if upper in INVALID_TOKEN_CODES or http_status == 401:
        return InvalidToken(code, message, details, http_status)
    if upper == "TOO_MANY_REQUESTS" or http_status == 429:
        return RateLimited(code, message, details, http_status)
    if upper in NOT_FOUND_CODES or http_status == 404:
        return NotFound(code, message, details, http_status)
    if upper in LIMIT_CODES:
        return LimitExceeded(code, message, details, http_status)
    return RecruitError(code, message, details, http_status)


def error_from_body(body: Any, http_status: int | None = None) -> RecruitError | None:
    """The exception a response body describes, or None when it describes no error."""
    payload = error_payload(body)
    if payload is None:
        return None
    code, message, details = _error_fields(payload)
    return make_error(code, message, details, http_status)


def record_results(items: Any, offset: int = 0) -> list[RecordResult]:
    """Per-record outcomes of a bulk answer's `data` list; indexes start at `offset` (for chunked calls)."""
    results: list[RecordResult] = []
    if not isinstance(items, list):
        return results
    for position, item in enumerate(items):
        entry: Mapping[str, Any] = item if isinstance(item, Mapping) else {}
        code, message, details = _error_fields(entry)
        ok = str(entry.get("status", "")).lower() == "success" or code == "SUCCESS"
        record_id = details.get("id")
        results.append(
            RecordResult(
                index=offset + position,
                ok=ok,
                id=str(record_id) if record_id is not None else None,
                code=code,
                message=message,
                details=details,
            )
        )
    return results
