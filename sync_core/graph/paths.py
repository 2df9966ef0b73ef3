"""Where things live in Graph: URL paths for mailboxes, containers and items, and Graph's time format.

Paths are relative to the API root (`/users/...`), the form both plain requests and `$batch` items take.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal
from urllib.parse import quote

ItemKind = Literal["event", "contact"]


def _segment(value: str) -> str:
    return quote(value, safe="@")


def user_path(mailbox: str) -> str:
    return f"/users/{_segment(mailbox)}"


def container_path(mailbox: str, kind: ItemKind, container_id: str) -> str:
    """The calendar (events) or contact folder (contacts) itself."""
    collection = "calendars" if kind == "event" else "contactFolders"
    return f"{user_path(mailbox)}/{collection}/{_segment(container_id)}"


def collection_path(mailbox: str, kind: ItemKind, container_id: str) -> str:
    """The items inside a container: also the subscription resource for that container."""
    return f"{container_path(mailbox, kind, container_id)}/{'events' if kind == 'event' else 'contacts'}"


def item_path(mailbox: str, kind: ItemKind, item_id: str) -> str:
    return f"{user_path(mailbox)}/{'events' if kind == 'event' else 'contacts'}/{_segment(item_id)}"


def _literal(value: str) -> str:
    """An OData string literal: single quotes doubled."""
    return "'" + value.replace("'", "''") + "'"


def tag_expand(property_id: str) -> str:
    """The URL-encoded `$expand` value reading our one extended property."""
    return quote(f"singleValueExtendedProperties($filter=id eq {_literal(property_id)})", safe="")


def tag_filter(property_id: str, tag_value: str) -> str:
    """The URL-encoded `$filter` value matching items whose extended property holds `tag_value`."""
    condition = f"ep/id eq {_literal(property_id)} and ep/value eq {_literal(tag_value)}"
    return quote(f"singleValueExtendedProperties/Any(ep: {condition})", safe="")


def utc_text(moment: datetime) -> str:
    """Graph's ISO form in UTC (`2026-11-24T10:00:00Z`); naive datetimes are taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
