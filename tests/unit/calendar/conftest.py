"""Shared pieces for the calendar conversion tests: the kind, a connection context, and fake API round trips.

`as_recruit_record` and `as_graph_item` play the servers' part: they store what we wrote and answer it back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from sync_core.config import Settings
from sync_core.domain.timezones import graph_datetime, parse_graph_datetime
from sync_core.engine.sync_kinds.calendar_kind import CalendarKind
from sync_core.engine.sync_kinds.kinds import KindContext

USER_ID = "u-alice"


def context(time_zone: str = "Asia/Kolkata") -> KindContext:
    return KindContext(
        settings=Settings(), recruit_user_id=USER_ID, recruit_user_name="Alice", time_zone=time_zone
    )


@pytest.fixture
def kind() -> CalendarKind:
    return CalendarKind(Settings())


def as_recruit_record(module: str, payload: Mapping[str, Any], record_id: str = "1001") -> dict[str, Any]:
    """A record as Recruit answers it after storing `payload` for our user."""
    owner = "Owner" if module == "Events" else "Interview_Owner"
    return {
        "id": record_id,
        **payload,
        owner: {"id": USER_ID, "name": "Alice"},
        "Modified_Time": "2026-11-24T10:00:00+05:30",
    }


def as_graph_item(
    body: Mapping[str, Any], reply_zone: str | None = None, item_id: str = "AAMk1"
) -> dict[str, Any]:
    """An event as Graph answers it after storing `body`; `reply_zone` plays `Prefer: outlook.timezone`
    (Graph answers timed events in UTC without it, and keeps all-day wall-clock dates)."""
    item: dict[str, Any] = {
        "id": item_id,
        "type": "seriesMaster" if body.get("recurrence") else "singleInstance",
        "lastModifiedDateTime": "2026-11-24T04:30:00Z",
        "isReminderOn": True,
        "reminderMinutesBeforeStart": 15,
        "body": {"contentType": "text", "content": ""},
        **body,
    }
    if "start" in body:
        item["originalStartTimeZone"] = body["start"]["timeZone"]
        item["originalEndTimeZone"] = body["end"]["timeZone"]
        if reply_zone and not body.get("isAllDay"):
            for key in ("start", "end"):
                item[key] = graph_datetime(parse_graph_datetime(body[key]), reply_zone)
        elif reply_zone:
            for key in ("start", "end"):
                item[key] = {"dateTime": body[key]["dateTime"], "timeZone": reply_zone}
    return item
