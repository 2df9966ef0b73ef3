"""Small pure helpers for the client's payloads: chunking bulk calls, reading `data` lists, checking
per-record answers, building watch items and reading the expiry a watch answer granted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from .datetimes import format_recruit_datetime, parse_optional
from .errors import RecordResult, RecruitError
from .transport import ApiResponse

MAX_BULK = 100
MAX_CHANNEL_ID = 2**48
MAX_WATCH_TOKEN = 50


def chunks(items: Sequence[Any], size: int) -> list[tuple[int, Sequence[Any]]]:
    return [(offset, items[offset : offset + size]) for offset in range(0, len(items), size)]


def items_of(response: ApiResponse, key: str = "data") -> list[Any]:
    if isinstance(response.body, dict):
        items = response.body.get(key)
        if isinstance(items, list):
            return items
        if isinstance(items, dict):
            return [items]
    return []


def older_than(record: Mapping[str, Any], moment: datetime) -> bool:
    modified = parse_optional(record.get("Modified_Time"))
    return modified is not None and modified < moment


def checked(results: list[RecordResult], expected: int) -> list[RecordResult]:
    if len(results) != expected:
        raise RecruitError("UNEXPECTED_RESPONSE", f"{len(results)} results for {expected} records")
    return results


def watch_item(
    channel_id: int,
    events: Sequence[str] | None,
    notify_url: str | None,
    token: str | None,
    expiry: datetime | None,
) -> dict[str, Any]:
    if not 0 < channel_id < MAX_CHANNEL_ID:
        raise ValueError("channel_id must be a positive integer below 2**48")
    if token is not None and len(token) > MAX_WATCH_TOKEN:
        raise ValueError(f"a watch token holds at most {MAX_WATCH_TOKEN} characters")
    item: dict[str, Any] = {"channel_id": channel_id}
    if events is not None:
        item["events"] = list(events)
    if notify_url is not None:
        item["notify_url"] = notify_url
    if token is not None:
        item["token"] = token
    if expiry is not None:
        item["channel_expiry"] = format_recruit_datetime(expiry)
    return item


def granted_expiry(details: Mapping[str, Any]) -> str | None:
    events = details.get("events")
    if isinstance(events, list):
        for event in events:
            if isinstance(event, dict) and isinstance(event.get("channel_expiry"), str):
                return str(event["channel_expiry"])
    expiry = details.get("channel_expiry")
    return expiry if isinstance(expiry, str) else None
