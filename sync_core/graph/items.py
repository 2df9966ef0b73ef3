"""Events and contacts as raw Graph JSON: get, find by our tag, create (idempotent), update, delete.

Every item we create carries the one extended property from settings; events also carry a transactionId.
"""

from __future__ import annotations

from typing import Any

from sync_core.graph.client import GraphClient
from sync_core.graph.errors import ItemNotFound
from sync_core.graph.paths import ItemKind, collection_path, item_path, tag_expand, tag_filter


def tag_of(item: dict[str, Any], property_id: str) -> str | None:
    """The value of our extended property on an item read with the tag expanded, or None."""
    for prop in item.get("singleValueExtendedProperties") or []:
        if str(prop.get("id", "")).casefold() == property_id.casefold():
            value = prop.get("value")
            return None if value is None else str(value)
    return None


def _writable(graph: GraphClient, body: dict[str, Any]) -> dict[str, Any]:
    # Writing attendees makes Outlook send invitations to candidates and contacts.
    if graph.settings.participants_as_attendees:
        return dict(body)
    return {key: value for key, value in body.items() if key != "attendees"}


async def get(graph: GraphClient, mailbox: str, kind: ItemKind, item_id: str) -> dict[str, Any]:
    """The item with our tag expanded; raises ItemNotFound."""
    expand = tag_expand(graph.settings.microsoft_extended_property_id)
    response = await graph.request(
        "GET", f"{item_path(mailbox, kind, item_id)}?$expand={expand}", mailbox=mailbox
    )
    return dict(response.body)


async def find_by_tag(
    graph: GraphClient, mailbox: str, kind: ItemKind, container_id: str, tag_value: str
) -> list[dict[str, Any]]:
    """Items in the container carrying our tag with this value (normally none or one), tag expanded."""
    property_id = graph.settings.microsoft_extended_property_id
    query = f"$filter={tag_filter(property_id, tag_value)}&$expand={tag_expand(property_id)}"
    url = f"{collection_path(mailbox, kind, container_id)}?{query}"
    return await graph.get_all(url, mailbox=mailbox, container=True)


def create_body(
    graph: GraphClient, kind: ItemKind, body: dict[str, Any], tag_value: str, transaction_id: str | None
) -> dict[str, Any]:
    """The POST body: caller's fields, our tag, and for events the idempotency transactionId."""
    payload = _writable(graph, body)
    payload["singleValueExtendedProperties"] = [
        {"id": graph.settings.microsoft_extended_property_id, "value": tag_value}
    ]
    if kind == "event" and transaction_id:
        payload["transactionId"] = transaction_id
    return payload


async def create(
    graph: GraphClient,
    mailbox: str,
    kind: ItemKind,
    container_id: str,
    body: dict[str, Any],
    tag_value: str,
    transaction_id: str | None = None,
) -> dict[str, Any]:
    """Create in the container; a retried event create with the same transactionId gives the same event."""
    payload = create_body(graph, kind, body, tag_value, transaction_id)
    response = await graph.request(
        "POST", collection_path(mailbox, kind, container_id), mailbox=mailbox, body=payload, container=True
    )
    return dict(response.body)


async def update(
    graph: GraphClient,
    mailbox: str,
    kind: ItemKind,
    item_id: str,
    patch: dict[str, Any],
    etag: str | None = None,
) -> dict[str, Any]:
    """PATCH the item; with `etag`, a concurrent change raises PreconditionFailed instead of being lost."""
    headers = {"If-Match": etag} if etag else None
    response = await graph.request(
        "PATCH",
        item_path(mailbox, kind, item_id),
        mailbox=mailbox,
        body=_writable(graph, patch),
        headers=headers,
    )
    return dict(response.body or {})


async def delete(graph: GraphClient, mailbox: str, kind: ItemKind, item_id: str) -> None:
    """Delete; an item already gone counts as deleted."""
    try:
        await graph.request("DELETE", item_path(mailbox, kind, item_id), mailbox=mailbox)
    except ItemNotFound:
        return
