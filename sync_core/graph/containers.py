"""The dedicated calendar and contact folder: find ours or create it, check it still exists, remove it.

Ours means tagged: a container is created with our one extended property holding `container:{kind}:{mailbox}`
(Graph supports extended properties on calendar and contactFolder: api-reference/v1.0/api/
singlevaluelegacyextendedproperty-post-singlevalueextendedproperties.md), and read back with `$expand`
on the container (singlevaluelegacyextendedproperty-get.md). A container that merely has our name, the user's
own or one a colleague shares, is never adopted and never deleted: ours then gets a free name "Name (2)".
Container ids never change; a 404 on one means the user deleted it (`calendar_exists` answers False).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from sync_core.graph.client import GraphClient
from sync_core.graph.errors import Conflict, ItemNotFound
from sync_core.graph.paths import ItemKind, collection_path, container_path, item_path, tag_expand, user_path

log = logging.getLogger(__name__)

# Calendars are named by `name`, contact folders by `displayName`.
_COLLECTION = {"event": "calendars", "contact": "contactFolders"}
_NAME_FIELD = {"event": "name", "contact": "displayName"}
# How many "Name (n)" alternatives are tried before giving up (a mailbox has a handful of containers).
MAX_NAME_SUFFIX = 20


@dataclass(frozen=True)
class Removal:
    """What removing a container did: deleted it (ours), or kept it (not ours) and removed only our items."""

    container_deleted: bool
    items_removed: int = 0


def container_tag(kind: ItemKind, mailbox: str) -> str:
    """The value of our extended property on a container we created in `mailbox`."""
    return f"container:{kind}:{mailbox}"


def _property_id(graph: GraphClient) -> str:
    return graph.settings.microsoft_extended_property_id


def _tag_values(resource: dict[str, Any], property_id: str) -> list[str]:
    props = resource.get("singleValueExtendedProperties") or []
    return [
        str(p.get("value", ""))
        for p in props
        if isinstance(p, dict) and str(p.get("id", "")).casefold() == property_id.casefold()
    ]


def _name_candidates(name: str) -> list[str]:
    return [name] + [f"{name} ({n})" for n in range(2, MAX_NAME_SUFFIX + 1)]


def _is_our_name(candidate: str, name: str) -> bool:
    pattern = re.escape(name.casefold()) + r"( \([0-9]+\))?"
    return re.fullmatch(pattern, candidate.casefold()) is not None


async def is_ours(graph: GraphClient, mailbox: str, kind: ItemKind, container_id: str) -> bool:
    """True when the container carries our tag for this mailbox; False when it does not or is gone."""
    property_id = _property_id(graph)
    path = f"{container_path(mailbox, kind, container_id)}?$expand={tag_expand(property_id)}"
    try:
        response = await graph.request("GET", path, mailbox=mailbox, container=True)
    except ItemNotFound:
        return False
    body = response.body if isinstance(response.body, dict) else {}
    return container_tag(kind, mailbox) in _tag_values(body, property_id)


async def _find(graph: GraphClient, mailbox: str, kind: ItemKind, name: str) -> tuple[str | None, set[str]]:
    """Our tagged container among those named like ours, and every name taken in the mailbox."""
    containers = await graph.get_all(f"{user_path(mailbox)}/{_COLLECTION[kind]}", mailbox=mailbox)
    taken = {str(c.get(_NAME_FIELD[kind], "")).casefold() for c in containers}
    for container in containers:
        named_like_ours = _is_our_name(str(container.get(_NAME_FIELD[kind], "")), name)
        if named_like_ours and await is_ours(graph, mailbox, kind, str(container["id"])):
            return str(container["id"]), taken
    return None, taken


async def _find_or_create(graph: GraphClient, mailbox: str, kind: ItemKind, name: str) -> str:
    found, taken = await _find(graph, mailbox, kind, name)
    if found is not None:
        return found
    free = next((n for n in _name_candidates(name) if n.casefold() not in taken), None)
    if free is None:
        raise Conflict(409, "ErrorFolderExists", f"every name from {name!r} to ({MAX_NAME_SUFFIX}) is taken")
    if free != name:
        log.warning("%s: a %s named %r exists and is not ours: creating %r", mailbox, kind, name, free)
    body = {
        _NAME_FIELD[kind]: free,
        "singleValueExtendedProperties": [{"id": _property_id(graph), "value": container_tag(kind, mailbox)}],
    }
    try:
        created = await graph.request(
            "POST", f"{user_path(mailbox)}/{_COLLECTION[kind]}", mailbox=mailbox, body=body
        )
    except Conflict:
        # Created meanwhile (another pass, or a retried POST that had succeeded): adopt it if it is ours.
        found, _ = await _find(graph, mailbox, kind, name)
        if found is None:
            raise
        return found
    return str(created.body["id"])


async def _exists(graph: GraphClient, mailbox: str, kind: ItemKind, container_id: str) -> bool:
    try:
        await graph.request(
            "GET", container_path(mailbox, kind, container_id), mailbox=mailbox, container=True
        )
    except ItemNotFound:
        return False
    return True


async def _remove_our_items(graph: GraphClient, mailbox: str, kind: ItemKind, container_id: str) -> int:
    """Deletes the items of the container that carry our tag (and only those); returns how many."""
    property_id = _property_id(graph)
    path = f"{collection_path(mailbox, kind, container_id)}?$expand={tag_expand(property_id)}"
    removed = 0
    for item in await graph.get_all(path, mailbox=mailbox, container=True):
        if any(not value.startswith("container:") for value in _tag_values(item, property_id)):
            try:
                await graph.request("DELETE", item_path(mailbox, kind, str(item["id"])), mailbox=mailbox)
            except ItemNotFound:
                continue
            removed += 1
    return removed


async def _remove(graph: GraphClient, mailbox: str, kind: ItemKind, container_id: str) -> Removal:
    try:
        if not await is_ours(graph, mailbox, kind, container_id):
            if not await _exists(graph, mailbox, kind, container_id):
                return Removal(container_deleted=True)  # already gone is what we wanted
            # Adopted by name before containers were tagged: the user's own, so only our copies go.
            return Removal(
                container_deleted=False,
                items_removed=await _remove_our_items(graph, mailbox, kind, container_id),
            )
        await graph.request(
            "DELETE", container_path(mailbox, kind, container_id), mailbox=mailbox, container=True
        )
    except ItemNotFound:
        pass  # already gone is what we wanted
    return Removal(container_deleted=True)


async def find_or_create_calendar(graph: GraphClient, mailbox: str, name: str) -> str:
    """Id of our calendar, created (tagged, under a free name) when missing; twice gives one calendar."""
    return await _find_or_create(graph, mailbox, "event", name)


async def calendar_exists(graph: GraphClient, mailbox: str, calendar_id: str) -> bool:
    return await _exists(graph, mailbox, "event", calendar_id)


async def delete_calendar(graph: GraphClient, mailbox: str, calendar_id: str) -> Removal:
    """Deletes our calendar; a calendar without our tag is kept and only the events we created go."""
    return await _remove(graph, mailbox, "event", calendar_id)


async def find_or_create_contact_folder(graph: GraphClient, mailbox: str, name: str) -> str:
    """Id of our contact folder, created (tagged, under a free name) when missing."""
    return await _find_or_create(graph, mailbox, "contact", name)


async def contact_folder_exists(graph: GraphClient, mailbox: str, folder_id: str) -> bool:
    return await _exists(graph, mailbox, "contact", folder_id)


async def delete_contact_folder(graph: GraphClient, mailbox: str, folder_id: str) -> Removal:
    """Deletes our contact folder; a folder without our tag is kept and only the contacts we created go."""
    return await _remove(graph, mailbox, "contact", folder_id)
