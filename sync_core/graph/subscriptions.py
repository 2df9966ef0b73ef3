"""Graph change-notification subscriptions for the dedicated calendar and contact folder.

Create (with a lifecycle URL: it cannot be added later), renew by PATCH, delete (404 = already gone).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from sync_core.graph.client import GraphClient
from sync_core.graph.errors import ItemNotFound
from sync_core.graph.paths import collection_path, utc_text

CHANGE_TYPES = "created,updated,deleted"
MAX_CLIENT_STATE = 128


def calendar_resource(mailbox: str, calendar_id: str) -> str:
    """The events of one calendar (works in production though the docs list only /events)."""
    return collection_path(mailbox, "event", calendar_id)


def contacts_resource(mailbox: str, folder_id: str) -> str:
    return collection_path(mailbox, "contact", folder_id)


def _mailbox_of(resource: str) -> str | None:
    parts = resource.strip("/").split("/")
    return parts[1] if len(parts) > 1 and parts[0] == "users" else None


async def create_subscription(
    graph: GraphClient,
    resource: str,
    notification_url: str,
    lifecycle_url: str,
    client_state: str,
    expires_at: datetime,
    change_type: str = CHANGE_TYPES,
) -> dict[str, Any]:
    """The created subscription (id, expirationDateTime, ...). Graph validates the URLs before answering."""
    if len(client_state) > MAX_CLIENT_STATE:
        raise ValueError(f"clientState is limited to {MAX_CLIENT_STATE} characters")
    body = {
        "changeType": change_type,
        "notificationUrl": notification_url,
        "lifecycleNotificationUrl": lifecycle_url,
        "resource": resource,
        "expirationDateTime": utc_text(expires_at),
        "clientState": client_state,
    }
    response = await graph.request("POST", "/subscriptions", mailbox=_mailbox_of(resource), body=body)
    return dict(response.body)


async def renew(graph: GraphClient, subscription_id: str, expires_at: datetime) -> dict[str, Any]:
    """Move the expiry; raises ItemNotFound when the subscription is gone (create a new one)."""
    response = await graph.request(
        "PATCH",
        f"/subscriptions/{quote(subscription_id, safe='')}",
        mailbox=None,
        body={"expirationDateTime": utc_text(expires_at)},
    )
    return dict(response.body or {})


async def delete(graph: GraphClient, subscription_id: str) -> None:
    try:
        await graph.request("DELETE", f"/subscriptions/{quote(subscription_id, safe='')}", mailbox=None)
    except ItemNotFound:
        return
